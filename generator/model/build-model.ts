import { ErrorSink } from "../errors.ts";
import type { LoadedSpecs } from "../load/load-specs.ts";
import { locate } from "../load/yaml-file.ts";
import { RefError } from "../openapi/resolve-refs.ts";
import { buildGateway } from "./build-gateway.ts";
import { buildTool, type ToolSite, type ToolSpec } from "./build-tool.ts";
import { buildPolicy } from "./build-policy.ts";
import { buildComposite, type CompositeSpec } from "./build-composite.ts";
import { buildEndpoints } from "./build-endpoints.ts";
import { buildPrompt, type PromptSpec } from "./build-prompts.ts";
import { expandImport, type ImportSpec } from "./import-tools.ts";
import type { GatewaySpecModel, PromptModel, ToolModel } from "./types.ts";

/** Resolves loaded specs into the model the emitters write out; every problem found is thrown together. */
export function buildModel(specs: LoadedSpecs): GatewaySpecModel {
  const { gateway, backends } = buildGateway(specs.root, specs.gateway);
  const sink = new ErrorSink();
  const explicit: { spec: ToolSpec; site: ToolSite }[] = [];
  const composites: { spec: CompositeSpec; site: ToolSite }[] = [];
  const promptSpecs: { spec: PromptSpec; site: ToolSite }[] = [];
  const imports: { rule: ImportSpec; path: (string | number)[]; file: (typeof specs.toolFiles)[number] }[] = [];
  for (const file of specs.toolFiles) {
    const value = (file.value ?? {}) as { tools?: (ToolSpec | CompositeSpec)[]; import?: ImportSpec[]; prompts?: PromptSpec[] };
    (value.tools ?? []).forEach((spec, index) => {
      const site = { yaml: file, path: ["tools", index] };
      if ("steps" in spec) composites.push({ spec, site });
      else explicit.push({ spec, site });
    });
    (value.import ?? []).forEach((rule, index) => imports.push({ rule, path: ["import", index], file }));
    (value.prompts ?? []).forEach((spec, index) => promptSpecs.push({ spec, site: { yaml: file, path: ["prompts", index] } }));
  }

  const tools: ToolModel[] = [];
  const build = (spec: ToolSpec, site: ToolSite) => {
    try {
      const tool = buildTool(spec, site, backends, sink);
      if (tool) tools.push(tool);
    } catch (error) {
      if (!(error instanceof RefError)) throw error;
      sink.add(locate(site.yaml, [...site.path, "operation"]), error.message, "fix the OpenAPI document's $ref");
    }
  };
  for (const { spec, site } of explicit) build(spec, site);
  const taken = new Set(tools.map((tool) => `${tool.backend} ${tool.method} ${tool.path}`));
  const names = new Set(explicit.map(({ spec }) => spec.name));
  for (const { rule, path, file } of imports) {
    for (const { spec, site } of expandImport(rule, file, path, backends, taken, names, sink)) build(spec, site);
  }

  const byName = new Map<string, ToolModel>();
  const addUnique = (tool: ToolModel) => {
    const first = byName.get(tool.name);
    if (first) {
      sink.add(tool.source, `tool name "${tool.name}" is already used at ${first.source.file}:${first.source.line}`, "tool names must be unique across all spec files; rename one");
    } else byName.set(tool.name, tool);
  };
  for (const tool of tools) addUnique(tool);
  // Composites come last: their steps are the tools above.
  for (const { spec, site } of composites) {
    const tool = buildComposite(spec, site, byName, sink);
    if (tool) addUnique(tool);
  }
  const toolNames = [...byName.keys()];
  const prompts: PromptModel[] = [];
  for (const { spec, site } of promptSpecs) {
    const prompt = buildPrompt(spec, site.yaml, site.path, toolNames, sink);
    if (!prompt) continue;
    const first = prompts.find((other) => other.name === prompt.name);
    if (first) sink.add(prompt.source, `prompt name "${prompt.name}" is already used at ${first.source.file}:${first.source.line}`, "prompt names must be unique across all spec files; rename one");
    else prompts.push(prompt);
  }
  prompts.sort((a, b) => (a.name < b.name ? -1 : 1));
  if (tools.length === 0 && sink.errors.length === 0) {
    sink.add({ file: specs.gateway.file, line: 1, col: 1 }, "the specs define no tools", "add a file under specs/tools/ with a `tools:` list");
  }
  const sorted = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const policy = buildPolicy(specs.access, sorted, sink);
  const toolsDirectory = `${specs.gateway.file.replace(/[^/]*$/, "")}tools/`;
  // Tools that failed to build would make toolsets look empty: endpoints are checked on sound tools only.
  const endpoints = sink.errors.length > 0 ? [] : buildEndpoints(specs.gateway, new URL(gateway.resource).pathname.replace(/\/+$/, "") || "/", gateway, sorted, prompts, toolsDirectory, sink);
  sink.throwIfAny();
  const sources = [specs.gateway.file, ...(specs.access ? [specs.access.file] : []), ...specs.toolFiles.map((file) => file.file), ...gateway.backends.map((backend) => backend.openapi)];
  const complete = { ...gateway, endpoints };
  return {
    gateway: complete.auth ? { ...complete, auth: { ...complete.auth, scopesSupported: [...new Set(sorted.flatMap((tool) => tool.scopes))].sort() } } : complete,
    tools: sorted,
    prompts,
    policy,
    sources: [...new Set(sources)].sort(),
    documents: new Map([...backends].map(([name, backend]) => [name, backend.document.root])),
  };
}
