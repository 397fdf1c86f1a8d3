import type { ErrorSink } from "../errors.ts";
import { locate, type YamlFile } from "../load/yaml-file.ts";
import { DISCOVERY_TOOL_NAMES } from "../../runtime/mcp/discovery.ts";
import { globToRegExp } from "../../runtime/policy/glob.ts";
import type { EndpointModel, PromptModel, ToolModel } from "./types.ts";

/** gateway.yaml `toolset:` (the main endpoint's) or `endpoints.<name>.toolset`: which tools and prompts an endpoint serves. */
export interface ToolsetSpec {
  /** Tool name globs (`list_*`). */
  names?: string[];
  /** OpenAPI operation tags of the tools' operations. */
  tags?: string[];
  /** Backend path globs (`/companies/**`). */
  paths?: string[];
  /** Spec file globs, relative to the tools directory (`gocsm/*.yaml`): their tools and prompts. */
  files?: string[];
  /** Tool name globs taken out again. */
  exclude?: string[];
  /** Prompt name globs (prompts of the selected files are in already). */
  prompts?: string[];
  /** Tool category globs (a tool's `category:`). */
  categories?: string[];
}

export interface EndpointSpec {
  path: string;
  title?: string;
  instructions?: string;
  toolset?: ToolsetSpec;
  discovery?: boolean;
}

/** Paths the gateway itself answers; an endpoint may not take them. */
const RESERVED = /^\/(\.well-known|admin|metrics|healthz|readyz|authorize|token|register|revoke|oauth|interaction|jwks|session|device|me|request|introspect)(\/|$)/;
/** Endpoint names and paths: URL-safe and readable. */
const NAME = /^[a-z][a-z0-9-]{0,62}$/;
const PATH = /^(\/[A-Za-z0-9._~-]+)+$/;

interface Selectable {
  readonly name: string;
  readonly source: { readonly file: string };
}

/**
 * The gateway's MCP endpoints: the main one at `resource` (its tools chosen by the top-level
 * `toolset:`, else every tool) and each of `endpoints:`, with its own path, tools, prompts and
 * scopes. A toolset criterion that selects nothing is an error, so a typo cannot empty an endpoint.
 */
export function buildEndpoints(
  yaml: YamlFile,
  mainPath: string,
  identity: { title: string | undefined; instructions: string | undefined },
  tools: readonly ToolModel[],
  prompts: readonly PromptModel[],
  toolsDirectory: string,
  sink: ErrorSink,
): EndpointModel[] {
  const spec = yaml.value as { toolset?: ToolsetSpec; discovery?: boolean; endpoints?: Record<string, EndpointSpec> };
  const endpoints: EndpointModel[] = [];
  const byPath = new Map<string, string>();
  const add = (name: string, path: string, title: string | undefined, instructions: string | undefined, toolset: ToolsetSpec | undefined, discovery: boolean, at: (string | number)[]) => {
    const taken = byPath.get(path);
    if (taken !== undefined) {
      sink.add(locate(yaml, [...at, "path"]), `endpoint "${name}" uses the path ${path}, which endpoint "${taken}" already serves`, "give each endpoint its own path");
      return;
    }
    byPath.set(path, name);
    const selected = toolset ? selectToolset(toolset, tools, prompts, toolsDirectory, (key, index) => locate(yaml, [...at, "toolset", key, index]), sink) : { tools: tools.map((tool) => tool.name), prompts: prompts.map((prompt) => prompt.name) };
    if (selected.tools.length === 0 && selected.prompts.length === 0) {
      sink.add(locate(yaml, toolset ? [...at, "toolset"] : at, toolset ? "value" : "key"), `endpoint "${name}" serves no tools and no prompts`, "widen its toolset");
    }
    const chosen = new Set(selected.tools);
    if (discovery) {
      // Discovery mode answers these names itself: a tool of the same name could never be called.
      const shadowed = selected.tools.filter((tool) => DISCOVERY_TOOL_NAMES.includes(tool));
      if (shadowed.length > 0) sink.add(locate(yaml, [...at, "discovery"]), `endpoint "${name}" is in discovery mode, whose meta-tools are named ${DISCOVERY_TOOL_NAMES.join(", ")}; its toolset has ${shadowed.join(", ")}`, "rename the tool, or leave it out of this endpoint (toolset.exclude)");
    }
    // A prompt has the model call the tools it uses: on an endpoint without them it would ask for
    // tools the model cannot call there.
    for (const promptName of selected.prompts) {
      const prompt = prompts.find((candidate) => candidate.name === promptName)!;
      const missing = prompt.uses.filter((tool) => !chosen.has(tool));
      if (missing.length > 0) {
        sink.add(prompt.source, `prompt "${prompt.name}" is served by endpoint "${name}", which does not serve ${missing.join(", ")}, ${missing.length === 1 ? "a tool" : "tools"} it uses`, `add ${missing.join(", ")} to endpoint "${name}"'s toolset (${yaml.file}), or leave the prompt out of it`);
      }
    }
    endpoints.push({
      name,
      path,
      title,
      instructions,
      tools: selected.tools,
      prompts: selected.prompts,
      scopesSupported: [...new Set(tools.filter((tool) => chosen.has(tool.name)).flatMap((tool) => tool.scopes))].sort(),
      ...(discovery ? { discovery: true as const } : {}),
    });
  };

  add("main", mainPath, identity.title, identity.instructions, spec.toolset, spec.discovery === true, []);
  for (const name of Object.keys(spec.endpoints ?? {}).sort()) {
    const endpoint = spec.endpoints![name]!;
    const at = ["endpoints", name];
    if (!NAME.test(name) || name === "main") {
      sink.add(locate(yaml, at, "key"), `endpoint name "${name}" is not allowed`, 'use lower-case letters, digits and "-" (at most 63), and not "main" (the endpoint at `resource`)');
      continue;
    }
    const path = endpoint.path.replace(/\/+$/, "");
    if (!PATH.test(path) || RESERVED.test(path)) {
      sink.add(locate(yaml, [...at, "path"]), `endpoint path ${JSON.stringify(endpoint.path)} is not allowed`, "use an absolute path of URL-safe segments that the gateway does not already answer, such as /mcp/" + name);
      continue;
    }
    add(name, path, endpoint.title ?? identity.title, endpoint.instructions, endpoint.toolset, endpoint.discovery === true, at);
  }
  return endpoints;
}

/** The tools and prompts a toolset selects, by name, each list in name order. */
function selectToolset(
  toolset: ToolsetSpec,
  tools: readonly ToolModel[],
  prompts: readonly PromptModel[],
  toolsDirectory: string,
  at: (key: keyof ToolsetSpec, index: number) => ReturnType<typeof locate>,
  sink: ErrorSink,
): { tools: string[]; prompts: string[] } {
  const inFiles = (item: Selectable, glob: RegExp) => item.source.file.startsWith(toolsDirectory) && glob.test(item.source.file.slice(toolsDirectory.length));
  const chosenTools = new Set<string>();
  const chosenPrompts = new Set<string>();
  const criterion = <T extends Selectable>(key: keyof ToolsetSpec, items: readonly T[], matches: (item: T, glob: RegExp) => boolean, into: Set<string>, separator?: string) => {
    (toolset[key] ?? []).forEach((pattern, index) => {
      const glob = globToRegExp(pattern, separator);
      const found = items.filter((item) => matches(item, glob));
      if (found.length === 0 && key !== "files") sink.add(at(key, index), `toolset ${key} "${pattern}" matches nothing`, key === "tags" ? "tags are the OpenAPI operations' tags" : key === "paths" ? "paths are the backend's OpenAPI paths, e.g. /companies/**" : "check the name");
      for (const item of found) into.add(item.name);
    });
  };
  criterion("names", tools, (tool, glob) => glob.test(tool.name), chosenTools);
  criterion("tags", tools, (tool, glob) => tool.tags.some((tag) => glob.test(tag)), chosenTools);
  criterion("paths", tools, (tool, glob) => glob.test(tool.path), chosenTools, "/");
  criterion("categories", tools, (tool, glob) => tool.category !== undefined && glob.test(tool.category), chosenTools);
  criterion("files", tools, inFiles, chosenTools, "/");
  criterion("files", prompts, inFiles, chosenPrompts, "/");
  (toolset.files ?? []).forEach((pattern, index) => {
    const glob = globToRegExp(pattern, "/");
    if (![...tools, ...prompts].some((item) => inFiles(item, glob))) sink.add(at("files", index), `toolset files "${pattern}" matches no spec file with tools or prompts`, `file globs are relative to ${toolsDirectory}`);
  });
  criterion("prompts", prompts, (prompt, glob) => glob.test(prompt.name), chosenPrompts);
  (toolset.exclude ?? []).forEach((pattern) => {
    const glob = globToRegExp(pattern);
    for (const name of [...chosenTools]) if (glob.test(name)) chosenTools.delete(name);
  });
  return { tools: [...chosenTools].sort(), prompts: [...chosenPrompts].sort() };
}
