/**
 * Every OpenAPI 3.0/3.1 document of the shared corpus (real APIs nobody here wrote) imported
 * whole and generated: each operation a tool with a valid, unique, stable name, schemas that
 * compile and carry everything they refer to, output that is the same on every run, and
 * TypeScript that passes the type check of a project that commits it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { convertSwagger, renderOutput, resolveSpecs, SpecErrors, type GatewaySpecModel } from "../../generator/index.ts";
import { corpus, corpusDir, openapiDocuments, swaggerDocuments } from "../support/corpus.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = join(root, "test/.tmp", `corpus-${process.pid}`);


const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** A spec directory whose one tool file imports every operation of `document` (or of its OpenAPI 3.0 conversion). */
function specsFor(document: string, openapi = join(corpus, document)): { root: string; specsDir: string; outDir: string } {
  const specsDir = join(scratch, document.replace(/\W+/g, "_"));
  mkdirSync(join(specsDir, "tools"), { recursive: true });
  writeFileSync(
    join(specsDir, "gateway.yaml"),
    `version: 1\nresource: http://127.0.0.1:3000/mcp\nbackends:\n  api:\n    openapi: ${JSON.stringify(openapi)}\n    base_url: http://127.0.0.1:4010\n`,
  );
  writeFileSync(join(specsDir, "tools/all.yaml"), "import:\n  - backend: api\n");
  return { root, specsDir, outDir: join(specsDir, "out") };
}

/** `METHOD /path` of every operation, read straight from the document (not through the generator). */
function operationsOf(document: string): string[] {
  const text = readFileSync(join(corpus, document), "utf8");
  const parsed = (document.endsWith(".json") ? JSON.parse(text) : parse(text, { maxAliasCount: -1 })) as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(parsed.paths).flatMap(([path, item]) => methods.filter((method) => item[method] !== undefined).map((method) => `${method.toUpperCase()} ${path}`));
}

/** Every `$ref` of a schema that does not point inside the schema itself. */
function escapingRefs(schema: Record<string, unknown>): string[] {
  const bad: string[] = [];
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if ((key === "$ref" || key === "$dynamicRef") && (typeof value !== "string" || !resolvesWithin(schema, value))) bad.push(String(value));
      else if (key !== "enum" && key !== "const" && key !== "default" && key !== "examples") visit(value);
    }
  };
  visit(schema);
  return bad;
}

function resolvesWithin(schema: unknown, ref: string): boolean {
  if (ref === "#") return true;
  if (!ref.startsWith("#/")) return false;
  let node = schema;
  for (const raw of ref.slice(2).split("/")) {
    const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) return false;
    node = (node as Record<string, unknown>)[part];
  }
  return true;
}

interface Run {
  readonly model: GatewaySpecModel;
  readonly files: Map<string, string>;
  readonly outDir: string;
  readonly ms: number;
}

/** Swagger 2.0 documents go through the conversion `toolgate import` does, once. */
const conversions = new Map<string, Promise<string>>();
function openapiOf(document: string): Promise<string> {
  if (!swaggerDocuments.includes(document)) return Promise.resolve(join(corpus, document));
  let converted = conversions.get(document);
  if (!converted) {
    converted = convertSwagger(join(corpus, document)).then((result) => {
      const path = join(scratch, `${document}.openapi.yaml`);
      mkdirSync(scratch, { recursive: true });
      writeFileSync(path, result!.yaml);
      return path;
    });
    conversions.set(document, converted);
  }
  return converted;
}

async function generateOnce(document: string): Promise<Run> {
  const options = specsFor(document, await openapiOf(document));
  const started = performance.now();
  const model = resolveSpecs(options);
  const files = await renderOutput(options, model);
  return { model, files, outDir: options.outDir, ms: performance.now() - started };
}

/** The first generation of each document, shared by its own tests and the type check of all of them. */
const firstRuns = new Map<string, Promise<Run>>();
function firstRun(document: string): Promise<Run> {
  let run = firstRuns.get(document);
  if (!run) {
    run = generateOnce(document);
    firstRuns.set(document, run);
  }
  return run;
}

/**
 * Every diagnostic of the project's own compiler options (tsconfig.json: strict, unused locals
 * are errors, …) over `files` and what they import, as `file:line: message`.
 */
function typeCheck(files: readonly string[]): string[] {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (diagnostic: ts.Diagnostic) => expect.fail(ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")) };
  const config = ts.getParsedCommandLineOfConfigFile(join(root, "tsconfig.json"), {}, host)!;
  const program = ts.createProgram(files, { ...config.options, noEmit: true, skipLibCheck: true });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    if (!diagnostic.file || diagnostic.start === undefined) return message;
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${relative(scratch, diagnostic.file.fileName)}:${line + 1}: ${message}`;
  });
}

describe.skipIf(!corpusDir)("the OpenAPI corpus, every operation imported", () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe.each([...openapiDocuments, ...swaggerDocuments])("%s", (document) => {
    let first: Run;
    let second: Run;
    beforeAll(async () => {
      first = await firstRun(document);
      second = await generateOnce(document);
      process.stdout.write(`corpus ${document}: ${first.model.tools.length} tools, generated in ${Math.round(first.ms)} ms and ${Math.round(second.ms)} ms\n`);
    }, 120_000);

    it("makes every operation a tool", () => {
      const tools = first.model.tools.map((tool) => `${tool.method} ${tool.path}`).sort();
      expect(tools).toEqual(operationsOf(document).sort());
    });

    it("gives every tool a unique name of at most 64 characters of [A-Za-z0-9_.-]", () => {
      const names = first.model.tools.map((tool) => tool.name);
      expect(names.filter((name) => !/^[A-Za-z0-9_.-]{1,64}$/.test(name))).toEqual([]);
      expect(new Set(names).size).toBe(names.length);
    });

    it("names the tools the same way on every run", () => {
      const named = (run: Run) => run.model.tools.map((tool) => `${tool.method} ${tool.path} → ${tool.name}`);
      expect(named(second)).toEqual(named(first));
    });

    it("emits input and output schemas that compile as JSON Schema 2020-12 and refer only within themselves", () => {
      // Compiled as the runtime never does (no inlining, no optimising): what is checked here is that they compile.
      const ajv = new Ajv2020({ strict: false, logger: false, validateFormats: false, inlineRefs: false, code: { optimize: false } });
      const problems: string[] = [];
      for (const tool of first.model.tools) {
        for (const [what, schema] of [["input", tool.inputSchema], ["output", tool.outputSchema]] as const) {
          if (!schema) continue;
          const escaping = escapingRefs(schema);
          if (escaping.length > 0) problems.push(`${tool.name} ${what}: $ref ${escaping.join(", ")} escapes the schema`);
          try {
            ajv.compile(schema);
          } catch (error) {
            problems.push(`${tool.name} ${what}: ${(error as Error).message}`);
          }
        }
      }
      expect(problems).toEqual([]);
    }, 60_000);

    it("generates byte-identical output on a second run", () => {
      expect([...second.files.keys()]).toEqual([...first.files.keys()]);
      const differing = [...first.files].filter(([path, content]) => second.files.get(path) !== content).map(([path]) => path);
      expect(differing).toEqual([]);
    });
  });

  // One program for every document: the runtime's types and the lib are checked once, not per document.
  it("generates TypeScript that type-checks: every handler against its backend's types, in one program for all documents", async () => {
    const files: string[] = [];
    for (const document of [...openapiDocuments, ...swaggerDocuments]) {
      // Written inside the repository, so the handlers' imports of runtime/handler-api.ts resolve.
      const run = await firstRun(document);
      for (const [path, content] of run.files) {
        const target = join(run.outDir, path);
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
        // Handlers and the index are JavaScript checked by tsc (`// @ts-check`); the validator files are not typed.
        if (path.endsWith(".ts") || path === "index.js" || (path.startsWith("tools/") && path.endsWith(".js"))) files.push(target);
      }
    }
    const started = performance.now();
    const cpu = process.cpuUsage();
    const diagnostics = typeCheck(files);
    const { user, system } = process.cpuUsage(cpu);
    process.stdout.write(`corpus type check: ${files.length} files in ${Math.round(performance.now() - started)} ms (${Math.round((user + system) / 1000)} ms of CPU)\n`);
    expect(diagnostics).toEqual([]);
  }, 300_000);

  it.each(swaggerDocuments)("generate refuses the Swagger 2.0 document %s itself, saying to import (convert) it", (document) => {
    let caught: unknown;
    try {
      resolveSpecs(specsFor(document));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SpecErrors);
    const message = (caught as SpecErrors).errors.map((error) => error.format()).join("\n");
    expect(message).toContain(`${document} is a Swagger 2.0 document; toolgate reads OpenAPI 3.0 and 3.1`);
    expect(message).toContain("`toolgate import <file>` writes an OpenAPI 3.0 copy");
  });
});
