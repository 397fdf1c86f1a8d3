import { DiffSourceError } from "./diff-source-error.ts";
import type { EndpointSurface, JsonSchema, Surface, ToolSurface } from "./types.ts";

type Json = Record<string, unknown>;

/**
 * Builds a tool surface from the files of one `generated/` directory, keyed by their path in it
 * (`manifest.json`, `tools/<name>.json`). The manifest says which tools exist; each tool's own
 * JSON file gives its schemas and annotations. `where` names the directory in error messages.
 */
export function surfaceFromFiles(label: string, where: string, files: ReadonlyMap<string, string>): Surface {
  const manifest = parseObject(files.get("manifest.json"), `${where}/manifest.json`);
  if (!Array.isArray(manifest.tools)) throw new DiffSourceError(`${where}/manifest.json has no "tools" list; is it a toolgate manifest?`);
  const tools = new Map<string, ToolSurface>();
  for (const [index, entry] of manifest.tools.entries()) {
    if (!isObject(entry) || typeof entry.name !== "string") throw new DiffSourceError(`${where}/manifest.json: tools[${index}] has no name`);
    const file = `tools/${entry.name}.json`;
    const definition = parseObject(files.get(file), `${where}/${file}`);
    tools.set(entry.name, toolSurface(entry, definition));
  }
  const sorted = new Map([...tools.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return { label, tools: sorted, endpoints: endpoints(manifest, [...sorted.keys()], where) };
}

function toolSurface(entry: Json, definition: Json): ToolSurface {
  return {
    name: entry.name as string,
    title: typeof definition.title === "string" ? definition.title : undefined,
    description: typeof definition.description === "string" ? definition.description : "",
    inputSchema: schema(definition.inputSchema) ?? true,
    outputSchema: schema(definition.outputSchema),
    scopes: Array.isArray(entry.scopes) ? entry.scopes.filter((scope): scope is string => typeof scope === "string") : [],
    annotations: isObject(definition.annotations) ? definition.annotations : {},
    backend: String(entry.backend ?? ""),
    operation: String(entry.operation ?? ""),
    method: String(entry.method ?? ""),
    path: String(entry.path ?? ""),
  };
}

// Without an `endpoints` list every tool is served on the one MCP endpoint, whose path the
// runtime takes from the resource URL (runtime/config/resolve-settings.ts).
function endpoints(manifest: Json, toolNames: readonly string[], where: string): EndpointSurface[] {
  if (manifest.endpoints === undefined) return [{ path: resourcePath(manifest), tools: toolNames }];
  if (!Array.isArray(manifest.endpoints)) throw new DiffSourceError(`${where}/manifest.json: "endpoints" is not a list`);
  return manifest.endpoints.map((endpoint: unknown, index) => {
    if (!isObject(endpoint) || typeof endpoint.path !== "string" || !Array.isArray(endpoint.tools) || !endpoint.tools.every((tool) => typeof tool === "string")) {
      throw new DiffSourceError(`${where}/manifest.json: endpoints[${index}] needs a "path" and a list of tool names in "tools"`);
    }
    return { path: endpoint.path, tools: endpoint.tools as string[] };
  });
}

function resourcePath(manifest: Json): string {
  const resource = isObject(manifest.gateway) ? manifest.gateway.resource : undefined;
  if (typeof resource !== "string" || !URL.canParse(resource)) return "/mcp";
  return new URL(resource).pathname.replace(/\/+$/, "") || "/";
}

function parseObject(text: string | undefined, file: string): Json {
  if (text === undefined) throw new DiffSourceError(`${file} is missing`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new DiffSourceError(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(value)) throw new DiffSourceError(`${file} does not hold a JSON object`);
  return value;
}

function schema(value: unknown): JsonSchema | undefined {
  return typeof value === "boolean" || isObject(value) ? value : undefined;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
