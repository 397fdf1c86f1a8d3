import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createGateway, createLogger } from "../../runtime/index.ts";
import { startSampleBackend } from "../../examples/sample-backend/server.ts";
import { connectClient } from "../support/mcp-client.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const work = join(root, "test/.tmp/add-a-tool");
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("adding a tool by editing only YAML", () => {
  it("`toolgate generate` makes it appear in tools/list and work, with no code change", async () => {
    rmSync(work, { recursive: true, force: true });
    mkdirSync(work, { recursive: true });
    cpSync(join(root, "specs"), join(work, "specs"), { recursive: true });
    const gatewayFile = join(work, "specs/gateway.yaml");
    writeFileSync(gatewayFile, readFileSync(gatewayFile, "utf8").replace("openapi: ../examples/", "openapi: ../../../../examples/"));
    writeFileSync(
      join(work, "specs/tools/brief.yaml"),
      ["tools:", "  - name: company_brief", "    operation: getCompany", "    description: Name and health of one company.", "    input:", "      rename: { companyId: id }", "    output:", "      pick: [id, name, health_band]", "      template: \"{{name}} is {{health_band}}\"", ""].join("\n"),
    );
    const cli = join(root, "bin/toolgate.js");
    const output = execFileSync(process.execPath, [cli, "generate", "--specs", join(work, "specs"), "--out", join(work, "generated")], { cwd: root, encoding: "utf8" });
    expect(output).toMatch(/^generated\/: \d+ added, 0 changed, 0 removed\n$/);
    expect(execFileSync(process.execPath, [cli, "generate", "--check", "--specs", join(work, "specs"), "--out", join(work, "generated")], { cwd: root, encoding: "utf8" })).toBe("generated/ matches the specs\n");

    const token = "add-a-tool-token";
    const backend = await startSampleBackend({ port: 0, token, now: new Date("2026-06-01T00:00:00Z") });
    const gateway = await createGateway({ generatedDir: join(work, "generated"), dev: true, env: { SAMPLE_BACKEND_TOKEN: token }, backendUrls: { cs: `${backend.url}/tenants/{tenant}` }, logger: createLogger("silent") });
    const { url } = await gateway.listen(0, "127.0.0.1");
    const client = await connectClient(url);
    try {
      const { tools } = await client.listTools();
      const brief = tools.find((tool) => tool.name === "company_brief");
      expect(brief?.inputSchema).toMatchObject({ required: ["id"] });
      const list = (await client.callTool({ name: "list_companies", arguments: { limit: 1 } })).structuredContent as { data: { id: string; name: string; health_band: string }[] };
      const company = list.data[0]!;
      const result = await client.callTool({ name: "company_brief", arguments: { id: company.id } });
      expect(result.structuredContent).toEqual({ id: company.id, name: company.name, health_band: company.health_band });
      expect(result.content).toEqual([{ type: "text", text: `${company.name} is ${company.health_band}` }]);
    } finally {
      await client.close();
      await gateway.close();
      await backend.close();
    }
  });

  it("`toolgate generate --check` names the drifted files and exits 1", () => {
    writeFileSync(join(work, "generated/tools/company_brief.json"), "{}\n");
    rmSync(join(work, "generated/tools/get_company.js"));
    writeFileSync(join(work, "generated/tools/stale.json"), "{}\n");
    let failure: { status: number; stderr: string } | undefined;
    try {
      execFileSync(process.execPath, [join(root, "bin/toolgate.js"), "generate", "--check", "--specs", join(work, "specs"), "--out", join(work, "generated")], { cwd: root, encoding: "utf8", stdio: "pipe" });
    } catch (error) {
      failure = error as { status: number; stderr: string };
    }
    expect(failure?.status).toBe(1);
    expect(failure?.stderr).toBe(
      "generated/ has drifted from the specs:\n  changed: tools/company_brief.json\n  missing: tools/get_company.js\n  stale:   tools/stale.json\nrun `toolgate generate` and commit the result\n",
    );
  });
});
