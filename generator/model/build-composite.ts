import Handlebars from "handlebars";
import type { ErrorSink } from "../errors.ts";
import { locate, type PathSegment } from "../load/yaml-file.ts";
import { isObject, type JsonObject } from "../openapi/load-document.ts";
import { didYouMean } from "../suggest.ts";
import type { CompositeStep, StepValue } from "../../runtime/handler-api.ts";
import { outputTemplateOptions, type ToolSite } from "./build-tool.ts";
import type { ToolAnnotations, ToolModel } from "./types.ts";

/** A composite tool as written in a spec file: `steps:` instead of `operation:`. */
export interface CompositeSpec {
  name: string;
  title?: string;
  description?: string;
  scopes?: string[];
  annotations?: Partial<ToolAnnotations>;
  /** The composite's own arguments, as JSON Schema properties. */
  arguments?: Record<string, JsonObject>;
  required?: string[];
  steps: { id: string; tool: string; arguments?: Record<string, unknown>; optional?: boolean }[];
  output?: { template?: string };
  cost?: number;
  audit?: { resource_ids?: string[]; arguments?: "keep" | "drop" };
  category?: string;
}

const STEP_ID = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * Resolves a composite tool against the gateway's other tools. Its arguments are declared; each
 * step names a tool and maps its arguments from literals, `$argument` and `$steps.<id>.<path>`
 * (a literal string starting with `$` is written `$$…`). Everything is checked here: unknown
 * tools and arguments, forward references, missing required arguments. The composite needs the
 * scopes of every step, so nobody reaches a step's data through it without them.
 */
export function buildComposite(spec: CompositeSpec, site: ToolSite, tools: ReadonlyMap<string, ToolModel>, sink: ErrorSink): ToolModel | undefined {
  const at = (...path: PathSegment[]) => locate(site.yaml, [...site.path, ...path]);
  const keyAt = (...path: PathSegment[]) => locate(site.yaml, [...site.path, ...path], "key");
  const before = sink.errors.length;
  const properties = spec.arguments ?? {};
  const argumentNames = Object.keys(properties);
  (spec.required ?? []).forEach((name, index) => {
    if (!Object.hasOwn(properties, name)) sink.add(at("required", index), `required argument "${name}" is not declared under arguments`, didYouMean(name, argumentNames) ?? "declare it under `arguments:`");
  });

  const steps: CompositeStep[] = [];
  const stepTools: ToolModel[] = [];
  const seen = new Set<string>();
  spec.steps.forEach((stepSpec, index) => {
    const stepAt = (...path: PathSegment[]) => at("steps", index, ...path);
    if (!STEP_ID.test(stepSpec.id) || seen.has(stepSpec.id)) {
      sink.add(stepAt("id"), seen.has(stepSpec.id) ? `step id "${stepSpec.id}" is used twice` : `step id "${stepSpec.id}" is not a lower-case identifier`, "step ids name the result's fields: use a unique lower_case name");
      return;
    }
    const tool = tools.get(stepSpec.tool);
    if (!tool || tool.composite) {
      sink.add(stepAt("tool"), tool ? `step "${stepSpec.id}" calls composite tool "${stepSpec.tool}"` : `step "${stepSpec.id}": no tool "${stepSpec.tool}"`, tool ? "steps call tools over backend operations; list that composite's steps here instead" : (didYouMean(stepSpec.tool, [...tools.keys()]) ?? "name a tool defined in the specs"));
      return;
    }
    const stepInput = (tool.inputSchema.properties ?? {}) as Record<string, JsonObject>;
    const stepArguments: Record<string, StepValue> = {};
    const after = new Set<string>();
    // An argument mapped wrongly is reported once, not again as missing.
    const reported = new Set<string>();
    for (const [name, raw] of Object.entries(stepSpec.arguments ?? {})) {
      reported.add(name);
      if (!Object.hasOwn(stepInput, name)) {
        sink.add(keyAt("steps", index, "arguments", name), `step "${stepSpec.id}": ${tool.name} has no argument "${name}"`, didYouMean(name, Object.keys(stepInput)) ?? `its arguments: ${Object.keys(stepInput).join(", ") || "none"}`);
        continue;
      }
      const value = parseStepValue(raw);
      if ("argument" in value && !Object.hasOwn(properties, value.argument)) {
        sink.add(stepAt("arguments", name), `step "${stepSpec.id}": "$${value.argument}" is not an argument of ${spec.name}`, didYouMean(value.argument, argumentNames) ?? "declare it under `arguments:`");
        continue;
      }
      if ("step" in value) {
        if (!seen.has(value.step)) {
          sink.add(stepAt("arguments", name), `step "${stepSpec.id}" reads step "${value.step}", which does not come before it`, "a step reads only the results of steps listed above it");
          continue;
        }
        after.add(value.step);
      }
      Object.defineProperty(stepArguments, name, { value, enumerable: true, writable: true, configurable: true });
    }
    const required = (tool.inputSchema.required ?? []) as string[];
    for (const name of required) {
      const hasDefault = stepInput[name] !== undefined && "default" in stepInput[name]!;
      if (!Object.hasOwn(stepArguments, name) && !reported.has(name) && !hasDefault) sink.add(stepAt("tool"), `step "${stepSpec.id}": ${tool.name} needs the argument "${name}"`, `map it under the step's arguments, e.g. \`${name}: $${argumentNames[0] ?? name}\``);
    }
    seen.add(stepSpec.id);
    stepTools.push(tool);
    steps.push({ id: stepSpec.id, tool: tool.name, arguments: stepArguments, optional: stepSpec.optional === true, after: [...after].sort() });
  });
  if (spec.steps.length === 0) sink.add(at("steps"), `composite tool "${spec.name}" has no steps`, "list the tools it calls under `steps:`");
  const template = spec.output?.template;
  if (template !== undefined) {
    try {
      Handlebars.precompile(template, outputTemplateOptions);
    } catch (error) {
      sink.add(at("output", "template"), `output.template: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`, "templates use Handlebars: {{step_id.field}}, {{#each step_id.data}}…{{/each}}");
    }
  }
  if (!spec.description) sink.add(at("name"), `composite tool "${spec.name}" has no description`, "add `description:`: the model chooses tools by it");
  if (sink.errors.length > before) return undefined;

  const readOnly = stepTools.every((tool) => tool.annotations.readOnlyHint);
  const backends = [...new Set(stepTools.map((tool) => tool.backend))];
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description!.trim(),
    scopes: [...new Set([...(spec.scopes ?? []), ...stepTools.flatMap((tool) => tool.scopes)])].sort(),
    annotations: {
      ...(spec.annotations?.title !== undefined ? { title: spec.annotations.title } : {}),
      readOnlyHint: readOnly,
      destructiveHint: stepTools.some((tool) => tool.annotations.destructiveHint),
      idempotentHint: stepTools.every((tool) => tool.annotations.idempotentHint),
      openWorldHint: false,
      ...Object.fromEntries(Object.entries(spec.annotations ?? {}).filter(([key]) => key !== "title")),
    },
    backend: backends[0]!,
    operationId: "",
    tags: [...new Set(stepTools.flatMap((tool) => tool.tags))].sort(),
    category: spec.category,
    typedOperation: false,
    method: readOnly ? "GET" : "POST",
    path: "",
    source: at("name"),
    inputSchema: { type: "object", properties, ...(spec.required?.length ? { required: spec.required } : {}), additionalProperties: false },
    outputSchema: compositeOutputSchema(steps, stepTools, backends.length === 1),
    bindings: [],
    bodyKind: "none",
    bodyTypeGaps: new Map(),
    cost: spec.cost ?? stepTools.reduce((sum, tool) => sum + tool.cost, 0),
    audit: { resourceIds: (spec.audit?.resource_ids ?? []).filter((name) => argumentNames.includes(name)), redact: {}, keepArguments: spec.audit?.arguments !== "drop" },
    requestMediaType: undefined,
    requestEncoding: undefined,
    formEncoding: {},
    server: undefined,
    output: { json: true, success: undefined, pointer: undefined, pick: undefined, wrap: false, template },
    composite: { steps },
  };
}

/** `$name` → an argument; `$steps.<id>.<path>` → a step's result; `$$…` → the literal `$…`; anything else is literal. */
export function parseStepValue(raw: unknown): StepValue {
  if (typeof raw !== "string" || !raw.startsWith("$")) return { literal: raw };
  if (raw.startsWith("$$")) return { literal: raw.slice(1) };
  const reference = raw.slice(1);
  if (reference.startsWith("steps.")) {
    const [step, ...path] = reference.slice("steps.".length).split(".");
    return { step: step!, path };
  }
  return { argument: reference };
}

/**
 * The result is one field per step holding that tool's structured result (null for a failed
 * optional step), plus `errors` naming the steps that failed. Step schemas share their
 * backend's definitions, so they are embedded with them when all steps use one backend.
 */
function compositeOutputSchema(steps: readonly CompositeStep[], tools: readonly ToolModel[], oneBackend: boolean): JsonObject {
  const properties: JsonObject = {};
  const defs: JsonObject = {};
  steps.forEach((step, index) => {
    const schema = tools[index]!.outputSchema;
    let inner: JsonObject = { type: "object" };
    if (schema && (oneBackend || schema.$defs === undefined)) {
      const { $defs, ...rest } = schema;
      if (isObject($defs)) Object.assign(defs, $defs);
      inner = rest;
    }
    properties[step.id] = step.optional ? { anyOf: [inner, { type: "null" }], description: `${step.tool}'s result, or null when it failed` } : { ...inner, description: `${step.tool}'s result` };
  });
  properties.errors = { type: "array", description: "Optional steps that failed, with why.", items: { type: "object", properties: { step: { type: "string" }, tool: { type: "string" }, message: { type: "string" } }, required: ["step", "tool", "message"] } };
  return { type: "object", properties, required: steps.map((step) => step.id), ...(Object.keys(defs).length ? { $defs: Object.fromEntries(Object.entries(defs).sort(([a], [b]) => (a < b ? -1 : 1))) } : {}) };
}
