/**
 * The contract between `generated/` and the runtime: the types generated modules are written
 * against and the few helpers they call. Generated code imports only this module.
 */
import type HandlebarsTypes from "handlebars";
import HandlebarsRuntimeModule from "handlebars/runtime.js";
import type { LimitsModel as ManifestLimits } from "./limits/types.ts";

// The runtime build (no compiler) has the same `template` as the full package; its typings omit it.
const HandlebarsRuntime = HandlebarsRuntimeModule as unknown as typeof HandlebarsTypes;

/** Who is calling: always from the verified token (or the development-mode caller), never from arguments. */
export interface Caller {
  readonly tenant: string;
  /** The token's subject. */
  readonly user: string;
  /** The OAuth app (client_id, or azp). */
  readonly client: string;
  /** Granted scopes (empty in development mode, where scopes are not checked). */
  readonly scopes: ReadonlySet<string>;
  readonly email: string | undefined;
  readonly groups: readonly string[];
}

/** The backend request a tool's generated `buildRequest` produces; the runtime adds the base URL and credentials. */
export interface BackendRequest {
  readonly method: string;
  /** Path below the backend's base URL, starting with `/`, already percent-encoded. */
  readonly path: string;
  /** Encoded query string without `?`, or "". */
  readonly query: string;
  readonly headers: Record<string, string> | undefined;
  /** The body text (JSON unless `contentType` says otherwise), or undefined when the operation takes no body. */
  readonly body: string | undefined;
  /** The body's media type when it is not JSON (form-urlencoded, multipart with its boundary, text); absent means `application/json`. */
  readonly contentType?: string;
  /** An absolute URL that replaces the backend's base URL for this operation (OpenAPI operation- or path-level `servers`). */
  readonly baseUrl?: string;
}

/**
 * A backend's request body type `T` (openapi-typescript's) as a generated handler checks the body
 * it builds from arguments, where the argument types differ from it by design (the generator's
 * `BodyTypeGap`): inside the fields `Loose` nothing is required (arguments leave out readOnly
 * properties, and discriminator properties openapi-typescript requires but the document does
 * not); the fields `Unchecked` are not checked (their input schema accepts any value in a part
 * too large to describe). Every other field is checked as `T` has it.
 */
export type RelaxFields<T, Loose extends PropertyKey, Unchecked extends PropertyKey = never> = {
  [P in keyof T]: P extends Unchecked ? unknown : P extends Loose ? NothingRequired<T[P]> : T[P];
};

/** `T` with every property optional at every depth; property types are otherwise kept. */
type NothingRequired<T> = T extends readonly (infer E)[] ? NothingRequired<E>[] : T extends object ? { [P in keyof T]?: NothingRequired<T[P]> } : T;

/** A nested set of fields to keep: `{ id: true, owner: { name: true } }`. */
export interface PickTree {
  readonly [field: string]: true | PickTree;
}

/** How a backend answer becomes structured content, decided at generate time. */
export interface OutputPlan {
  readonly json: boolean;
  readonly pointer: readonly string[] | null;
  readonly pick: PickTree | null;
  readonly wrap: boolean;
}

/** An Ajv standalone validator, as emitted in `generated/validators.js`. */
export interface ArgumentValidator {
  (data: unknown): boolean;
  errors?: readonly ArgumentError[] | null;
}

export interface ArgumentError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

/** A generated tool module. */
export interface ToolHandler {
  buildRequest(args: never, caller: Caller): BackendRequest;
  readonly output: OutputPlan;
  readonly renderText?: (context: unknown) => string;
}

/** Where a composite step's argument comes from: a fixed value, the composite's argument, or an earlier step's result. */
export type StepValue =
  | { readonly literal: unknown }
  | { readonly argument: string }
  | { readonly step: string; readonly path: readonly string[] };

/** One step of a composite tool: another tool of the gateway, called with arguments mapped from the composite's. */
export interface CompositeStep {
  readonly id: string;
  readonly tool: string;
  readonly arguments: Readonly<Record<string, StepValue>>;
  /** A failed optional step leaves `null` in the result (and a note in `errors`) instead of failing the call. */
  readonly optional: boolean;
  /** Steps whose results this one reads: it runs after them; steps without any run at once, together. */
  readonly after: readonly string[];
}

/** A composite tool's generated module: its steps, and its text template. */
export interface CompositeHandler {
  readonly steps: readonly CompositeStep[];
  readonly renderText?: (context: unknown) => string;
}

/** The MCP definition of a tool, exactly as tools/list shows it. */
export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown>;
  readonly annotations: Record<string, unknown>;
  /** Extra information for clients: `dev.toolgate/category` names the tool's group. */
  readonly _meta?: Record<string, unknown>;
}

/** One entry of `generated/index.js`: a tool over one backend operation, or a composite of other tools. */
export type GeneratedTool = OperationTool | CompositeTool;

interface GeneratedToolBase {
  readonly definition: ToolDefinition;
  readonly validate: ArgumentValidator;
  /** Checks structured content against the tool's outputSchema; undefined when it has none. */
  readonly validateOutput: ArgumentValidator | undefined;
  readonly scopes: readonly string[];
  /** Weight of one call in rate limits and quotas. */
  readonly cost: number;
  /** What the audit trail records of a call. */
  readonly audit: { readonly resourceIds: readonly string[]; readonly redact: Readonly<Record<string, "secret" | "personal">>; readonly keepArguments: boolean };
}

export interface OperationTool extends GeneratedToolBase {
  readonly kind: "operation";
  readonly handler: ToolHandler;
  readonly backend: string;
}

export interface CompositeTool extends GeneratedToolBase {
  readonly kind: "composite";
  readonly handler: CompositeHandler;
}

export interface ManifestBackend {
  readonly name: string;
  readonly openapi: string;
  readonly baseUrl: string;
  readonly credentials?: { readonly type: "bearer" | "header"; readonly fromEnv: string; readonly header: string } | undefined;
  readonly timeoutMs: number;
  readonly maxConnections: number;
}

/** gateway.yaml `limits:`, resolved (the limits module's own model). */
export type { LimitsModel as ManifestLimits, LimitValues as ManifestLimitValues } from "./limits/types.ts";

/** How callers authenticate (gateway.yaml `auth:`). */
export interface ManifestAuth {
  /** "embedded", or an external issuer URL. */
  readonly issuer: string;
  readonly jwksUri?: string;
  readonly tenantClaim: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  readonly usersFile?: string;
  readonly tokenLifetimeSeconds: number;
  readonly scopesSupported: readonly string[];
}

/** One OAuth app's resolved permissions. */
export interface AppPolicy {
  readonly name?: string;
  readonly rules: { readonly tools: readonly string[]; readonly scopes?: readonly string[]; readonly readOnly: boolean };
  readonly tools: readonly string[];
}

/** `generated/policy.json`. */
export interface Policy {
  readonly apps: Readonly<Record<string, AppPolicy>>;
  readonly defaultApp?: AppPolicy;
  readonly tenants: Readonly<Record<string, { readonly mcp: boolean; readonly disabledTools: readonly string[] }>>;
  readonly pilotGroups?: readonly string[];
  readonly blockedEmailDomains: readonly string[];
}

/** One MCP endpoint of the gateway (gateway.yaml `resource` and `endpoints:`). */
export interface ManifestEndpoint {
  readonly name: string;
  /** The path on the resource's origin. */
  readonly path: string;
  readonly title?: string;
  readonly instructions?: string;
  readonly tools: readonly string[];
  readonly prompts: readonly string[];
  readonly scopesSupported: readonly string[];
  /** Discovery mode: search, describe and call meta-tools instead of every tool in tools/list. */
  readonly discovery?: boolean;
}

/** An MCP prompt as prompts/list shows it. */
export interface PromptDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments: readonly { readonly name: string; readonly description?: string; readonly required: boolean }[];
}

/** A prompt of `generated/prompts.js`, its message templates precompiled. */
export interface PromptSpec {
  readonly definition: PromptDefinition;
  /** What each argument must read as (MCP prompt arguments are strings). */
  readonly checks: readonly { readonly name: string; readonly type: "string" | "integer" | "number" | "boolean" | "date"; readonly enum?: readonly string[] }[];
  /** Tools the prompt has the model use: listed only to callers who may call them all. */
  readonly uses: readonly string[];
  readonly messages: readonly { readonly role: "user" | "assistant"; readonly template: unknown }[];
}

/** A prompt ready to render. */
export interface GeneratedPrompt extends Omit<PromptSpec, "messages"> {
  readonly messages: readonly { readonly role: "user" | "assistant"; readonly render: (context: unknown) => string }[];
}

/** Compiles a prompt's precompiled message templates (once, at start-up). */
export function compilePrompt(spec: PromptSpec): GeneratedPrompt {
  return { ...spec, messages: spec.messages.map((message) => ({ role: message.role, render: compileTemplate(message.template) })) };
}

/** `generated/manifest.json`. */
export interface Manifest {
  readonly generatedBy: string;
  readonly formatVersion: number;
  readonly sources: readonly string[];
  readonly gateway: {
    readonly name: string;
    readonly title?: string;
    readonly instructions?: string;
    readonly resource: string;
    readonly pageSize: number;
    readonly maxBodyBytes: number;
    readonly allowedOrigins: readonly string[];
    readonly allowedHosts: readonly string[];
    readonly dev: { readonly tenant: string; readonly user: string; readonly client: string };
    readonly backends: readonly ManifestBackend[];
    readonly auth?: ManifestAuth;
    readonly limits: ManifestLimits;
    readonly audit: { readonly retentionDays: number; readonly actorHeader: string };
    readonly endpoints: readonly ManifestEndpoint[];
  };
  readonly tools: readonly { readonly name: string; readonly backend: string; readonly operation: string; readonly method: string; readonly path: string; readonly scopes: readonly string[]; readonly source: string }[];
}

/** Percent-encodes one path segment (RFC 3986: `/` and everything outside unreserved is encoded). */
export function encodePathSegment(value: unknown): string {
  return encodeURIComponent(String(value));
}

/** Appends `name=value` pairs in OpenAPI's default style (form, exploded): arrays repeat the name. */
export function appendQuery(query: string[], name: string, value: unknown): void {
  const key = encodeURIComponent(name);
  if (Array.isArray(value)) {
    for (const item of value) query.push(`${key}=${encodeURIComponent(scalar(item))}`);
  } else if (value !== null && typeof value === "object") {
    for (const [field, item] of Object.entries(value)) query.push(`${encodeURIComponent(field)}=${encodeURIComponent(scalar(item))}`);
  } else {
    query.push(`${key}=${encodeURIComponent(scalar(value))}`);
  }
}

/** A query parameter's OpenAPI serialisation other than the default (form, exploded). */
export interface QueryStyle {
  readonly style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  readonly explode: boolean;
}

const delimiters = { form: ",", spaceDelimited: " ", pipeDelimited: "|" } as const;

/**
 * Appends a query parameter in an OpenAPI style other than the default: `form` not exploded
 * (`a=1,2`, objects `o=k,v`), `spaceDelimited`/`pipeDelimited` arrays, `deepObject` (`o[k]=v`,
 * nested objects and arrays by bracketed keys).
 */
export function appendStyledQuery(query: string[], name: string, value: unknown, { style, explode }: QueryStyle): void {
  if (style === "deepObject") {
    for (const [key, item] of flattenKeys(name, value)) query.push(`${encodeBracketed(key)}=${encodeURIComponent(item)}`);
    return;
  }
  if (explode && style === "form") return appendQuery(query, name, value);
  const key = encodeURIComponent(name);
  const parts = Array.isArray(value) ? value.map(scalar) : value !== null && typeof value === "object" ? Object.entries(value).flatMap(([field, item]) => [field, scalar(item)]) : undefined;
  if (parts === undefined) query.push(`${key}=${encodeURIComponent(scalar(value))}`);
  else if (explode) for (const part of parts) query.push(`${key}=${encodeURIComponent(part)}`);
  // The delimiter between values stays literal for form (`a=1,2`, as OpenAPI's examples show); values are encoded.
  else query.push(`${key}=${parts.map(encodeURIComponent).join(style === "form" ? "," : encodeURIComponent(delimiters[style]))}`);
}

/** Appends one cookie (`name=value`) for the `cookie` header; values are percent-encoded like a form field. */
export function appendCookie(cookies: string[], name: string, value: unknown): void {
  const text = Array.isArray(value) ? value.map(scalar).join(",") : scalar(value);
  cookies.push(`${name}=${encodeURIComponent(text)}`);
}

/** How one field of a form or multipart body is serialised (its OpenAPI `encoding` entry). */
export interface FieldEncoding {
  readonly style?: "form" | "deepObject" | "spaceDelimited" | "pipeDelimited";
  readonly explode?: boolean;
  readonly contentType?: string;
}

/**
 * An `application/x-www-form-urlencoded` body. Scalars are `name=value`; arrays repeat the name
 * (form, exploded; `explode: false` joins them with commas); objects, and every value of a
 * `deepObject` field, become bracketed keys (`metadata[plan]=pro`, `items[0][price]=p_1`), as
 * Stripe and other form APIs read them. Spaces are `+`, as HTML forms send them.
 */
export function encodeFormBody(fields: Record<string, unknown>, encoding: Readonly<Record<string, FieldEncoding>> = {}): string {
  const pairs: string[] = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const field = Object.hasOwn(encoding, name) ? encoding[name] : undefined;
    if (field?.contentType !== undefined && /json/i.test(field.contentType)) {
      pairs.push(`${formEncode(name)}=${formEncode(JSON.stringify(value))}`);
    } else if (Array.isArray(value) && field?.style !== "deepObject" && value.every((item) => item === null || typeof item !== "object")) {
      if (field?.explode === false) pairs.push(`${formEncode(name)}=${formEncode(value.map(scalar).join(delimiters[field.style === "spaceDelimited" || field.style === "pipeDelimited" ? field.style : "form"]))}`);
      else for (const item of value) pairs.push(`${formEncode(name)}=${formEncode(scalar(item))}`);
    } else {
      for (const [key, item] of flattenKeys(name, value)) pairs.push(`${formEncode(key)}=${formEncode(item)}`);
    }
  }
  return pairs.join("&");
}

/**
 * A `multipart/form-data` body (RFC 7578) with a random boundary. Strings and numbers are
 * text parts; each item of an array is a part of its own (OpenAPI: "each element of a schema
 * array property takes a section"); objects are JSON parts; a field whose encoding names
 * another content type (a file, say) is sent with it and a file name.
 */
export function encodeMultipartBody(fields: Record<string, unknown>, encoding: Readonly<Record<string, FieldEncoding>> = {}): { body: string; contentType: string } {
  const boundary = `toolgate-${crypto.randomUUID()}`;
  const parts: string[] = [];
  const quoted = (text: string) => text.replace(/[\r\n"]/g, (char) => encodeURIComponent(char));
  const part = (name: string, value: unknown, contentType: string | undefined) => {
    const json = value !== null && typeof value === "object";
    const type = contentType ?? (json ? "application/json" : undefined);
    const file = contentType !== undefined && !/json|text\/plain/i.test(contentType) ? `; filename="${quoted(name)}"` : "";
    parts.push(`--${boundary}\r\ncontent-disposition: form-data; name="${quoted(name)}"${file}\r\n${type ? `content-type: ${type}\r\n` : ""}\r\n${json ? JSON.stringify(value) : scalar(value)}\r\n`);
  };
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    const contentType = Object.hasOwn(encoding, name) ? encoding[name]?.contentType : undefined;
    if (Array.isArray(value)) for (const item of value) part(name, item, contentType);
    else part(name, value, contentType);
  }
  return { body: `${parts.join("")}--${boundary}--\r\n`, contentType: `multipart/form-data; boundary=${boundary}` };
}

/** `[key, text]` pairs of a value under bracketed keys: `a[b][0]=c`. */
function flattenKeys(prefix: string, value: unknown): [string, string][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => flattenKeys(`${prefix}[${index}]`, item));
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    // An empty object still says "set to empty" (Stripe's `metadata=` unsets); send the bare key.
    if (entries.length === 0) return [[prefix, ""]];
    return entries.flatMap(([key, item]) => flattenKeys(`${prefix}[${key}]`, item));
  }
  return [[prefix, scalar(value)]];
}

function formEncode(text: string): string {
  return encodeURIComponent(text).replace(/%20/g, "+");
}

/** Percent-encodes a bracketed key but keeps its brackets readable (`a[b]`), as servers accept either. */
function encodeBracketed(key: string): string {
  return encodeURIComponent(key).replace(/%5B/g, "[").replace(/%5D/g, "]");
}

function scalar(value: unknown): string {
  return value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Turns a template precompiled at generate time into a render function (no compiling at run time). */
export function compileTemplate(spec: unknown): (context: unknown) => string {
  return HandlebarsRuntime.template(spec as never) as (context: unknown) => string;
}
