import { basename, dirname, relative, resolve, sep } from "node:path";
import { stringify } from "yaml";
import { ErrorSink } from "../errors.ts";
import { isObject, loadOpenApiDocument } from "../openapi/load-document.ts";
import { listOperations } from "../openapi/operations.ts";
import { matchesFilter, toolName, uniqueName, type Filter } from "../model/import-tools.ts";

export interface ImportOptions {
  /** Project root: paths in messages are relative to it. */
  readonly root: string;
  /** The OpenAPI document (3.0 or 3.1). */
  readonly openapi: string;
  /** Backend name in gateway.yaml (default: from the document's file name). */
  readonly backend?: string;
  /** Where the tool spec will be written (only used to write paths relative to it). */
  readonly out: string;
  readonly include?: Filter;
  readonly prefix?: string;
}

export interface ImportResult {
  readonly backend: string;
  /** The tool spec file's text: one `tools:` entry per operation. */
  readonly yaml: string;
  readonly tools: number;
  /** The backend entry to add under `backends:` in gateway.yaml, as YAML. */
  readonly gatewayEntry: string;
}

/**
 * Writes a reviewable tool spec for an OpenAPI document: one explicit `tools:` entry per
 * matching operation, named exactly as an `import:` rule would name it, so the file can be
 * edited tool by tool (descriptions, scopes, hidden arguments) and reviewed as a diff.
 * Throws `SpecErrors` for a document toolgate cannot read (Swagger 2.0 included).
 */
export function importOpenApi(options: ImportOptions): ImportResult {
  const absolute = resolve(options.root, options.openapi);
  const display = relative(options.root, absolute).split(sep).join("/");
  const document = loadOpenApiDocument(absolute, display, { file: display, line: 1, col: 1 });
  const backend = options.backend ?? defaultBackendName(absolute);
  const sink = new ErrorSink();
  if (!/^[a-z][a-z0-9_]{0,31}$/.test(backend)) {
    sink.add({ file: display, line: 1, col: 1 }, `"${backend}" is not a valid backend name`, "backend names are lower_snake_case, at most 32 characters; pass --backend NAME");
  }
  sink.throwIfAny();
  const operations = listOperations(backend, document).filter((operation) => !options.include || matchesFilter(operation, options.include));
  if (operations.length === 0) {
    sink.add({ file: display, line: 1, col: 1 }, "no operation matches the filters", "loosen --include-tags, --include-paths or --methods");
    sink.throwIfAny();
  }
  const idCounts = new Map<string, number>();
  for (const operation of operations) if (operation.hasOperationId) idCounts.set(operation.id, (idCounts.get(operation.id) ?? 0) + 1);
  const names = new Set<string>();
  const tools = operations.map((operation) => ({
    name: uniqueName(toolName(options.prefix ?? "", operation), names),
    // An operationId reads best; a missing or repeated one is named by method and path.
    operation: operation.hasOperationId && idCounts.get(operation.id) === 1 ? operation.id : `${operation.method} ${operation.path}`,
    ...(operation.description === undefined && operation.summary === undefined ? { description: `${operation.method} ${operation.path}` } : {}),
  }));
  const specDir = dirname(resolve(options.root, options.out));
  const info = isObject(document.root.info) ? document.root.info : {};
  const header = [
    "# yaml-language-server: $schema=" + relative(specDir, resolve(import.meta.dirname, "../schema/tools.schema.json")).split(sep).join("/"),
    `# Imported by \`toolgate import\` from ${display}${typeof info.title === "string" ? ` (${info.title}${typeof info.version === "string" ? ` ${info.version}` : ""})` : ""}.`,
    "# Each entry is one tool: edit descriptions, add scopes, hide or inject arguments (docs/spec-format.md).",
    "",
  ].join("\n");
  const body = stringify({ tools: tools.map((tool) => ({ ...tool, backend })) }, { lineWidth: 0 });
  // gateway.yaml sits beside tools/ (or beside the spec file, when it is written elsewhere).
  const gatewayDir = basename(specDir) === "tools" ? dirname(specDir) : specDir;
  return { backend, yaml: header + body, tools: tools.length, gatewayEntry: gatewayEntry(backend, document.root, relative(gatewayDir, absolute).split(sep).join("/")) };
}

/** `backends.<name>` for gateway.yaml: the document, its first server, and credentials when it declares security. */
function gatewayEntry(backend: string, root: Record<string, unknown>, openapi: string): string {
  const servers = Array.isArray(root.servers) ? root.servers : [];
  const first = servers[0];
  const url = isObject(first) && typeof first.url === "string" && /^https?:\/\//.test(first.url) ? first.url : "https://api.example.com";
  const components = isObject(root.components) ? root.components : {};
  const secured = isObject(components.securitySchemes) && Object.keys(components.securitySchemes).length > 0;
  const entry = { [backend]: { openapi, base_url: url, ...(secured ? { credentials: { type: "bearer", from_env: `${backend.toUpperCase()}_TOKEN` } } : {}) } };
  return stringify({ backends: entry }, { lineWidth: 0 });
}

/** The backend name `toolgate import` uses by default: the document's file name in lower_snake_case. */
export function defaultBackendName(path: string): string {
  const name = basename(path)
    .replace(/\.(ya?ml|json)$/i, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^[^a-z]+/, "")
    .replace(/_+$/, "")
    .slice(0, 32)
    .replace(/_+$/, "");
  return name || "api";
}
