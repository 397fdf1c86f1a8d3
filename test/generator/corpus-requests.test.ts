/**
 * What a backend receives from tools generated out of real OpenAPI documents. For a sample of
 * each corpus document's operations (chosen to cover the parameter locations, styles and body
 * media types the document uses), the generated handler runs through the runtime (validation,
 * request building, the backend client) against a real HTTP server on 127.0.0.1 that records
 * each request. What arrives is checked against an oracle written here from the OpenAPI
 * document alone: the path by RFC 3986 segments, the query and cookies by OpenAPI's style and
 * explode rules (RFC 6570), headers as `simple` style, and bodies parsed by JSON.parse,
 * URLSearchParams and a multipart reader of its own. None of it calls the generator's or the
 * runtime's serialisation code, or the test could not fail.
 *
 * Where OpenAPI leaves the wire format undefined (nested objects and arrays under deepObject,
 * an empty object, null), the oracle states toolgate's convention, Stripe's: bracketed keys,
 * indexed arrays, an empty value.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { generate, sampleArguments } from "../../generator/index.ts";
import { BackendClient, prepareBackendRequest, type BackendTarget } from "../../runtime/backend/backend-client.ts";
import { loadGenerated, type GeneratedBundle } from "../../runtime/config/load-generated.ts";
import type { Caller, GeneratedTool, OperationTool } from "../../runtime/handler-api.ts";
import { callTool } from "../../runtime/tools/call-tool.ts";
import { prepareCall } from "../../runtime/tools/prepare-call.ts";
import { startRecordingBackend, type RecordedRequest } from "../support/recording-backend.ts";
import { corpus, corpusDir, openapiDocuments } from "../support/corpus.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const scratch = join(root, "test/.tmp", `corpus-requests-${process.pid}`);

const documents = openapiDocuments;
const operationsPerDocument = 8;
const methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
/** Headers the gateway sets itself: a parameter of one of these names is never an argument. */
const reservedHeaders = new Set(["authorization", "content-type", "accept", "content-length", "host", "cookie"]);

/** Why a parameter cannot be an argument, if it cannot: the gateway sets that header, or HTTP cannot carry the name (RFC 9110 §5.1, RFC 6265: a token). */
function unsendable(parameter: { readonly name: string; readonly in: string }): string | undefined {
  if (parameter.in === "header" && reservedHeaders.has(parameter.name.toLowerCase())) return "reserved header";
  if ((parameter.in === "header" || parameter.in === "cookie") && !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(parameter.name)) return `${parameter.in} name not a token`;
  return undefined;
}

const caller: Caller = { tenant: "acme corp", user: "u", client: "c", scopes: new Set(), email: undefined, groups: [] };
const context = { requestId: "corpus", traceHeaders: undefined, actorHeader: undefined };

type Json = Record<string, unknown>;
type Location = "path" | "query" | "header" | "cookie";

interface Parameter {
  readonly name: string;
  readonly in: Location;
  readonly style: string;
  readonly explode: boolean;
  readonly schema: unknown;
}

interface SampledOperation {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly item: Json;
  readonly operation: Json;
  readonly parameters: readonly Parameter[];
  readonly features: readonly string[];
  readonly label: string;
}

// ---------------------------------------------------------------------------------------------
// Reading the document (independently of generator/openapi).

function loadDocument(file: string): Json {
  const text = readFileSync(join(corpus, file), "utf8");
  return (file.endsWith(".json") ? JSON.parse(text) : parse(text, { maxAliasCount: -1 })) as Json;
}

const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);

/** Follows local `$ref`s (`#/components/...`). */
function deref(document: Json, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isJson(current) && typeof current.$ref === "string" && current.$ref.startsWith("#/") && hops < 32; hops++) {
    let node: unknown = document;
    for (const raw of current.$ref.slice(2).split("/")) node = isJson(node) ? node[decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    current = node;
  }
  return current;
}

/** OpenAPI's parameters of an operation: the path item's, overridden by the operation's of the same name and location, plus template variables nobody declared. */
function parametersOf(document: Json, path: string, item: Json, operation: Json): Parameter[] {
  const list = (value: unknown) => (Array.isArray(value) ? value.map((entry) => deref(document, entry)).filter(isJson) : []);
  const own = list(operation.parameters);
  const shared = list(item.parameters).filter((parameter) => !own.some((other) => other.name === parameter.name && other.in === parameter.in));
  const declared = [...shared, ...own].filter((parameter) => ["path", "query", "header", "cookie"].includes(String(parameter.in)));
  const undeclared = [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]!).filter((name) => !declared.some((parameter) => parameter.in === "path" && parameter.name === name));
  return [
    ...declared.map((parameter) => {
      const location = parameter.in as Location;
      // OpenAPI 3.x defaults: form for query and cookie, simple for path and header; explode only for form.
      const style = typeof parameter.style === "string" ? parameter.style : location === "query" || location === "cookie" ? "form" : "simple";
      return { name: String(parameter.name), in: location, style, explode: typeof parameter.explode === "boolean" ? parameter.explode : style === "form", schema: parameter.schema };
    }),
    ...[...new Set(undeclared)].map((name) => ({ name, in: "path" as const, style: "simple", explode: false, schema: { type: "string" } })),
  ];
}

function requestContent(document: Json, operation: Json): Json | undefined {
  const body = deref(document, operation.requestBody);
  return isJson(body) && isJson(body.content) ? body.content : undefined;
}

const kinds = ["json", "form", "multipart", "other"] as const;
const mediaKind = (media: string): "json" | "form" | "multipart" | "other" =>
  /^application\/([\w.-]+\+)?json(;|$)/i.test(media) ? "json" : /^application\/x-www-form-urlencoded(;|$)/i.test(media) ? "form" : /^multipart\/form-data(;|$)/i.test(media) ? "multipart" : "other";

/** The first server URL, variables at their defaults, when absolute. */
function serverOf(servers: unknown): string | undefined {
  const first = Array.isArray(servers) ? servers[0] : undefined;
  if (!isJson(first) || typeof first.url !== "string") return undefined;
  const variables = isJson(first.variables) ? first.variables : {};
  const url = first.url.replace(/\{([^}]+)\}/g, (whole, name: string) => String((variables[name] as Json | undefined)?.default ?? whole));
  return /^https?:\/\//.test(url) && !url.includes("{") ? url.replace(/\/+$/, "") : undefined;
}

/** What an operation exercises, for choosing a sample that covers the document. */
function featuresOf(document: Json, item: Json, operation: Json, parameters: readonly Parameter[]): string[] {
  const features = new Set<string>();
  for (const parameter of parameters) {
    const schema = deref(document, parameter.schema);
    const type = isJson(schema) ? String(schema.type ?? (schema.anyOf || schema.oneOf ? "union" : "")) : "";
    const reason = unsendable(parameter);
    if (reason) features.add(reason);
    else features.add(`${parameter.in}${type === "array" || type === "object" || type === "union" ? ` ${type}` : ""}`);
    if (parameter.in === "query" && !(parameter.style === "form" && parameter.explode)) features.add(`query ${parameter.style}${parameter.explode ? "" : " unexploded"}`);
  }
  if (Array.isArray(item.parameters) && item.parameters.length > 0) features.add("path-level parameters");
  const content = requestContent(document, operation) ?? {};
  for (const media of Object.keys(content)) features.add(`body ${media}`);
  // The body toolgate sends (its preference: JSON, form, multipart, other), and what its fields need.
  const sent = Object.keys(content).sort((a, b) => kinds.indexOf(mediaKind(a)) - kinds.indexOf(mediaKind(b)))[0];
  if (sent !== undefined) {
    const kind = mediaKind(sent);
    features.add(`sent as ${kind}`);
    const entry = deref(document, content[sent]);
    if (kind === "form" || kind === "multipart") {
      for (const property of mergedProperties(document, isJson(entry) ? entry.schema : undefined).values()) {
        if (isJson(property) && (property.type === "array" || property.type === "object")) features.add(`${kind} ${property.type} field`);
        if (isJson(property) && property.format === "binary") features.add(`${kind} binary field`);
      }
      const encoding = isJson(entry) && isJson(entry.encoding) ? entry.encoding : {};
      for (const field of Object.values(encoding)) {
        if (!isJson(field)) continue;
        if (typeof field.style === "string") features.add(`${kind} encoding ${field.style}${field.explode === false ? " unexploded" : ""}`);
        if (typeof field.contentType === "string") features.add(`${kind} encoding contentType`);
      }
    }
  }
  if (serverOf(operation.servers) ?? serverOf(item.servers)) features.add("operation servers");
  return [...features].sort();
}

/**
 * Up to `operationsPerDocument` operations: greedily, the one adding the most features not yet
 * covered (ties: more features, then document order); then the richest of the rest.
 */
function chooseOperations(document: Json): SampledOperation[] {
  const all: Omit<SampledOperation, "index" | "label">[] = [];
  for (const [path, rawItem] of Object.entries(document.paths as Json)) {
    const item = deref(document, rawItem);
    if (!isJson(item)) continue;
    for (const method of methods) {
      const operation = item[method];
      if (!isJson(operation)) continue;
      const parameters = parametersOf(document, path, item, operation);
      all.push({ method: method.toUpperCase(), path, item, operation, parameters, features: featuresOf(document, item, operation, parameters) });
    }
  }
  const chosen: typeof all = [];
  const covered = new Set<string>();
  const score = (entry: (typeof all)[number]) => entry.features.filter((feature) => !covered.has(feature)).length * 1000 + entry.features.length;
  while (chosen.length < Math.min(operationsPerDocument, all.length)) {
    let best: (typeof all)[number] | undefined;
    for (const entry of all) if (!chosen.includes(entry) && (best === undefined || score(entry) > score(best))) best = entry;
    chosen.push(best!);
    for (const feature of best!.features) covered.add(feature);
  }
  return chosen.map((entry, index) => ({ ...entry, index, label: `${entry.method} ${entry.path} [${entry.features.join(", ") || "no parameters"}]` }));
}

// ---------------------------------------------------------------------------------------------
// Arguments: made from the tool's input schema, strings swapped for ones that need encoding.

/** Values that break a request if they are not encoded where they go. */
const awkward: Readonly<Record<Location | "json" | "form" | "multipart" | "other", string>> = {
  path: "a b/ç?#%",
  query: "a b&c=d+é/?",
  header: "v a;l,ue",
  cookie: "c v;a,l=ue é",
  json: 'j "q" é\\/',
  form: "x y&z=+é%",
  multipart: 'm é & "q"',
  other: "raw é",
};
/** For arrays: no item holds a delimiter (`,`, space, `|`), so unexploded arrays stay readable. */
const awkwardItems = ["x/é", "y&z=+"];

function isPlainString(schema: unknown, defs: Json): boolean {
  const resolved = isJson(schema) && typeof schema.$ref === "string" && schema.$ref.startsWith("#/$defs/") ? defs[schema.$ref.slice("#/$defs/".length)] : schema;
  if (!isJson(resolved)) return false;
  const types = Array.isArray(resolved.type) ? resolved.type : [resolved.type];
  return types.includes("string") && types.every((type) => type === "string" || type === "null") && resolved.enum === undefined && resolved.const === undefined && resolved.format === undefined && resolved.pattern === undefined && !(typeof resolved.maxLength === "number" && resolved.maxLength < 20);
}

function accepts(tool: GeneratedTool, args: Json): Json | undefined {
  const copy: Json = Object.assign(Object.create(null), structuredClone(args));
  return tool.validate(copy) ? { ...copy } : undefined;
}

/** Arguments the tool's validator accepts (after its defaults), with as many awkward strings as it takes. */
function argumentsFor(tool: GeneratedTool, where: ReadonlyMap<string, Location | "json" | "form" | "multipart" | "other">): Json {
  const schema = tool.definition.inputSchema;
  const properties = (schema.properties ?? {}) as Json;
  const defs = (schema.$defs ?? {}) as Json;
  let args: Json | undefined;
  for (const candidate of [sampleArguments(schema, { optionalDepth: 2 }), sampleArguments(schema)]) {
    if (!accepts(tool, candidate)) continue;
    args = candidate;
    break;
  }
  if (!args) {
    // An optional argument no sample satisfies (overlapping oneOf branches) is left out.
    const base = sampleArguments(schema);
    const copy = Object.assign(Object.create(null), structuredClone(base));
    tool.validate(copy);
    const failing = new Set((tool.validate.errors ?? []).map((error) => error.instancePath.split("/")[1]));
    const required = new Set((schema.required as string[] | undefined) ?? []);
    args = Object.fromEntries(Object.entries(base).filter(([name]) => !failing.has(name) || required.has(name)));
  }
  for (const [name, location] of where) {
    const property = properties[name];
    const items = isJson(property) ? property.items : undefined;
    const value = isPlainString(property, defs) ? awkward[location] : isJson(property) && property.type === "array" && isPlainString(items, defs) ? awkwardItems : undefined;
    if (value === undefined || !Object.hasOwn(args, name)) continue;
    const tried: Json = { ...args, [name]: value };
    if (accepts(tool, tried)) args = tried;
  }
  const valid = accepts(tool, args);
  expect(valid, `no valid arguments for ${tool.definition.name}: ${JSON.stringify(tool.validate.errors)}`).toBeDefined();
  return valid!;
}

// ---------------------------------------------------------------------------------------------
// The oracle.

const text = (value: unknown): string => (value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value));
const isScalar = (value: unknown) => value === null || typeof value !== "object";

/** RFC 6570 simple expansion (path and header parameters). */
function simple(value: unknown, explode: boolean): string {
  if (Array.isArray(value)) return value.map(text).join(",");
  if (isJson(value)) return Object.entries(value).map(([key, item]) => (explode ? `${key}=${text(item)}` : `${key},${text(item)}`)).join(",");
  return text(value);
}

/** Bracketed keys for deepObject (`a[b][0]=c`): OpenAPI defines one level of objects; deeper levels, arrays and `{}` follow Stripe's convention. */
function bracketed(prefix: string, value: unknown): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => bracketed(`${prefix}[${index}]`, item));
  if (isJson(value)) {
    const entries = Object.entries(value);
    return entries.length === 0 ? [[prefix, ""]] : entries.flatMap(([key, item]) => bracketed(`${prefix}[${key}]`, item));
  }
  return [[prefix, text(value)]];
}

const delimiter: Readonly<Record<string, string>> = { form: ",", spaceDelimited: " ", pipeDelimited: "|" };

/** `[name, value]` pairs (decoded) of one form-style value: a query parameter, or a field of a form body. */
function formPairs(name: string, value: unknown, style: string, explode: boolean): [string, string][] {
  if (style === "deepObject") return isScalar(value) ? [[name, text(value)]] : bracketed(name, value);
  if (Array.isArray(value)) {
    if (!value.every(isScalar)) return bracketed(name, value);
    return explode ? value.map((item) => [name, text(item)]) : [[name, value.map(text).join(delimiter[style] ?? ",")]];
  }
  if (isJson(value)) {
    if (!Object.values(value).every(isScalar)) return bracketed(name, value);
    // RFC 6570 form, exploded: each property is its own pair; else `name=k,v,k,v`.
    return explode ? Object.entries(value).map(([key, item]) => [key, text(item)]) : [[name, Object.entries(value).flatMap(([key, item]) => [key, text(item)]).join(delimiter[style] ?? ",")]];
  }
  return [[name, text(value)]];
}

/** Pairs grouped by name, values in order: the order of different names carries no meaning. */
function grouped(pairs: readonly (readonly [string, string])[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [key, value] of [...pairs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) (out[key] ??= []).push(value);
  return out;
}

/** RFC 3986: what may appear unencoded in a path segment, and in a query (plus `[` `]`, which OpenAPI's deepObject examples show as is). */
const pathSegmentChars = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;
const queryChars = /^(?:[A-Za-z0-9\-._~!$'()*+,;:@/?[\]]|%[0-9A-Fa-f]{2})*$/;
/** RFC 6265 cookie-octet. */
const cookieChars = /^[\x21\x23-\x2B\x2D-\x3A\x3C-\x5B\x5D-\x7E]*$/;

interface MultipartPart {
  readonly name: string;
  readonly filename: boolean;
  readonly contentType: string;
  readonly content: string;
}

/** Reads a multipart/form-data body (RFC 7578): each part's name, whether it is a file, its type (text/plain when absent) and content. */
function readMultipart(body: string, contentType: string): MultipartPart[] {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  expect(boundary, `multipart content type without a boundary: ${contentType}`).toBeDefined();
  const sections = body.split(`--${boundary}`);
  expect(sections.at(-1), "the body ends with the closing boundary").toBe("--\r\n");
  expect(sections[0], "nothing before the first boundary").toBe("");
  return sections.slice(1, -1).map((section) => {
    expect(section.startsWith("\r\n") && section.endsWith("\r\n")).toBe(true);
    const split = section.indexOf("\r\n\r\n");
    const headers = Object.fromEntries(
      section
        .slice(2, split)
        .split("\r\n")
        .map((line) => [line.slice(0, line.indexOf(":")).trim().toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]),
    );
    const disposition = headers["content-disposition"] ?? "";
    expect(disposition).toMatch(/^form-data;/);
    return {
      name: /;\s*name="([^"]*)"/.exec(disposition)?.[1] ?? "",
      filename: /;\s*filename=/.test(disposition),
      contentType: headers["content-type"] ?? "text/plain",
      content: section.slice(split + 4, -2),
    };
  });
}

function mergedProperties(document: Json, schema: unknown, seen = new Set<unknown>()): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const resolved = deref(document, schema);
  if (!isJson(resolved) || seen.has(resolved)) return out;
  seen.add(resolved);
  if (isJson(resolved.properties)) for (const [key, value] of Object.entries(resolved.properties)) out.set(key, deref(document, value));
  for (const keyword of ["allOf", "anyOf", "oneOf"]) {
    const parts = resolved[keyword];
    if (Array.isArray(parts)) for (const part of parts) for (const [key, value] of mergedProperties(document, part, seen)) if (!out.has(key)) out.set(key, value);
  }
  return out;
}

/** Whether a request body media type is one toolgate builds from arguments (JSON, form, multipart, or text of a string schema). */
function buildable(document: Json, content: Json): boolean {
  return Object.entries(content).some(([media, entry]) => {
    if (mediaKind(media) !== "other") return true;
    const schema = deref(document, isJson(entry) ? entry.schema : undefined);
    return schema === undefined || (isJson(schema) && (schema.type === "string" || schema.type === undefined) && schema.properties === undefined && schema.$ref === undefined);
  });
}

function checkRequest(document: Json, sampled: SampledOperation, tool: GeneratedTool, args: Json, received: RecordedRequest): void {
  const { method, path, parameters, operation } = sampled;
  const properties = (tool.definition.inputSchema.properties ?? {}) as Json;

  // Which argument feeds which parameter: its name, or `<in>_<name>` when an earlier one took the name.
  const keys: string[] = [];
  const bound: { parameter: Parameter; argument: string }[] = [];
  for (const parameter of parameters) {
    const reason = unsendable(parameter);
    if (reason) {
      // Not an argument, and not sent.
      expect(Object.keys(properties), `${parameter.in} ${parameter.name} (${reason}) is not an argument`).not.toContain(parameter.name);
      if (reason !== "reserved header" && parameter.in === "header") expect(received.headers[parameter.name.toLowerCase()]).toBeUndefined();
      continue;
    }
    const key = keys.includes(parameter.name) ? `${parameter.in}_${parameter.name}` : parameter.name;
    keys.push(key);
    expect(Object.keys(properties), `parameter ${parameter.in} ${parameter.name} is argument ${key}`).toContain(key);
    bound.push({ parameter, argument: key });
  }
  const bodyArguments = Object.keys(properties).filter((name) => !keys.includes(name));
  const value = (name: string) => (Object.hasOwn(args, name) ? args[name] : undefined);

  expect(received.method).toBe(method);
  const [rawPath = "", rawQuery] = received.url.split(/\?(.*)$/s);

  // Path: below the base URL (tenant encoded), each segment RFC 3986-clean and, decoded, the template filled in.
  const prefix = `/base/${encodeURIComponent(caller.tenant)}`;
  expect(rawPath.startsWith(`${prefix}/`) || rawPath === prefix, rawPath).toBe(true);
  const segments = rawPath.slice(prefix.length).split("/");
  for (const segment of segments) expect(segment, `path segment ${segment} is percent-encoded`).toMatch(pathSegmentChars);
  const filled = path.split("/").map((segment) =>
    segment.replace(/\{([^}]+)\}/g, (_whole, name: string) => {
      const entry = bound.find((candidate) => candidate.parameter.in === "path" && candidate.parameter.name === name)!;
      expect(entry.parameter.style, `path parameter ${name}: only simple style is in the corpus`).toBe("simple");
      return simple(value(entry.argument), entry.parameter.explode);
    }),
  );
  expect(segments.map((segment) => decodeURIComponent(segment))).toEqual(filled);

  // Query: pairs per OpenAPI style and explode, compared decoded; delimiters of unexploded form arrays stay literal.
  const expectedQuery: [string, string][] = [];
  for (const { parameter, argument } of bound.filter((entry) => entry.parameter.in === "query")) {
    const given = value(argument);
    if (given === undefined) continue;
    expectedQuery.push(...formPairs(parameter.name, given, parameter.style, parameter.explode));
    if (parameter.style === "form" && !parameter.explode && Array.isArray(given) && given.length > 1) {
      const raw = (rawQuery ?? "").split("&").find((pair) => decodeURIComponent(pair.split("=")[0]!) === parameter.name)?.split("=")[1] ?? "";
      expect(raw.split(",").map((part) => decodeURIComponent(part)), `${parameter.name}: form arrays are comma-separated`).toEqual(given.map(text));
    }
  }
  const receivedQuery = (rawQuery ?? "")
    .split("&")
    .filter((pair) => pair !== "")
    .map((pair) => {
      const at = pair.indexOf("=");
      const [key, item] = at < 0 ? [pair, ""] : [pair.slice(0, at), pair.slice(at + 1)];
      expect(key, `query key ${key} is percent-encoded`).toMatch(queryChars);
      expect(item, `query value ${item} is percent-encoded`).toMatch(queryChars);
      return [decodeURIComponent(key), decodeURIComponent(item)] as [string, string];
    });
  expect(grouped(receivedQuery)).toEqual(grouped(expectedQuery));

  // Headers: simple style, exactly; nothing else but what the client and the gateway always send.
  const expectedHeaders = new Map<string, string>();
  for (const { parameter, argument } of bound.filter((entry) => entry.parameter.in === "header")) {
    const given = value(argument);
    if (given !== undefined) expectedHeaders.set(parameter.name.toLowerCase(), simple(given, parameter.explode));
  }
  for (const [name, expected] of expectedHeaders) expect(received.headers[name], `header ${name}`).toBe(expected);
  const always = new Set(["host", "connection", "accept", "content-type", "content-length", "transfer-encoding", "x-request-id", "authorization", "cookie"]);
  expect(Object.keys(received.headers).filter((name) => !always.has(name) && !expectedHeaders.has(name))).toEqual([]);
  expect(received.headers.authorization).toBe("Bearer corpus-key");

  // Cookies: form style, percent-encoded to cookie-octets.
  const expectedCookies: [string, string][] = [];
  for (const { parameter, argument } of bound.filter((entry) => entry.parameter.in === "cookie")) {
    const given = value(argument);
    if (given !== undefined) expectedCookies.push(...formPairs(parameter.name, given, "form", false));
  }
  const cookieHeader = received.headers.cookie;
  const receivedCookies = (typeof cookieHeader === "string" ? cookieHeader.split(/;\s*/) : []).map((pair) => {
    const at = pair.indexOf("=");
    const raw = pair.slice(at + 1);
    expect(raw, `cookie ${pair} holds only cookie-octets`).toMatch(cookieChars);
    return [pair.slice(0, at), decodeURIComponent(raw)] as [string, string];
  });
  expect(grouped(receivedCookies)).toEqual(grouped(expectedCookies));

  // Body.
  const content = requestContent(document, operation);
  const contentType = received.headers["content-type"];
  if (content === undefined) {
    expect(received.body).toBe("");
    expect(contentType).toBeUndefined();
    expect(bodyArguments).toEqual([]);
    return;
  }
  if (contentType === undefined) {
    // No body sent: only right when no media type offered is one toolgate builds from arguments.
    expect(buildable(document, content), `a body of ${Object.keys(content).join(", ")} could have been sent`).toBe(false);
    expect(received.body).toBe("");
    expect(bodyArguments).toEqual([]);
    return;
  }
  const media = Object.keys(content).find((candidate) => candidate.split(";")[0]!.trim().toLowerCase() === contentType.split(";")[0]!.trim().toLowerCase());
  expect(media, `content type ${contentType} is one the document offers (${Object.keys(content).join(", ")})`).toBeDefined();
  const entry = deref(document, content[media!]) as Json;
  const declared = mergedProperties(document, entry.schema);
  // One `body` (or `request_body`) argument is the whole body, unless the body's only field has that name:
  // when fields become arguments, every declared field does.
  const whole = bodyArguments.length === 1 && (bodyArguments[0] === "body" || bodyArguments[0] === "request_body") && !(declared.size === 1 && declared.has(bodyArguments[0]));
  const fields: Json = {};
  if (!whole) {
    for (const name of bodyArguments) {
      // A body field whose name a parameter took is `body_<name>`.
      const field = declared.has(name) ? name : name.replace(/^body_/, "");
      expect(declared.has(field), `argument ${name} is a field of the ${media} body`).toBe(true);
      if (value(name) !== undefined) fields[field] = value(name);
    }
  }
  const expected = whole ? value(bodyArguments[0]!) : fields;
  const encoding = isJson(entry.encoding) ? entry.encoding : {};
  switch (mediaKind(media!)) {
    case "json":
      expect(JSON.parse(received.body)).toEqual(expected);
      break;
    case "form": {
      const pairs = Object.entries(expected as Json).flatMap(([name, given]) => {
        const field = isJson(encoding[name]) ? (encoding[name] as Json) : {};
        if (typeof field.contentType === "string" && /json/i.test(field.contentType)) return [[name, JSON.stringify(given)] as [string, string]];
        const style = typeof field.style === "string" ? field.style : "form";
        return formPairs(name, given, style, typeof field.explode === "boolean" ? field.explode : style === "form");
      });
      expect(grouped([...new URLSearchParams(received.body)])).toEqual(grouped(pairs));
      break;
    }
    case "multipart": {
      // OpenAPI: each property a part, each item of an array its own part; the part's type is
      // the encoding's contentType, else application/octet-stream for binary strings,
      // application/json for objects, text/plain for the rest.
      const parts = Object.entries(expected as Json).flatMap(([name, given]) => {
        const field = isJson(encoding[name]) ? (encoding[name] as Json) : {};
        const property = declared.get(name);
        const itemSchema = isJson(property) && property.type === "array" ? deref(document, property.items) : property;
        const binary = isJson(itemSchema) && (itemSchema.format === "binary" || typeof itemSchema.contentMediaType === "string");
        return (Array.isArray(given) ? given : [given]).map((item) => {
          const type = typeof field.contentType === "string" ? field.contentType : binary ? (isJson(itemSchema) && typeof itemSchema.contentMediaType === "string" ? itemSchema.contentMediaType : "application/octet-stream") : isScalar(item) ? "text/plain" : "application/json";
          return { name, type, content: item };
        });
      });
      const received_ = readMultipart(received.body, contentType);
      const byName = <T extends { readonly name: string }>(list: readonly T[]): T[] => [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      expect(byName(received_).map((part) => [part.name, part.contentType.split(";")[0]])).toEqual(byName(parts).map((part) => [part.name, part.type]));
      byName(received_).forEach((part, index) => {
        const want = byName(parts)[index]!;
        if (/json/i.test(want.type)) expect(JSON.parse(part.content)).toEqual(want.content);
        else expect(part.content).toBe(text(want.content));
        if (want.type === "application/octet-stream") expect(part.filename, `${part.name} is a file part`).toBe(true);
      });
      break;
    }
    case "other":
      expect(contentType).toBe(media);
      expect(received.body).toBe(text(expected));
      break;
  }
}

// ---------------------------------------------------------------------------------------------

describe.skipIf(!corpusDir)("requests built from the OpenAPI corpus, as a recording server receives them", () => {
  let backend: Awaited<ReturnType<typeof startRecordingBackend>>;
  const client = new BackendClient({ maxConnections: 2, maxResponseBytes: 1024 * 1024 });
  beforeAll(async () => {
    backend = await startRecordingBackend(() => ({ status: 200, body: {} }));
  });
  afterAll(async () => {
    await client.close();
    await backend?.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  // Without the corpus nothing is read (a skipped suite is still collected).
  describe.each(corpusDir ? documents : [])("%s", (document) => {
    const parsed = loadDocument(document);
    const sample = chooseOperations(parsed);
    const documentServer = serverOf(parsed.servers);
    let bundle: GeneratedBundle;
    let target: BackendTarget;

    beforeAll(async () => {
      const specsDir = join(scratch, document.replace(/\W+/g, "_"));
      mkdirSync(join(specsDir, "tools"), { recursive: true });
      writeFileSync(join(specsDir, "gateway.yaml"), `version: 1\nresource: http://127.0.0.1:3000/mcp\nbackends:\n  api:\n    openapi: ${JSON.stringify(join(corpus, document))}\n    base_url: https://api.example.test/{tenant}\n`);
      const tools = sample.map((entry) => `  - name: op_${entry.index}\n    operation: ${JSON.stringify(`${entry.method} ${entry.path}`)}\n    description: ${JSON.stringify(entry.label)}\n`);
      writeFileSync(join(specsDir, "tools", "sample.yaml"), `tools:\n${tools.join("")}`);
      const outDir = join(specsDir, "generated");
      await generate({ root, specsDir, outDir });
      bundle = await loadGenerated(outDir);
      // Overridden as a deployment overrides it (TOOLGATE_BACKEND_API_URL): every request, an operation's own servers' too, goes here.
      target = { name: "api", baseUrlParts: [`${backend.url}/base/`, ""], credential: { header: "authorization", value: "Bearer corpus-key" }, timeoutMs: 5000, baseUrlOverridden: true };
    }, 60_000);

    it.each(sample.map((sampled) => [sampled.label, sampled] as const))("%s", async (_label, sampled) => {
      const tool = bundle.tools.find((entry): entry is OperationTool => entry.kind === "operation" && entry.definition.name === `op_${sampled.index}`)!;
      const names = Object.keys((tool.definition.inputSchema.properties ?? {}) as Json);
      const where = new Map<string, Location | "json" | "form" | "multipart" | "other">();
      const keys: string[] = [];
      for (const parameter of sampled.parameters) {
        if (unsendable(parameter)) continue;
        const key = keys.includes(parameter.name) ? `${parameter.in}_${parameter.name}` : parameter.name;
        keys.push(key);
        where.set(key, parameter.in);
      }
      const media = Object.keys(requestContent(parsed, sampled.operation) ?? {});
      const bodyKind = media.map(mediaKind).sort((a, b) => kinds.indexOf(a) - kinds.indexOf(b))[0];
      for (const name of names) if (!where.has(name) && bodyKind) where.set(name, bodyKind);
      const args = argumentsFor(tool, where);

      const before = backend.requests.length;
      const outcome = await callTool({ tool, target, argumentNames: names }, args, caller, client, context);
      expect(outcome.code, JSON.stringify(outcome.result.content)).not.toBe("invalid_arguments");
      expect(outcome.code).not.toBe("backend_unreachable");
      expect(backend.requests.length).toBe(before + 1);
      checkRequest(parsed, sampled, tool, args, backend.requests.at(-1)!);

      // Operation-level (else path-level) servers: the handler names them; without an override they are where the request goes.
      const own = serverOf(sampled.operation.servers) ?? serverOf(sampled.item.servers);
      const expectedServer = own !== undefined && own !== documentServer ? own : undefined;
      const prepared = prepareCall(tool, names, args, caller);
      expect(prepared.ok).toBe(true);
      if (!prepared.ok) return;
      expect(prepared.request.baseUrl).toBe(expectedServer);
      const direct = prepareBackendRequest({ ...target, baseUrlParts: ["https://api.example.test/", ""], baseUrlOverridden: false }, prepared.request, caller, context);
      expect(direct.url.startsWith(`${expectedServer ?? "https://api.example.test/acme%20corp"}/`)).toBe(true);
    });
  });
});
