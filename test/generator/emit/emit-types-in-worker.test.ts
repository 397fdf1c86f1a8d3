/**
 * The types are emitted in a worker thread, which reads the OpenAPI documents itself: its
 * files must be those made in-process, and a document openapi-typescript refuses must still
 * be a spec error naming it, not a crash or a hang.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { renderOutput, resolveSpecs, SpecErrors } from "../../../generator/index.ts";
import { emitBackendTypes, emitToolTypes } from "../../../generator/emit/emit-types.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), "toolgate-types-worker-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

const response = '{ "200": { description: ok, content: { application/json: { schema: { type: object, properties: { id: { type: string } } } } } } }';

function specs(name: string, paths: string): string {
  const specsDir = join(workspace, name, "specs");
  mkdirSync(join(specsDir, "tools"), { recursive: true });
  writeFileSync(join(specsDir, "openapi.yaml"), `openapi: 3.0.3\ninfo: { title: ${name}, version: "1" }\npaths:\n${paths}`);
  writeFileSync(join(specsDir, "gateway.yaml"), "version: 1\nresource: http://127.0.0.1:3000/mcp\nbackends:\n  api:\n    openapi: openapi.yaml\n    base_url: http://127.0.0.1:9\n");
  writeFileSync(join(specsDir, "tools/all.yaml"), "import:\n  - backend: api\n");
  return specsDir;
}

describe("renderOutput's types worker", () => {
  it("emits the same types files as emitBackendTypes and emitToolTypes in-process", async () => {
    const specsDir = specs("same", `  /a:\n    get:\n      operationId: getA\n      responses: ${response}\n`);
    const options = { root, specsDir, outDir: join(workspace, "same", "out") };
    const files = await renderOutput(options);
    const model = resolveSpecs(options);
    expect(files.get("types/backend-api.ts")).toBe(await emitBackendTypes("api", model.documents.get("api")!));
    expect(files.get("types/tools.ts")).toBe(await emitToolTypes(model.tools));
  });

  it("reports a document openapi-typescript refuses as a spec error naming the document", async () => {
    const specsDir = specs("refused", `  /a:\n    get:\n      operationId: same\n      responses: ${response}\n  /b:\n    get:\n      operationId: same\n      responses: ${response}\n`);
    const rendering = renderOutput({ root, specsDir, outDir: join(workspace, "refused", "out") });
    await expect(rendering).rejects.toBeInstanceOf(SpecErrors);
    await expect(rendering).rejects.toThrow(/openapi\.yaml:1:1: cannot derive TypeScript types from this document: Every operation must have a unique `operationId`/);
  });

  it("stops when the specs are wrong, reporting them", async () => {
    const specsDir = specs("wrong", `  /a:\n    get:\n      operationId: getA\n      responses: ${response}\n`);
    writeFileSync(join(specsDir, "tools/all.yaml"), "tools:\n  - name: x\n    operation: nope\n");
    await expect(renderOutput({ root, specsDir, outDir: join(workspace, "wrong", "out") })).rejects.toBeInstanceOf(SpecErrors);
  });
});
