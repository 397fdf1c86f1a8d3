import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dryRun, type DryRunReport, type ToolDryRun } from "../../../generator/index.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const scratch = join(root, "test/.tmp", `dry-run-${process.pid}`);
const options = (specs: string) => ({ root, specsDir: join(root, specs), outDir: join(scratch, "generated") });
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const tool = (report: DryRunReport, name: string): ToolDryRun => report.tools.find((entry) => entry.name === name)!;

describe("dryRun(options, model, only) over test/generator/fixtures/basic", () => {
  let report: DryRunReport;
  const secret = "shop-token-value";
  beforeAll(async () => {
    // Set, so a dry run that read it would show it.
    process.env.SHOP_TOKEN = secret;
    report = await dryRun(options("test/generator/fixtures/basic"));
  }, 60_000);
  afterAll(() => {
    delete process.env.SHOP_TOKEN;
  });

  it("dry-runs every tool, naming its spec file and line, with no problems", () => {
    expect(report.tools.map((entry) => [entry.name, `${entry.source.file}:${entry.source.line}`, entry.problems])).toEqual([
      ["archive_item", "test/generator/fixtures/basic/tools/items.yaml:30", []],
      ["create_item", "test/generator/fixtures/basic/tools/items.yaml:21", []],
      ["get_item", "test/generator/fixtures/basic/tools/items.yaml:14", []],
      ["item_names", "test/generator/fixtures/basic/tools/items.yaml:33", []],
      ["list_items", "test/generator/fixtures/basic/tools/items.yaml:2", []],
      ["shop_get_tree", "test/generator/fixtures/basic/tools/items.yaml:39", []],
    ]);
  });

  it("renders a GET with the caller's tenant in the base URL, the spec's default and array query parameters", () => {
    expect(tool(report, "list_items")).toMatchObject({
      arguments: { q: "q", limit: 20, tags: ["tag"] },
      request: {
        method: "GET",
        url: "http://127.0.0.1:4999/t/acme/items?q=q&limit=20&tags=tag",
        headers: { accept: "application/json", "x-request-id": "<request id>", authorization: "Bearer <from env SHOP_TOKEN>" },
        body: undefined,
      },
    });
  });

  it("renders a renamed path argument", () => {
    expect(tool(report, "get_item").request?.url).toBe("http://127.0.0.1:4999/t/acme/items/item_id");
  });

  it("renders a POST with injected header and body field, the actor header and the JSON body as sent", () => {
    const { request } = tool(report, "create_item");
    expect(request).toEqual({
      method: "POST",
      url: "http://127.0.0.1:4999/t/acme/items",
      headers: {
        accept: "application/json",
        "x-request-id": "<request id>",
        "x-tenant": "acme",
        "x-toolgate-actor": "client=dev-client; user=dev-user",
        "content-type": "application/json",
        authorization: "Bearer <from env SHOP_TOKEN>",
      },
      body: '{"name":"name","price":0,"tenant_id":"t-acme"}',
    });
  });

  it("never shows a credential's value", () => {
    expect(JSON.stringify(report)).not.toContain(secret);
  });

  it("leaves nothing behind: the temporary generation is removed", () => {
    expect(existsSync(scratch) ? readdirSync(scratch).filter((name) => name.startsWith(".toolgate-validate-")) : []).toEqual([]);
  });
});

describe("dryRun over a spec with bad mappings (test/generator/dry-run/fixtures/broken)", () => {
  let report: DryRunReport;
  beforeAll(async () => {
    report = await dryRun(options("test/generator/dry-run/fixtures/broken"));
  }, 60_000);

  it("fails a tool whose path parameter is filled with nothing, showing the request", () => {
    expect(tool(report, "get_blank_item")).toMatchObject({
      source: { file: "test/generator/dry-run/fixtures/broken/tools/broken.yaml", line: 3 },
      request: { url: "http://127.0.0.1:4999/t/globex/items/", headers: { "x-api-key": "<from env SHOP_KEY>" } },
      problems: ["path parameter {itemId} is empty (/items/)"],
    });
  });

  it("fails a tool whose own validation rejects every value, with the validator's reason", () => {
    expect(tool(report, "list_reports")).toMatchObject({
      source: { line: 7 },
      request: undefined,
      problems: ["sample arguments fail the tool's validation: `size` must be >= 10"],
    });
  });

  it("passes the tool mapped correctly beside them", () => {
    expect(tool(report, "get_item")).toMatchObject({ problems: [], request: { url: "http://127.0.0.1:4999/t/globex/items/itemId" } });
  });

  it("dry-runs only the tools asked for", async () => {
    const only = await dryRun(options("test/generator/dry-run/fixtures/broken"), undefined, new Set(["get_item"]));
    expect(only.tools.map((entry) => entry.name)).toEqual(["get_item"]);
  }, 60_000);
});
