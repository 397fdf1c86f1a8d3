import Handlebars from "handlebars";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { ErrorSink, SpecLocation } from "../errors.ts";
import { locate, type PathSegment, type YamlFile } from "../load/yaml-file.ts";
import { isObject, type JsonObject } from "../openapi/load-document.ts";
import type { Operation } from "../openapi/operations.ts";
import { resolveRef } from "../openapi/resolve-refs.ts";
import { SchemaConverter } from "../openapi/to-json-schema.ts";
import { didYouMean } from "../suggest.ts";
import { type BodyTypeGap, documentGaps, isPartlyUndescribed } from "./body-type-gaps.ts";
import type { ResolvedBackend } from "./build-gateway.ts";
import { buildPickTree, type Deref, isObjectSchema, pointerSegments, schemaAtPointer } from "./output-shape.ts";
import type { Binding, FormEncoding, QuerySerialization, OutputModel, ParameterLocation, PickTree, RequestEncoding, ToolAnnotations, ToolModel } from "./types.ts";
import { parseValueExpression } from "./value-expression.ts";

/** A tool as written in a spec file (already shape-checked against tools.schema.json). */
export interface ToolSpec {
  name: string;
  backend?: string;
  operation: string;
  title?: string;
  description?: string;
  scopes?: string[];
  annotations?: Partial<ToolAnnotations>;
  input?: { rename?: Record<string, string>; hide?: string[]; defaults?: Record<string, unknown>; describe?: Record<string, string>; require?: string[] };
  inject?: Record<string, string | number | boolean>;
  output?: { pointer?: string; pick?: string[]; template?: string };
  cost?: number;
  audit?: { resource_ids?: string[]; redact?: Record<string, "secret" | "personal">; arguments?: "keep" | "drop" };
  category?: string;
}

/** Where a tool spec sits, so every message can point into it. */
export interface ToolSite {
  readonly yaml: YamlFile;
  /** Path of the tool's mapping in the file (e.g. ["tools", 3]). */
  readonly path: readonly PathSegment[];
}

/** Handlebars options for output templates: only the built-in helpers, no HTML escaping (the text goes to a model). */
export const outputTemplateOptions = {
  knownHelpers: { if: true, unless: true, each: true, with: true, lookup: true },
  knownHelpersOnly: true,
  noEscape: true,
  strict: false,
} as const;

/** Headers the gateway sets itself; a parameter of that name is never the model's to choose. */
const reservedHeaders = new Set(["authorization", "content-type", "accept", "content-length", "host", "cookie"]);

/** RFC 9110 §5.1 field names and RFC 6265 cookie names are tokens: `header param` cannot be sent. */
const httpToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

interface Candidate {
  readonly in: ParameterLocation;
  /** The backend's name for it; "" for a whole request body. */
  readonly name: string;
  /** How specs refer to it: its name, or "body" for a whole request body. */
  readonly key: string;
  readonly schema: JsonObject;
  readonly required: boolean;
  readonly serialization?: QuerySerialization;
  /** A body field: its schema as the OpenAPI document writes it (for `bodyTypeGaps`). */
  readonly documentSchema?: unknown;
}

type Locate = (...path: PathSegment[]) => SpecLocation;

/** Resolves one tool spec against its backend's operation; problems go to `sink`, and undefined comes back. */
export function buildTool(spec: ToolSpec, site: ToolSite, backends: ReadonlyMap<string, ResolvedBackend>, sink: ErrorSink): ToolModel | undefined {
  const at = (...path: PathSegment[]) => locate(site.yaml, [...site.path, ...path]);
  const keyAt = (...path: PathSegment[]) => locate(site.yaml, [...site.path, ...path], "key");
  const before = sink.errors.length;

  const resolved = resolveOperation(spec, backends, at("operation"), at("backend"), sink);
  if (!resolved) return undefined;
  const { backend, operation } = resolved;
  const root = backend.document.root;
  const converters = convertersOf(backend);
  const convert = (schema: unknown, direction: "input" | "output") => converters[direction].convert(schema);

  const { candidates, bodyKind, requestMediaType, requestEncoding, formEncoding } = collectCandidates(operation, root, convert, at, sink);
  const bound = bindInputs(spec, operation, candidates, converters.input, at, keyAt, sink);
  const inputSchema = converters.input.withDefs(bound.inputSchema);
  const bindings = bound.bindings;
  const bodyTypeGaps = bodyKind === "fields" && requestEncoding === "json" ? findBodyTypeGaps(root, candidates, bindings, bound.inputSchema, inputSchema) : new Map<string, readonly BodyTypeGap[]>();

  const audit = buildAudit(spec, inputSchema, at, keyAt, sink);
  const output = buildOutput(spec, operation, convert, (schema) => converters.output.deref(schema), site, sink);
  if (output?.schema) output.schema = converters.output.withDefs(output.schema);
  const description = spec.description ?? operation.description ?? operation.summary;
  if (!description) sink.add(at("name"), `tool "${spec.name}" has no description, and ${operation.id} has neither description nor summary`, "add `description:`: the model chooses tools by it");
  if (sink.errors.length > before || !output) return undefined;

  return {
    name: spec.name,
    title: spec.title ?? operation.summary,
    description: description!.trim(),
    scopes: [...(spec.scopes ?? [])].sort(),
    annotations: { ...(spec.annotations?.title !== undefined ? { title: spec.annotations.title } : {}), ...deriveAnnotations(operation.method), ...withoutTitle(spec.annotations) },
    backend: backend.model.name,
    operationId: operation.id,
    tags: operation.tags,
    category: spec.category,
    typedOperation: operation.hasOperationId,
    method: operation.method,
    path: operation.path,
    source: at("name"),
    inputSchema,
    outputSchema: output.schema,
    bindings,
    bodyKind,
    bodyTypeGaps,
    requestMediaType,
    requestEncoding,
    formEncoding,
    server: operation.server,
    cost: spec.cost ?? 1,
    audit,
    output: output.model,
    composite: undefined,
  };
}

/** Every value the backend operation takes, in document order: parameters, then body fields. */
function collectCandidates(
  operation: Operation,
  root: JsonObject,
  convert: (schema: unknown, direction: "input" | "output") => JsonObject,
  at: Locate,
  sink: ErrorSink,
): { candidates: Candidate[]; bodyKind: ToolModel["bodyKind"]; requestMediaType: string | undefined; requestEncoding: RequestEncoding | undefined; formEncoding: FormEncoding } {
  const candidates: Candidate[] = [];
  for (const parameter of operation.parameters) {
    const location = parameter.in;
    const name = String(parameter.name);
    if (location !== "path" && location !== "query" && location !== "header" && location !== "cookie") continue;
    if (location === "header" && reservedHeaders.has(name.toLowerCase())) continue;
    if ((location === "header" || location === "cookie") && !httpToken.test(name)) {
      // No request can carry it (undici refuses such a header); an optional one is left out.
      if (parameter.required === true) sink.add(at("operation"), `${operation.id} takes the ${location} parameter ${JSON.stringify(name)}, which HTTP cannot send (a ${location} name is a token: no spaces or separators)`, "fix the parameter's name in the OpenAPI document");
      continue;
    }
    const schema = { ...convert(parameter.schema ?? firstContentSchema(parameter.content), "input") };
    if (typeof parameter.description === "string" && schema.description === undefined) schema.description = parameter.description;
    // The same name in two places (a path `id` and a query `id`): the later one is told apart by its location.
    const key = candidates.some((candidate) => candidate.key === name) ? `${location}_${name}` : name;
    const serialization = location === "query" ? querySerialization(parameter) : undefined;
    candidates.push({ in: location, name, key, schema, required: location === "path" || parameter.required === true, ...(serialization ? { serialization } : {}) });
  }
  const none = { candidates, bodyKind: "none" as const, requestMediaType: undefined, requestEncoding: undefined, formEncoding: {} };
  const body = requestBody(root, operation.requestBody);
  if (!body) return none;
  if (body.encoding === "raw" && !isStringSchema(body.schema)) {
    // A body of a media type toolgate cannot build from arguments (XML, a binary upload, …).
    if (body.required) sink.add(at("operation"), `${operation.id} takes a ${body.mediaType} body; toolgate builds JSON, form-urlencoded and multipart bodies`, "choose an operation with one of those request bodies");
    return none;
  }
  const schema: JsonObject = body.encoding === "raw" ? { type: "string" } : { ...convert(body.schema, "input") };
  const properties = isObject(schema.properties) ? schema.properties : undefined;
  const clash = properties && Object.keys(properties).some((name) => candidates.some((candidate) => candidate.key === name));
  const form = body.encoding === "form" || body.encoding === "multipart";
  if (properties && isObjectSchema(schema) && (!clash || form)) {
    // An object body's fields become arguments beside the parameters.
    const required = new Set(Array.isArray(schema.required) ? schema.required : []);
    const documentProperties = documentPropertiesOf(root, body.schema);
    for (const [name, property] of Object.entries(properties)) {
      const key = candidates.some((candidate) => candidate.key === name) ? `body_${name}` : name;
      // A field not found as written (one from a 3.1 sibling of `$ref`, say) is looked for in the whole body.
      const documentSchema = documentProperties && Object.hasOwn(documentProperties, name) ? documentProperties[name] : body.schema;
      candidates.push({ in: "body", name, key, schema: property as JsonObject, required: required.has(name), documentSchema });
    }
    return { candidates, bodyKind: "fields", requestMediaType: body.mediaType, requestEncoding: body.encoding, formEncoding: body.encoding === "form" ? formEncodingOf(body.encodingObject, properties) : body.encoding === "multipart" ? formEncodingOf(body.encodingObject, properties, true) : {} };
  }
  if (form) {
    // Form bodies are made of named fields; one whose schema does not name them cannot be built.
    if (body.required) sink.add(at("operation"), `${operation.id} takes a ${body.mediaType} body whose schema has no properties`, "describe the body's fields in the OpenAPI document, or choose another operation");
    return none;
  }
  // Any other body (or one whose field names clash with parameters) is one `body` argument.
  if (typeof body.description === "string" && schema.description === undefined) schema.description = body.description;
  const key = candidates.some((candidate) => candidate.key === "body") ? "request_body" : "body";
  candidates.push({ in: "body", name: "", key, schema, required: body.required });
  return { candidates, bodyKind: "whole", requestMediaType: body.mediaType, requestEncoding: body.encoding, formEncoding: {} };
}

/** The `properties` of a body schema as the document writes it, its `$ref`s followed. */
function documentPropertiesOf(root: JsonObject, schema: unknown): JsonObject | undefined {
  let resolved: unknown;
  try {
    resolved = resolveRef(root, schema);
  } catch {
    return undefined;
  }
  return isObject(resolved) && isObject(resolved.properties) ? resolved.properties : undefined;
}

/**
 * The fields of a JSON body whose argument types differ by design from the backend's own request
 * type (see `BodyTypeGap`), each with why: the generated handler checks them relaxed.
 */
function findBodyTypeGaps(root: JsonObject, candidates: readonly Candidate[], bindings: readonly Binding[], unbounded: JsonObject, inputSchema: JsonObject): Map<string, readonly BodyTypeGap[]> {
  const gaps = new Map<string, readonly BodyTypeGap[]>();
  // `unbounded` is the input schema before `withDefs` bounded it into `inputSchema`.
  const properties = isObject(unbounded.properties) ? unbounded.properties : {};
  for (const binding of bindings) {
    if (binding.in !== "body") continue;
    const candidate = candidates.find((entry) => entry.in === "body" && entry.name === binding.name);
    const found = new Set(documentGaps(root, candidate?.documentSchema));
    const argument = binding.source.kind === "argument" && Object.hasOwn(properties, binding.source.argument) ? properties[binding.source.argument] : undefined;
    if (isPartlyUndescribed(argument, inputSchema)) found.add("not-described");
    if (found.size > 0) gaps.set(binding.name, [...found].sort());
  }
  return gaps;
}

/** A query parameter's style and explode, when not OpenAPI's default (form, exploded). */
function querySerialization(parameter: JsonObject): QuerySerialization | undefined {
  const style = parameter.style === "spaceDelimited" || parameter.style === "pipeDelimited" || parameter.style === "deepObject" ? parameter.style : "form";
  const explode = typeof parameter.explode === "boolean" ? parameter.explode : style === "form";
  return style === "form" && explode ? undefined : { style, explode };
}

/**
 * The OpenAPI `encoding` object of a form body, reduced to what request building uses. In a
 * multipart body, a binary field (`format: binary`, or `contentMediaType`) without an encoding
 * is a file part of that type (default `application/octet-stream`).
 */
function formEncodingOf(encoding: unknown, properties: JsonObject, multipart = false): FormEncoding {
  const out: Record<string, FormEncoding[string]> = {};
  for (const field of Object.keys(properties)) {
    const entry = isObject(encoding) && Object.hasOwn(encoding, field) ? encoding[field] : undefined;
    const property = properties[field];
    const binary = multipart && isObject(property) && (property.format === "binary" || typeof property.contentMediaType === "string");
    const fallbackType = binary ? (typeof (property as JsonObject).contentMediaType === "string" ? ((property as JsonObject).contentMediaType as string) : "application/octet-stream") : undefined;
    if (!isObject(entry) && fallbackType === undefined) continue;
    const given = isObject(entry) ? entry : {};
    const style = given.style === "form" || given.style === "deepObject" || given.style === "spaceDelimited" || given.style === "pipeDelimited" ? given.style : undefined;
    const contentType = typeof given.contentType === "string" ? given.contentType : fallbackType;
    const value = {
      ...(style ? { style } : {}),
      ...(typeof given.explode === "boolean" ? { explode: given.explode } : {}),
      ...(contentType !== undefined ? { contentType } : {}),
    };
    if (Object.keys(value).length > 0) Object.defineProperty(out, field, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function isStringSchema(schema: unknown): boolean {
  return schema === undefined || (isObject(schema) && (schema.type === "string" || schema.type === undefined) && schema.$ref === undefined && schema.properties === undefined);
}

/**
 * Applies input shaping (rename, hide, defaults, describe) and inject: what the model sees
 * (the input schema) and where each backend value comes from (the bindings).
 */
function bindInputs(
  spec: ToolSpec,
  operation: Operation,
  candidates: readonly Candidate[],
  converter: SchemaConverter,
  at: Locate,
  keyAt: Locate,
  sink: ErrorSink,
): { inputSchema: JsonObject; bindings: Binding[] } {
  const input = spec.input ?? {};
  const hidden = new Set(input.hide ?? []);
  const keys = candidates.map((candidate) => candidate.key);
  const unknownName = (section: string, key: string, location: SpecLocation) =>
    sink.add(location, `${section}: ${operation.id} has no parameter or body field "${key}"`, didYouMean(key, keys) ?? `it takes: ${keys.join(", ") || "nothing"}`);
  for (const key of Object.keys(input.rename ?? {})) if (!keys.includes(key)) unknownName("input.rename", key, keyAt("input", "rename", key));
  for (const [index, key] of (input.hide ?? []).entries()) if (!keys.includes(key)) unknownName("input.hide", key, at("input", "hide", index));
  for (const key of Object.keys(spec.inject ?? {})) if (!keys.includes(key)) unknownName("inject", key, keyAt("inject", key));

  const argumentName = (candidate: Candidate) => own(input.rename, candidate.key) ?? candidate.key;
  const argumentNames = new Map<string, Candidate>();
  for (const candidate of candidates) {
    if (hidden.has(candidate.key) || own(spec.inject, candidate.key) !== undefined) continue;
    const name = argumentName(candidate);
    const other = argumentNames.get(name);
    if (other) sink.add(at("input", "rename"), `two arguments would be named "${name}" (${other.key} and ${candidate.key})`, "rename one of them under input.rename");
    argumentNames.set(name, candidate);
  }

  // A default is keyed by the argument's name, or by the backend's name for a hidden parameter.
  const defaults = input.defaults ?? {};
  const defaultKey = (candidate: Candidate) => [argumentName(candidate), candidate.key].find((key) => Object.hasOwn(defaults, key));
  for (const key of Object.keys(defaults)) {
    if (!candidates.some((candidate) => argumentName(candidate) === key || candidate.key === key)) {
      sink.add(keyAt("input", "defaults", key), `input.defaults: no argument "${key}"`, didYouMean(key, [...argumentNames.keys(), ...keys]));
    }
  }
  for (const key of Object.keys(input.describe ?? {})) {
    if (!argumentNames.has(key)) sink.add(keyAt("input", "describe", key), `input.describe: no argument "${key}"`, didYouMean(key, [...argumentNames.keys()]));
  }
  // Arguments the tool needs although the backend makes them optional (a priority to set, the one
  // context of a timeline entry): the generated validator refuses a call without them.
  const requiredByTool = new Set(input.require ?? []);
  (input.require ?? []).forEach((key, index) => {
    if (!argumentNames.has(key)) sink.add(at("input", "require", index), `input.require: no argument "${key}"`, didYouMean(key, [...argumentNames.keys()]) ?? `arguments: ${[...argumentNames.keys()].join(", ") || "none"}`);
    else if (Object.hasOwn(defaults, key)) sink.add(at("input", "require", index), `input.require: "${key}" has a default, so it is never missing`, "remove it from input.require or from input.defaults");
  });

  const bindings: Binding[] = [];
  const properties: JsonObject = {};
  const required: string[] = [];
  for (const candidate of candidates) {
    const injected = own(spec.inject, candidate.key);
    const fallbackKey = defaultKey(candidate);
    const fallback = fallbackKey === undefined ? undefined : { value: defaults[fallbackKey] };
    if (fallbackKey !== undefined) checkDefault(converter.withDefs(candidate.schema), candidate.key, defaults[fallbackKey], keyAt("input", "defaults", fallbackKey), sink);
    if (injected !== undefined) {
      const value = parseValueExpression(injected);
      if ("error" in value) sink.add(at("inject", candidate.key), `inject.${candidate.key}: ${value.error}`, value.hint);
      else bindings.push({ in: candidate.in, name: candidate.name, source: { kind: "fixed", value }, ...serializationOf(candidate) });
      continue;
    }
    if (hidden.has(candidate.key)) {
      if (fallback) bindings.push({ in: candidate.in, name: candidate.name, source: { kind: "fixed", value: { kind: "literal", value: fallback.value as never } }, ...serializationOf(candidate) });
      else if (candidate.required) {
        sink.add(at("input", "hide", (input.hide ?? []).indexOf(candidate.key)), `input.hide: "${candidate.key}" is required by ${operation.id}, so hiding it needs a value`, `add it under input.defaults or inject (e.g. inject: { ${candidate.key}: "{{caller.tenant}}" })`);
      }
      continue;
    }
    const name = argumentName(candidate);
    if (name === "__proto__") {
      sink.add(at("operation"), `${operation.id} has a parameter named "__proto__", which cannot be an argument name`, 'rename it, e.g. input.rename: { "__proto__": proto }');
      continue;
    }
    const schema: JsonObject = { ...candidate.schema };
    const described = own(input.describe, name);
    if (described !== undefined) schema.description = described;
    if (fallback) schema.default = fallback.value;
    properties[name] = schema;
    if ((candidate.required && !fallback) || requiredByTool.has(name)) required.push(name);
    bindings.push({ in: candidate.in, name: candidate.name, source: { kind: "argument", argument: name }, ...serializationOf(candidate) });
  }
  return { inputSchema: { type: "object", properties, ...(required.length > 0 ? { required } : {}), additionalProperties: false }, bindings };
}

function serializationOf(candidate: Candidate): { serialization?: QuerySerialization } {
  return candidate.serialization ? { serialization: candidate.serialization } : {};
}

/**
 * What the audit trail keeps of a call: the declared resource ids, and the arguments with the
 * declared ones masked. Arguments the OpenAPI document marks as passwords or write-only are
 * masked as secrets without being declared.
 */
function buildAudit(spec: ToolSpec, inputSchema: JsonObject, at: Locate, keyAt: Locate, sink: ErrorSink): ToolModel["audit"] {
  const properties = (inputSchema.properties ?? {}) as Record<string, JsonObject>;
  const names = Object.keys(properties);
  const resourceIds = spec.audit?.resource_ids ?? [];
  resourceIds.forEach((name, index) => {
    if (!names.includes(name)) sink.add(at("audit", "resource_ids", index), `audit.resource_ids: no argument "${name}"`, didYouMean(name, names) ?? `arguments: ${names.join(", ") || "none"}`);
  });
  const redact: Record<string, "secret" | "personal"> = {};
  for (const [name, schema] of Object.entries(properties)) {
    if (schema.format === "password" || schema.writeOnly === true) Object.defineProperty(redact, name, { value: "secret", enumerable: true, writable: true, configurable: true });
  }
  for (const [name, kind] of Object.entries(spec.audit?.redact ?? {})) {
    if (!names.includes(name)) sink.add(keyAt("audit", "redact", name), `audit.redact: no argument "${name}"`, didYouMean(name, names) ?? `arguments: ${names.join(", ") || "none"}`);
    else Object.defineProperty(redact, name, { value: kind, enumerable: true, writable: true, configurable: true });
  }
  return { resourceIds, redact, keepArguments: spec.audit?.arguments !== "drop" };
}

function resolveOperation(
  spec: ToolSpec,
  backends: ReadonlyMap<string, ResolvedBackend>,
  operationAt: SpecLocation,
  backendAt: SpecLocation,
  sink: ErrorSink,
): { backend: ResolvedBackend; operation: Operation } | undefined {
  let reference = spec.operation.trim();
  let backendName = spec.backend;
  const dotted = /^([a-z][a-z0-9_]*)\.(.+)$/.exec(reference);
  if (!backendName && dotted && backends.has(dotted[1]!)) {
    backendName = dotted[1]!;
    reference = dotted[2]!;
  }
  if (!backendName) {
    if (backends.size !== 1) {
      sink.add(operationAt, `operation "${reference}" does not say which backend it belongs to`, `add \`backend:\` (one of ${[...backends.keys()].join(", ")}) or write it as backend.operationId`);
      return undefined;
    }
    backendName = [...backends.keys()][0]!;
  }
  const backend = backends.get(backendName);
  if (!backend) {
    sink.add(spec.backend ? backendAt : operationAt, `unknown backend "${backendName}"`, didYouMean(backendName, backends.keys()) ?? `backends in gateway.yaml: ${[...backends.keys()].join(", ")}`);
    return undefined;
  }
  const methodPath = /^([A-Za-z]+)\s+(\/\S*)$/.exec(reference);
  if (methodPath) {
    const method = methodPath[1]!.toUpperCase();
    const path = methodPath[2]!;
    const operation = backend.operations.find((candidate) => candidate.method === method && candidate.path === path);
    if (!operation) {
      sink.add(operationAt, `backend "${backendName}" has no operation ${method} ${path}`, didYouMean(`${method} ${path}`, backend.operations.map((candidate) => `${candidate.method} ${candidate.path}`)));
    }
    return operation && { backend, operation };
  }
  const operation = backend.operations.find((candidate) => candidate.hasOperationId && candidate.id === reference);
  if (!operation) {
    const ids = backend.operations.filter((candidate) => candidate.hasOperationId).map((candidate) => candidate.id);
    sink.add(operationAt, `backend "${backendName}" has no operation "${reference}"`, didYouMean(reference, ids) ?? `see the operationIds in ${backend.model.openapi}`);
    return undefined;
  }
  return { backend, operation };
}

function buildOutput(
  spec: ToolSpec,
  operation: Operation,
  convert: (schema: unknown, direction: "input" | "output") => JsonObject,
  deref: Deref,
  site: ToolSite,
  sink: ErrorSink,
): { model: OutputModel; schema: JsonObject | undefined } | undefined {
  const at = (...path: PathSegment[]) => locate(site.yaml, [...site.path, ...path]);
  const response = successResponse(operation);
  const output = spec.output ?? {};
  if (!response) {
    if (output.pointer !== undefined || output.pick !== undefined) {
      sink.add(at("output"), `${operation.id} has no JSON success response to shape`, "remove output.pointer and output.pick");
      return undefined;
    }
    return { model: { json: false, success: undefined, pointer: undefined, pick: undefined, wrap: false, template: checkTemplate(output.template, site, sink) }, schema: undefined };
  }
  let schema = convert(response.schema, "output");
  let pointer: string[] | undefined;
  if (output.pointer !== undefined) {
    pointer = pointerSegments(output.pointer);
    const selected = schemaAtPointer(schema, pointer, deref);
    if ("message" in selected) {
      sink.add(at("output", "pointer"), selected.message as string, selected.hint as string | undefined);
      return undefined;
    }
    schema = selected;
  }
  let pick: PickTree | undefined;
  if (output.pick !== undefined) {
    const picked = buildPickTree(schema, output.pick, deref);
    if ("message" in picked) {
      const index = output.pick.findIndex((field) => picked.message.includes(`"${field.split(".")[0]}`));
      sink.add(at("output", "pick", Math.max(index, 0)), picked.message, picked.hint);
      return undefined;
    }
    pick = picked.tree;
    schema = picked.schema;
  }
  const wrap = !isObjectSchema(schema);
  if (wrap) schema = { type: "object", properties: { result: schema }, required: ["result"] };
  return { model: { json: true, success: { status: response.status, mediaType: response.mediaType }, pointer, pick, wrap, template: checkTemplate(output.template, site, sink) }, schema };
}

/** Compiles an output template once at generate time, so a broken one is a spec error, not a runtime one. */
function checkTemplate(template: string | undefined, site: ToolSite, sink: ErrorSink): string | undefined {
  if (template === undefined) return undefined;
  const path = [...site.path, "output", "template"];
  const node = site.yaml.document.getIn(path, true) as { type?: string } | undefined;
  const blockScalar = node?.type === "BLOCK_LITERAL" || node?.type === "BLOCK_FOLDED";
  try {
    Handlebars.precompile(template, outputTemplateOptions);
    return template;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = /line (\d+)/.exec(message);
    const start = locate(site.yaml, path);
    const offset = line ? Number(line[1]) - 1 : 0;
    const summary = message.split("\n").find((text) => text.startsWith("Expecting") || /helper|Missing/.test(text)) ?? message.split("\n")[0];
    sink.add({ ...start, line: start.line + offset + (blockScalar ? 1 : 0), col: 1 }, `output.template: ${summary}`, "templates use Handlebars: {{field}}, {{#each items}}…{{/each}}, {{#if x}}…{{/if}}");
    return undefined;
  }
}

function successResponse(operation: Operation): { schema: unknown; status: string; mediaType: string } | undefined {
  const codes = Object.keys(operation.responses).filter((code) => /^2(\d\d|XX)$/i.test(code)).sort();
  for (const code of codes) {
    const response = operation.responses[code];
    if (!isObject(response)) continue;
    const content = isObject(response.content) ? response.content : {};
    const media = Object.keys(content).find(isJsonMediaType);
    if (media) return { schema: (content[media] as JsonObject | undefined)?.schema ?? {}, status: code, mediaType: media };
    return undefined;
  }
  return undefined;
}

interface RequestBodyChoice {
  readonly schema: unknown;
  readonly required: boolean;
  readonly description: unknown;
  readonly mediaType: string;
  readonly encoding: RequestEncoding;
  readonly encodingObject: unknown;
}

/** The request body's media type toolgate sends: JSON first, then form-urlencoded, multipart, then text. */
function requestBody(root: JsonObject, requestBody: JsonObject | undefined): RequestBodyChoice | undefined {
  if (!requestBody) return undefined;
  const content = isObject(requestBody.content) ? requestBody.content : {};
  const media = Object.keys(content);
  const choose = (encoding: RequestEncoding, test: (media: string) => boolean) => {
    const found = media.find(test);
    return found === undefined ? undefined : { found, encoding };
  };
  const chosen =
    choose("json", isJsonMediaType) ??
    choose("form", (type) => /^application\/x-www-form-urlencoded(;|$)/i.test(type)) ??
    choose("multipart", (type) => /^multipart\/form-data(;|$)/i.test(type)) ??
    choose("raw", (type) => /^text\//i.test(type)) ??
    choose("raw", () => true);
  if (!chosen) return undefined;
  const entry = resolveRef(root, content[chosen.found]);
  return {
    schema: isObject(entry) ? entry.schema : undefined,
    required: requestBody.required === true,
    description: requestBody.description,
    mediaType: chosen.found,
    encoding: chosen.encoding,
    encodingObject: isObject(entry) ? entry.encoding : undefined,
  };
}

/** One schema converter per backend document and direction, shared by its tools. */
const converterCache = new WeakMap<JsonObject, { input: SchemaConverter; output: SchemaConverter }>();

function convertersOf(backend: ResolvedBackend): { input: SchemaConverter; output: SchemaConverter } {
  const root = backend.document.root;
  let converters = converterCache.get(root);
  if (!converters) {
    const version = backend.document.version;
    converters = { input: new SchemaConverter(root, { version, direction: "input" }), output: new SchemaConverter(root, { version, direction: "output" }) };
    converterCache.set(root, converters);
  }
  return converters;
}

function firstContentSchema(content: unknown): unknown {
  if (!isObject(content)) return undefined;
  const first = Object.values(content)[0];
  return isObject(first) ? first.schema : undefined;
}

function isJsonMediaType(media: string): boolean {
  return /^application\/([\w.-]+\+)?json(;|$)/i.test(media);
}

const defaultChecker = new Ajv2020({ strict: false, allErrors: false });

function checkDefault(schema: JsonObject, key: string, value: unknown, location: SpecLocation, sink: ErrorSink): void {
  const validate = defaultChecker.compile(schema);
  if (!validate(value)) {
    const error = validate.errors?.[0];
    sink.add(location, `input.defaults: ${JSON.stringify(value)} is not a valid value for "${key}": ${error?.instancePath ? `${error.instancePath} ` : ""}${error?.message ?? "invalid"}`);
  }
}

/** MCP annotations from HTTP semantics: GET reads, PUT and DELETE are idempotent, updates and deletes may destroy. */
export function deriveAnnotations(method: string): Omit<ToolAnnotations, "title"> {
  const readOnly = method === "GET" || method === "HEAD" || method === "OPTIONS";
  return {
    readOnlyHint: readOnly,
    destructiveHint: method === "DELETE" || method === "PUT" || method === "PATCH",
    idempotentHint: readOnly || method === "PUT" || method === "DELETE",
    openWorldHint: false,
  };
}

function withoutTitle(annotations: Partial<ToolAnnotations> | undefined): Partial<ToolAnnotations> {
  if (!annotations) return {};
  const { title: _title, ...rest } = annotations;
  return rest;
}

/** A spec mapping's own entry: names like `constructor` must not reach Object.prototype. */
function own<T>(map: Record<string, T> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}
