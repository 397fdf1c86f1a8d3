import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { jsonFile } from "./emit/code.ts";
import { SpecError, SpecErrors } from "./errors.ts";
import { emitComposite, emitHandler, emitTemplates } from "./emit/emit-handler.ts";
import { emitPrompts } from "./emit/emit-prompts.ts";
import { emitIndex, emitManifest, toolDefinition } from "./emit/emit-index.ts";
import { startTypesWorker, type TypesWorker } from "./emit/emit-types-in-worker.ts";
import { emitInputValidators, emitOutputValidators } from "./emit/emit-validators.ts";
import { loadSpecs } from "./load/load-specs.ts";
import { backendDocumentPaths } from "./model/build-gateway.ts";
import { buildModel } from "./model/build-model.ts";
import type { GatewaySpecModel } from "./model/types.ts";

export interface GenerateOptions {
  /** Project root: paths in messages and headers are relative to it. */
  readonly root: string;
  /** Directory holding gateway.yaml and tools/. */
  readonly specsDir: string;
  /** Output directory (normally `generated/`). */
  readonly outDir: string;
}

/** Loads and resolves the specs; throws `SpecErrors` listing every problem. */
export function resolveSpecs(options: Pick<GenerateOptions, "root" | "specsDir">): GatewaySpecModel {
  return buildModel(loadSpecs(options.root, options.specsDir));
}

/** Every file of `generated/`, by path relative to it. Deterministic: same specs, same bytes. */
export async function renderOutput(options: GenerateOptions, model?: GatewaySpecModel): Promise<Map<string, string>> {
  // The types are emitted in a worker thread, started first, told where the OpenAPI documents
  // are as soon as gateway.yaml is read, and answering after the validators are compiled here.
  const typesWorker = startTypesWorker();
  try {
    if (model) typesWorker.load(model.gateway.backends.map(({ name, openapi }) => ({ name, absolutePath: resolve(options.root, openapi), file: openapi })));
    else {
      const specs = loadSpecs(options.root, options.specsDir);
      typesWorker.load(backendDocumentPaths(specs.root, specs.gateway));
      model = buildModel(specs);
    }
    return await render(options, model, typesWorker);
  } catch (error) {
    typesWorker.stop();
    throw error;
  }
}

async function render(options: GenerateOptions, model: GatewaySpecModel, typesWorker: TypesWorker): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const handlerApi = fileURLToPath(new URL("../runtime/handler-api.ts", import.meta.url));
  const importPath = (from: string) => {
    const path = relative(from, handlerApi).split(sep).join("/");
    return path.startsWith(".") ? path : `./${path}`;
  };
  const types = typesWorker.emit(model.tools.map(({ name, backend, inputSchema, outputSchema }) => ({ name, backend, inputSchema, outputSchema })));
  for (const tool of model.tools) {
    files.set(`tools/${tool.name}.json`, jsonFile(toolDefinition(tool)));
    files.set(`tools/${tool.name}.js`, tool.composite ? emitComposite(tool, importPath(join(options.outDir, "tools"))) : emitHandler(tool, `../types/backend-${tool.backend}.ts`, importPath(join(options.outDir, "tools"))));
  }
  const templates = emitTemplates(model.tools);
  if (templates) {
    files.set("templates.js", templates.js);
    files.set("templates.d.ts", templates.dts);
  }
  if (model.prompts.length > 0) {
    const prompts = emitPrompts(model.prompts, importPath(options.outDir));
    files.set("prompts.js", prompts.js);
    files.set("prompts.d.ts", prompts.dts);
  }
  const validators = emitInputValidators(model.tools, importPath(options.outDir));
  files.set("validators.js", validators.js);
  files.set("validators.d.ts", validators.dts);
  const outputValidators = emitOutputValidators(model.tools, importPath(options.outDir));
  files.set("output-validators.js", outputValidators.js);
  files.set("output-validators.d.ts", outputValidators.dts);
  files.set("manifest.json", emitManifest(model));
  files.set("policy.json", jsonFile({ generatedBy: "toolgate generate", source: model.sources.find((path) => path.endsWith("access.yaml")) ?? null, ...model.policy }));
  files.set("index.js", emitIndex(model, importPath(options.outDir)));
  const { backends, tools } = await types;
  for (const backend of backends) {
    if ("error" in backend) {
      // openapi-typescript refuses some malformed documents; that is a spec error, not a crash.
      const { openapi } = model.gateway.backends.find((entry) => entry.name === backend.name)!;
      throw new SpecErrors([new SpecError({ file: openapi, line: 1, col: 1 }, `cannot derive TypeScript types from this document: ${backend.error}`, "fix the OpenAPI document where the message points")]);
    }
    files.set(`types/backend-${backend.name}.ts`, backend.text);
  }
  files.set("types/tools.ts", tools);
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export interface Drift {
  readonly changed: readonly string[];
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

/** Writes `generated/` (removing files no longer produced) and reports what changed. */
export async function generate(options: GenerateOptions): Promise<Drift> {
  const files = await renderOutput(options);
  const drift = compare(options.outDir, files);
  for (const path of drift.removed) rmSync(join(options.outDir, path));
  for (const path of [...drift.added, ...drift.changed]) {
    const target = join(options.outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, files.get(path)!);
  }
  return drift;
}

/** Compares a fresh generation with what is on disk, without writing. */
export async function checkGenerated(options: GenerateOptions): Promise<Drift> {
  return compare(options.outDir, await renderOutput(options));
}

function compare(outDir: string, files: ReadonlyMap<string, string>): Drift {
  const existing = new Set(listFiles(outDir));
  const changed: string[] = [];
  const added: string[] = [];
  for (const [path, content] of files) {
    if (!existing.has(path)) added.push(path);
    else if (readFileSync(join(outDir, path), "utf8") !== content) changed.push(path);
    existing.delete(path);
  }
  return { changed, added, removed: [...existing].sort() };
}

function listFiles(directory: string): string[] {
  if (!existsSync(directory)) return [];
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(directory, join(entry.parentPath, entry.name)).split(sep).join("/"))
    .sort();
}
