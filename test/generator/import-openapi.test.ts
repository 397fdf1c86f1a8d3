import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { promisify } from "node:util";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { importOpenApi, resolveSpecs } from "../../generator/index.ts";
import { corpus, corpusDir } from "../support/corpus.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = join(root, "test/.tmp", `import-${process.pid}`);

/** A spec directory with the imported file and the gateway entry `toolgate import` suggests. */
function importInto(name: string, document: string, options: Partial<Parameters<typeof importOpenApi>[0]> = {}) {
  const specsDir = join(scratch, name);
  const out = join(specsDir, "tools", "api.yaml");
  const result = importOpenApi({ root, openapi: join(corpus, document), out, backend: "api", ...options });
  mkdirSync(join(specsDir, "tools"), { recursive: true });
  writeFileSync(out, result.yaml);
  writeFileSync(join(specsDir, "gateway.yaml"), `version: 1\nresource: http://127.0.0.1:3000/mcp\n${result.gatewayEntry}`);
  return { result, specsDir };
}

describe.skipIf(!corpusDir)("importOpenApi (toolgate import)", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("writes a tool spec and a gateway entry that generate as they are, one tool per operation", () => {
    const { result, specsDir } = importInto("all", "05-openapi-python-client-baseline-3.1.yaml");
    const model = resolveSpecs({ root, specsDir });
    expect(model.tools).toHaveLength(result.tools);
    expect(result.tools).toBe(50);
  });

  it("names tools as an import: rule does", () => {
    const { specsDir } = importInto("explicit", "13-stripe-spec3-2023-08-16.yaml", { include: { paths: ["/v1/customers/**"] } });
    const explicit = resolveSpecs({ root, specsDir }).tools.map((tool) => `${tool.method} ${tool.path} ${tool.name}`);
    writeFileSync(join(specsDir, "tools", "api.yaml"), 'import:\n  - include: { paths: ["/v1/customers/**"] }\n');
    const imported = resolveSpecs({ root, specsDir }).tools.map((tool) => `${tool.method} ${tool.path} ${tool.name}`);
    expect(explicit).toEqual(imported);
    // The 65-character operationId is kept within 64 by a stable hash suffix.
    expect(explicit).toContain("DELETE /v1/customers/{customer}/subscriptions/{subscription_exposed_id}/discount delete_customers_customer_subscriptions_subscription_ex_69697bbc");
  }, 60_000);

  it("filters by tag, method and path", () => {
    const { result } = importInto("filtered", "02-swagger-petstore-3.0.yaml", { include: { tags: ["pet"], methods: ["GET"] }, prefix: "ps_" });
    expect(result.yaml).toContain("name: ps_find_pets_by_status");
    expect(result.yaml).not.toContain("add_pet");
    expect(result.tools).toBe(3);
  });

  it("importOpenApi itself reads OpenAPI 3 only, and says how to convert Swagger 2.0", () => {
    expect(() => importOpenApi({ root, openapi: join(corpus, "04-oai-petstore-expanded-swagger-2.0.json"), out: join(scratch, "x.yaml") })).toThrow(/Swagger 2\.0 document[\s\S]*toolgate import <file>/);
  });

  it("`toolgate import` converts a Swagger 2.0 document to an OpenAPI 3.0 copy and imports that; it generates", async () => {
    const project = join(scratch, "swagger-cli");
    mkdirSync(join(project, "specs"), { recursive: true });
    const run = promisify(execFile);
    const { stdout } = await run(process.execPath, [join(root, "bin/toolgate.js"), "import", join(corpus, "04-oai-petstore-expanded-swagger-2.0.json"), "--backend", "petstore"], { cwd: project });
    expect(stdout).toContain("converted Swagger 2.0 to OpenAPI 3.0: wrote specs/openapi/petstore.openapi.yaml (4 operations)");
    expect(stdout).toContain("wrote specs/tools/petstore.yaml: 4 tools");
    expect(readFileSync(join(project, "specs/openapi/petstore.openapi.yaml"), "utf8")).toMatch(/^# Converted from 2\.0[\s\S]*\nopenapi: 3\.0\.0\n/);
    const entry = stdout.slice(stdout.indexOf("backends:"), stdout.indexOf("then run")).trim();
    writeFileSync(join(project, "specs/gateway.yaml"), `version: 1\nresource: http://127.0.0.1:3000/mcp\n${entry}\n`);
    const model = resolveSpecs({ root: project, specsDir: join(project, "specs") });
    expect(model.tools.map((tool) => `${tool.method} ${tool.path}`).sort()).toEqual(["DELETE /pets/{id}", "GET /pets", "GET /pets/{id}", "POST /pets"]);
  }, 60_000);
});
