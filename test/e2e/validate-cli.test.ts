import { execFile } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

// `toolgate validate` as a user runs it: a dry run of every tool, exit 1 on a bad mapping.
const root = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

async function toolgate(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, "bin/toolgate.js"), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("toolgate validate", () => {
  it("prints the request each tool would send and exits 0 (--tool limits it)", async () => {
    const { code, stdout } = await toolgate(["validate", "--specs", "test/generator/fixtures/basic", "--tool", "create_item"]);
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        "create_item  (test/generator/fixtures/basic/tools/items.yaml:21)",
        '  arguments: {"name":"name","price":0}',
        "  POST http://127.0.0.1:4999/t/acme/items",
        "  accept: application/json",
        "  x-request-id: <request id>",
        "  x-tenant: acme",
        "  x-toolgate-actor: client=dev-client; user=dev-user",
        "  content-type: application/json",
        "  authorization: Bearer <from env SHOP_TOKEN>",
        '  body: {"name":"name","price":0,"tenant_id":"t-acme"}',
        "",
        'specs are valid: 6 tools on 1 backend; 1 sample request built, none sent (caller tenant "acme")',
        "",
      ].join("\n"),
    );
  });

  it("--json: the dry run as one JSON document", async () => {
    const { code, stdout } = await toolgate(["validate", "--specs", "test/generator/fixtures/basic", "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ ok: true, caller: { tenant: "acme" }, summary: { tools: 6, failed: 0 } });
    expect(report.tools.find((tool: { name: string }) => tool.name === "get_item")).toMatchObject({
      source: "test/generator/fixtures/basic/tools/items.yaml:14",
      request: { method: "GET", url: "http://127.0.0.1:4999/t/acme/items/item_id", body: null },
    });
  });

  it("exits 1 on a bad mapping, naming each failing tool and its spec file:line (--quiet: the summary only)", async () => {
    const { code, stdout, stderr } = await toolgate(["validate", "--specs", "test/generator/dry-run/fixtures/broken", "--quiet"]);
    expect(code).toBe(1);
    expect(stdout).toBe("dry run failed for 2 of 3 tools: get_blank_item, list_reports\n");
    expect(stderr).toBe(
      [
        "toolgate validate: get_blank_item (test/generator/dry-run/fixtures/broken/tools/broken.yaml:3): path parameter {itemId} is empty (/items/)",
        "toolgate validate: list_reports (test/generator/dry-run/fixtures/broken/tools/broken.yaml:7): sample arguments fail the tool's validation: `size` must be >= 10",
        "",
      ].join("\n"),
    );
  });

  it("exits 2 for a --tool the specs do not define", async () => {
    const { code, stderr } = await toolgate(["validate", "--specs", "test/generator/fixtures/basic", "--tool", "get_itme"]);
    expect(code).toBe(2);
    expect(stderr).toBe('toolgate validate: no tool named "get_itme" in test/generator/fixtures/basic\n');
  });
});
