import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { importOpenApi, resolveSpecs, SpecErrors } from "../../generator/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const corpus = join(root, "../shared/openapi-corpus");
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

describe.skipIf(!existsSync(corpus))("importOpenApi (toolgate import)", () => {
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

  it("refuses a Swagger 2.0 document, saying how to convert it", () => {
    expect(() => importOpenApi({ root, openapi: join(corpus, "04-oai-petstore-expanded-swagger-2.0.json"), out: join(scratch, "x.yaml") })).toThrow(SpecErrors);
    expect(() => importOpenApi({ root, openapi: join(corpus, "04-oai-petstore-expanded-swagger-2.0.json"), out: join(scratch, "x.yaml") })).toThrow(/Swagger 2\.0 document[\s\S]*swagger2openapi/);
  });
});
