import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { prepareBackendRequest, type PreparedRequest } from "../../runtime/backend/backend-client.ts";
import { loadGenerated } from "../../runtime/config/load-generated.ts";
import { resolveSettings } from "../../runtime/config/resolve-settings.ts";
import type { BackendRequest, GeneratedTool, Manifest } from "../../runtime/handler-api.ts";
import { prepareCall } from "../../runtime/tools/prepare-call.ts";
import type { SpecLocation } from "../errors.ts";
import { renderOutput, resolveSpecs, type GenerateOptions } from "../generate.ts";
import type { GatewaySpecModel } from "../model/types.ts";
import { sampleArguments } from "./sample-arguments.ts";

/** The backend request a tool would send, as the dry run shows it. */
export interface DryRunRequest {
  readonly method: string;
  readonly url: string;
  /** In the order they are sent; the backend credential is `<from env VAR>`, never its value. */
  readonly headers: Readonly<Record<string, string>>;
  /** Encoded as sent (JSON, form-urlencoded, multipart with its boundary, text), or undefined. */
  readonly body: string | undefined;
}

/** One tool's dry run: the sample arguments, the request they make, and what is wrong with it. */
export interface ToolDryRun {
  readonly name: string;
  readonly backend: string;
  readonly source: SpecLocation;
  readonly arguments: Readonly<Record<string, unknown>>;
  /** Undefined when the arguments failed validation or the request could not be built. */
  readonly request: DryRunRequest | undefined;
  /** Each makes the dry run fail: arguments the tool's own validator rejects, a request that cannot be sent. */
  readonly problems: readonly string[];
  /** Worth knowing, not failing: e.g. an example in the document that does not satisfy its schema. */
  readonly notes: readonly string[];
}

export interface DryRunReport {
  readonly tools: readonly ToolDryRun[];
  /** The development-mode caller whose tenant fills `{tenant}` in base URLs. */
  readonly caller: { readonly tenant: string; readonly user: string; readonly client: string };
}

/** Stands in for the per-call request id in the requests shown. */
export const requestIdPlaceholder = "<request id>";

/**
 * `toolgate validate`'s dry run: for each tool, sample arguments from its input schema, checked
 * by its generated validator, turned into the backend request its generated handler builds, with
 * the base URL (the development caller's tenant filled in), headers and body the runtime would
 * send. Nothing is sent. Base URLs are gateway.yaml's (TOOLGATE_BACKEND_<NAME>_URL is a
 * deployment's business), and credentials are shown by the variable they come from.
 *
 * It generates into a temporary directory and imports that with the runtime's own loader, so
 * the validators, handlers and request preparation that run are the ones `serve` runs: a bad
 * mapping shows as the request it really makes. Re-deriving requests from the model instead
 * would check the model against itself. The directory sits beside `outDir`, so its modules
 * resolve their imports (ajv's runtime helpers) as `generated/` does.
 */
export async function dryRun(options: GenerateOptions, model: GatewaySpecModel = resolveSpecs(options), only?: ReadonlySet<string>): Promise<DryRunReport> {
  const files = await renderOutput(options, model);
  mkdirSync(dirname(options.outDir), { recursive: true });
  const directory = mkdtempSync(join(dirname(options.outDir), ".toolgate-validate-"));
  try {
    for (const [path, content] of files) {
      mkdirSync(dirname(join(directory, path)), { recursive: true });
      writeFileSync(join(directory, path), content);
    }
    const bundle = await loadGenerated(directory);
    return runTools(bundle.manifest, bundle.tools, model, only);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

function runTools(manifest: Manifest, tools: readonly GeneratedTool[], model: GatewaySpecModel, only: ReadonlySet<string> | undefined): DryRunReport {
  const placeholders = Object.fromEntries(manifest.gateway.backends.flatMap((backend) => (backend.credentials ? [[backend.credentials.fromEnv, `<from env ${backend.credentials.fromEnv}>`]] : [])));
  const settings = resolveSettings(manifest, placeholders);
  const caller = settings.devCaller;
  const context = { requestId: requestIdPlaceholder, traceHeaders: undefined, actorHeader: manifest.gateway.audit.actorHeader };
  const generated = new Map(tools.map((tool) => [tool.definition.name, tool]));
  const results: ToolDryRun[] = [];
  for (const toolModel of model.tools) {
    if (only && !only.has(toolModel.name)) continue;
    const tool = generated.get(toolModel.name)!;
    if (tool.kind === "composite") {
      // Its steps read each other's results, which only a real call has: each step is dry-run as its own tool.
      results.push({ name: toolModel.name, backend: "", source: toolModel.source, arguments: sampleArguments(tool.definition.inputSchema), request: undefined, problems: [], notes: [`composite of ${tool.handler.steps.map((step) => step.tool).join(", ")}: its steps are dry-run as their own tools`] });
      continue;
    }
    const target = settings.backends.get(tool.backend)!;
    const argumentNames = Object.keys((tool.definition.inputSchema.properties as object | undefined) ?? {});
    const base = { name: toolModel.name, backend: tool.backend, source: toolModel.source };
    const notes: string[] = [];
    let args = sampleArguments(tool.definition.inputSchema);
    let built: BackendRequest;
    try {
      let prepared = prepareCall(tool, argumentNames, args, caller);
      if (!prepared.ok) {
        // The document's own example or default may not satisfy its schema: worth a note; a
        // value made from the constraints alone shows whether the tool itself works.
        const synthesised = sampleArguments(tool.definition.inputSchema, { documented: false });
        const retried = prepareCall(tool, argumentNames, synthesised, caller);
        if (retried.ok) {
          notes.push(`the schema's examples or defaults fail its own validation (${prepared.problems.join("; ")}); made-up values used instead`);
          args = synthesised;
          prepared = retried;
        }
      }
      if (!prepared.ok) {
        // An optional argument no sample satisfies (overlapping oneOf branches, say) is left
        // out, with a note: the request is still worth showing. A required one fails the tool.
        const optional = withoutFailingOptional(tool, args);
        if (optional.dropped.length > 0) {
          const retried = prepareCall(tool, argumentNames, optional.args, caller);
          if (retried.ok) {
            notes.push(`no sample value satisfies ${optional.dropped.map((name) => `\`${name}\``).join(", ")} (${prepared.problems.join("; ")}); left out`);
            args = optional.args;
            prepared = retried;
          }
        }
      }
      if (!prepared.ok) {
        results.push({ ...base, arguments: args, request: undefined, problems: prepared.problems.map((problem) => `sample arguments fail the tool's validation: ${problem}`), notes });
        continue;
      }
      built = prepared.request;
    } catch (error) {
      results.push({ ...base, arguments: args, request: undefined, problems: [`the request cannot be built: ${error instanceof Error ? error.message : String(error)}`], notes });
      continue;
    }
    const http = prepareBackendRequest(target, built, caller, context);
    results.push({ ...base, arguments: args, request: { method: http.method, url: http.url, headers: http.headers, body: http.body }, problems: checkRequest(http, built, toolModel), notes });
  }
  return { tools: results, caller: { tenant: caller.tenant, user: caller.user, client: caller.client } };
}

/** `args` without the optional arguments the tool's validator rejects. */
function withoutFailingOptional(tool: GeneratedTool, args: Readonly<Record<string, unknown>>): { args: Record<string, unknown>; dropped: string[] } {
  const copy: Record<string, unknown> = Object.assign(Object.create(null), structuredClone(args));
  if (tool.validate(copy)) return { args: { ...args }, dropped: [] };
  const required = new Set((tool.definition.inputSchema.required as string[] | undefined) ?? []);
  const failing = new Set((tool.validate.errors ?? []).map((error) => error.instancePath.split("/")[1]).filter((name): name is string => name !== undefined && name !== ""));
  const dropped = [...failing].map((name) => name.replace(/~1/g, "/").replace(/~0/g, "~")).filter((name) => Object.hasOwn(args, name) && !required.has(name));
  return { args: Object.fromEntries(Object.entries(args).filter(([name]) => !dropped.includes(name))), dropped };
}

/** What would make the backend refuse or misread the request: each a sentence naming the part. */
function checkRequest(http: PreparedRequest, request: BackendRequest, tool: { readonly method: string; readonly path: string }): string[] {
  const problems: string[] = [];
  if (http.method !== tool.method) problems.push(`the method is ${http.method}, but the operation is ${tool.method}`);
  let url: URL | undefined;
  try {
    url = new URL(http.url);
  } catch {
    problems.push(`the URL ${http.url} is not a valid URL`);
  }
  if (url && url.protocol !== "http:" && url.protocol !== "https:") problems.push(`the URL ${http.url} is not http(s)`);
  const placeholder = /\{[^}]*\}/.exec(http.url);
  if (placeholder) problems.push(`the URL still has the placeholder ${placeholder[0]}: nothing fills it in`);
  problems.push(...checkPath(request.path, tool.path));
  for (const [name, value] of Object.entries(http.headers)) {
    // RFC 9110 §5.5: a field value is visible characters, spaces and tabs; CR, LF and NUL cannot be sent.
    if (!/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) problems.push(`header ${name} has a value that cannot be sent: ${JSON.stringify(value)}`);
    if (value.includes("[object Object]") || value === "undefined") problems.push(`header ${name} is ${JSON.stringify(value)}: an object or missing value was sent as text`);
  }
  if (/\[object%20Object\]|%5Bobject%20Object%5D|\[object Object\]/.test(http.url)) problems.push("the URL has [object Object] in it: an object was sent as text");
  if (http.body?.includes("[object Object]") || /%5Bobject(\+|%20)Object%5D/.test(http.body ?? "")) problems.push("the body has [object Object] in it: an object was sent as text");
  return problems;
}

/** Every path parameter must be filled with a value: not empty, not the text of a missing one. */
function checkPath(path: string, template: string): string[] {
  const names: string[] = [];
  const source = template.split(/(\{[^}]+\})/).map((part) => {
    const name = /^\{(.+)\}$/.exec(part)?.[1];
    if (name === undefined) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    names.push(name);
    return "([^/]*)";
  });
  const match = new RegExp(`^${source.join("")}$`).exec(path);
  if (!match) return [`the path ${path} does not follow the operation's ${template}`];
  const problems: string[] = [];
  names.forEach((name, index) => {
    const value = match[index + 1]!;
    if (value === "") problems.push(`path parameter {${name}} is empty (${path})`);
    else if (value === "undefined" || value === "null") problems.push(`path parameter {${name}} is "${value}": no value reaches it (${path})`);
  });
  return problems;
}
