import { createHash } from "node:crypto";
import type { ErrorSink } from "../errors.ts";
import { locate, type PathSegment, type YamlFile } from "../load/yaml-file.ts";
import type { Operation } from "../openapi/operations.ts";
import { globToRegExp } from "../../runtime/policy/glob.ts";
import { didYouMean } from "../suggest.ts";
import type { ResolvedBackend } from "./build-gateway.ts";
import type { ToolSite, ToolSpec } from "./build-tool.ts";

/** Which operations an import takes (include) or leaves out (exclude). */
export interface Filter {
  tags?: string[];
  paths?: string[];
  methods?: string[];
  operations?: string[];
}

/** An `import:` rule as written in a spec file. */
export interface ImportSpec {
  backend?: string;
  include?: Filter;
  exclude?: Filter;
  prefix?: string;
  scopes?: string[];
}

/**
 * Expands an import rule into one tool spec per matching operation. Operations that an explicit
 * tool already maps are skipped. Names are the operationId in snake_case (or method and path),
 * prefixed, and kept within MCP's 64 characters by a stable hash suffix; a name another tool
 * already has gets a counter (`_2`). `names` holds the names taken so far and receives the new ones.
 */
export function expandImport(
  rule: ImportSpec,
  yaml: YamlFile,
  path: readonly PathSegment[],
  backends: ReadonlyMap<string, ResolvedBackend>,
  taken: ReadonlySet<string>,
  names: Set<string>,
  sink: ErrorSink,
): { spec: ToolSpec; site: ToolSite }[] {
  const at = (...rest: PathSegment[]) => locate(yaml, [...path, ...rest]);
  const backendName = rule.backend ?? (backends.size === 1 ? [...backends.keys()][0] : undefined);
  if (!backendName) {
    sink.add(at(), "import does not say which backend to import", `add \`backend:\` (one of ${[...backends.keys()].join(", ")})`);
    return [];
  }
  const backend = backends.get(backendName);
  if (!backend) {
    sink.add(at("backend"), `unknown backend "${backendName}"`, didYouMean(backendName, backends.keys()));
    return [];
  }
  const matches = backend.operations.filter(
    (operation) => (!rule.include || matchesFilter(operation, rule.include)) && !(rule.exclude && matchesFilter(operation, rule.exclude, true)),
  );
  if (matches.length === 0) {
    sink.add(at(), `import matches no operation of backend "${backendName}"`, "loosen include, or remove the import");
    return [];
  }
  return matches
    .filter((operation) => !taken.has(`${backendName} ${operation.method} ${operation.path}`))
    .map((operation) => ({
      spec: {
        name: uniqueName(toolName(rule.prefix ?? "", operation), names),
        backend: backendName,
        operation: `${operation.method} ${operation.path}`,
        // The model chooses tools by their description; an undocumented operation still says what it calls.
        ...(operation.description === undefined && operation.summary === undefined ? { description: `${operation.method} ${operation.path}` } : {}),
        ...(rule.scopes ? { scopes: rule.scopes } : {}),
      },
      site: { yaml, path },
    }));
}

/**
 * `name`, or when a tool already has it, `name_2`, `name_3`, … (shortened to stay within 64
 * characters). Operations are expanded in document order, so the same document gives the same names.
 */
export function uniqueName(name: string, names: Set<string>): string {
  let candidate = name;
  for (let counter = 2; names.has(candidate); counter++) {
    const suffix = `_${counter}`;
    candidate = `${name.slice(0, 64 - suffix.length)}${suffix}`;
  }
  names.add(candidate);
  return candidate;
}

/** Whether an operation passes a filter: every given criterion must match (exclude: any one). */
export function matchesFilter(operation: Operation, filter: Filter, any = false): boolean {
  const checks: boolean[] = [];
  if (filter.tags) checks.push(operation.tags.some((tag) => filter.tags!.includes(tag)));
  if (filter.paths) checks.push(filter.paths.some((glob) => globToRegExp(glob, "/").test(operation.path)));
  if (filter.methods) checks.push(filter.methods.includes(operation.method));
  if (filter.operations) checks.push(operation.hasOperationId && filter.operations.some((glob) => globToRegExp(glob).test(operation.id)));
  return any ? checks.some(Boolean) : checks.every(Boolean);
}

/** The tool name of an imported operation: its operationId in snake_case, else its method and path. */
export function toolName(prefix: string, operation: Operation): string {
  const fromId = operation.hasOperationId ? snakeCase(operation.id) : "";
  const base = fromId !== "" ? fromId : snakeCase(`${operation.method.toLowerCase()} ${operation.path.replace(/[{}]/g, "")}`) || operation.method.toLowerCase();
  const name = `${prefix}${base}`;
  if (name.length <= 64) return name;
  const hash = createHash("sha256").update(name).digest("hex").slice(0, 8);
  return `${name.slice(0, 55)}_${hash}`;
}

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1_$2")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .toLowerCase();
}
