import type { SpecLocation } from "../errors.ts";
import type { JsonObject } from "../openapi/load-document.ts";
import type { HttpMethod } from "../openapi/operations.ts";
import type { BodyTypeGap } from "./body-type-gaps.ts";
import type { LimitsModel } from "../../runtime/limits/types.ts";
import type { CompositeStep } from "../../runtime/handler-api.ts";

/** The gateway's settings, fully filled in: what `generated/manifest.json` carries. */
export interface GatewayModel {
  readonly name: string;
  readonly title: string | undefined;
  readonly instructions: string | undefined;
  readonly resource: string;
  readonly pageSize: number;
  readonly maxBodyBytes: number;
  readonly allowedOrigins: readonly string[];
  readonly allowedHosts: readonly string[];
  readonly dev: { readonly tenant: string; readonly user: string; readonly client: string };
  readonly backends: readonly BackendModel[];
  /** How callers authenticate; undefined means the gateway can only run in development mode. */
  readonly auth: AuthModel | undefined;
  readonly limits: LimitsModel;
  readonly audit: { readonly retentionDays: number; readonly actorHeader: string };
  /** The MCP endpoints: "main" at `resource`, then gateway.yaml's `endpoints:` by name. */
  readonly endpoints: readonly EndpointModel[];
}

/** One MCP endpoint: its own URL path (and so its own token audience and metadata), tools, prompts and scopes. */
export interface EndpointModel {
  readonly name: string;
  /** The path on the resource's origin, without a trailing slash. */
  readonly path: string;
  readonly title: string | undefined;
  readonly instructions: string | undefined;
  /** Tool names, sorted. */
  readonly tools: readonly string[];
  /** Prompt names, sorted. */
  readonly prompts: readonly string[];
  /** Every scope the endpoint's tools need, sorted: its `scopes_supported`. */
  readonly scopesSupported: readonly string[];
  /** Discovery mode: tools/list shows search/describe/call meta-tools (present only when on). */
  readonly discovery?: true;
}

/** An MCP prompt declared in a spec file: Handlebars messages over typed arguments. */
export interface PromptModel {
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly arguments: readonly PromptArgumentModel[];
  readonly messages: readonly { readonly role: "user" | "assistant"; readonly template: string }[];
  /** Tools the prompt asks the model to use: it is listed only to callers who may call all of them. */
  readonly uses: readonly string[];
  readonly source: SpecLocation;
}

export interface PromptArgumentModel {
  readonly name: string;
  readonly description: string | undefined;
  readonly required: boolean;
  /** MCP prompt arguments are strings; the gateway checks that they read as this type. */
  readonly type: "string" | "integer" | "number" | "boolean" | "date";
  readonly enum: readonly string[] | undefined;
}

/** gateway.yaml `limits:`, resolved: the runtime's limits model, so both sides agree on it. */
export type { LimitsModel, LimitValues } from "../../runtime/limits/types.ts";

export interface AuthModel {
  /** "embedded", or an external issuer URL. */
  readonly issuer: string;
  readonly jwksUri: string | undefined;
  readonly tenantClaim: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  /** Embedded issuer: the users file, relative to the project root. */
  readonly usersFile: string | undefined;
  readonly tokenLifetimeSeconds: number;
  /** Every scope a tool needs, sorted: the resource's `scopes_supported`. */
  readonly scopesSupported: readonly string[];
}

/** An app's rules and the tools they come to, resolved against the specs' tools. */
export interface AppPolicyModel {
  readonly name: string | undefined;
  readonly rules: { readonly tools: readonly string[]; readonly scopes: readonly string[] | undefined; readonly readOnly: boolean };
  /** The tools the app may use (before the token's scopes and the tenant's settings). */
  readonly tools: readonly string[];
}

/** `generated/policy.json`: the access policy with every glob resolved to tool names. */
export interface PolicyModel {
  readonly apps: Readonly<Record<string, AppPolicyModel>>;
  readonly defaultApp: AppPolicyModel | undefined;
  readonly tenants: Readonly<Record<string, { readonly mcp: boolean; readonly disabledTools: readonly string[] }>>;
  readonly pilotGroups: readonly string[] | undefined;
  readonly blockedEmailDomains: readonly string[];
}

export interface BackendModel {
  readonly name: string;
  /** The OpenAPI document, relative to the project root. */
  readonly openapi: string;
  readonly baseUrl: string;
  readonly credentials: { readonly type: "bearer" | "header"; readonly fromEnv: string; readonly header: string } | undefined;
  readonly timeoutMs: number;
  readonly maxConnections: number;
}

export type CallerField = "tenant" | "user" | "client";

/** A value fixed by the spec: literal parts and caller fields, concatenated. */
export type ValueExpression =
  | { readonly kind: "literal"; readonly value: string | number | boolean | null | object }
  | { readonly kind: "template"; readonly parts: readonly ({ readonly text: string } | { readonly caller: CallerField })[] };

export type ParameterLocation = "path" | "query" | "header" | "cookie" | "body";

/** How one backend parameter (or body field) gets its value. */
export interface Binding {
  readonly in: ParameterLocation;
  /** The backend's name for it; for a whole body, "". */
  readonly name: string;
  readonly source: { readonly kind: "argument"; readonly argument: string } | { readonly kind: "fixed"; readonly value: ValueExpression };
  /** Query parameters: OpenAPI `style`/`explode` when they differ from the default (form, exploded). */
  readonly serialization?: QuerySerialization;
}

export interface QuerySerialization {
  readonly style: "form" | "spaceDelimited" | "pipeDelimited" | "deepObject";
  readonly explode: boolean;
}

export type RequestEncoding = "json" | "form" | "multipart" | "raw";

/** Per body field of a form or multipart body: OpenAPI `encoding` (style, explode, content type). */
export interface FormEncoding {
  readonly [field: string]: { readonly style?: "form" | "deepObject" | "spaceDelimited" | "pipeDelimited"; readonly explode?: boolean; readonly contentType?: string };
}

/** A nested set of fields to keep: `{ id: true, owner: { name: true } }`. */
export interface PickTree {
  readonly [field: string]: true | PickTree;
}

export interface OutputModel {
  /** Whether the backend answers with JSON on success. */
  readonly json: boolean;
  /** The documented success response the output schema comes from. */
  readonly success: { readonly status: string; readonly mediaType: string } | undefined;
  readonly pointer: readonly string[] | undefined;
  readonly pick: PickTree | undefined;
  /** Non-object results are wrapped as `{ result: … }` because MCP structured content is an object. */
  readonly wrap: boolean;
  /** Handlebars template source for the text block, checked at generate time. */
  readonly template: string | undefined;
}

export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint: boolean;
  readonly destructiveHint: boolean;
  readonly idempotentHint: boolean;
  readonly openWorldHint: boolean;
}

/** Everything generate-time knows about one tool. */
export interface ToolModel {
  readonly name: string;
  readonly title: string | undefined;
  readonly description: string;
  readonly scopes: readonly string[];
  readonly annotations: ToolAnnotations;
  readonly backend: string;
  readonly operationId: string;
  /** The operation's OpenAPI tags (toolsets select by them). */
  readonly tags: readonly string[];
  /** The spec's `category:`, shown to clients in the tool's `_meta` and selectable by toolsets. */
  readonly category: string | undefined;
  /** Whether `operationId` names a type in the backend's openapi-typescript output. */
  readonly typedOperation: boolean;
  readonly method: HttpMethod;
  readonly path: string;
  readonly source: SpecLocation;
  readonly inputSchema: JsonObject;
  readonly outputSchema: JsonObject | undefined;
  readonly bindings: readonly Binding[];
  readonly bodyKind: "none" | "fields" | "whole";
  /**
   * JSON bodies built from fields: the fields (by the backend's name) whose argument types differ
   * by design from the backend's own request type, and why; the handler checks them relaxed.
   */
  readonly bodyTypeGaps: ReadonlyMap<string, readonly BodyTypeGap[]>;
  /** Weight of one call in rate limits and quotas. */
  readonly cost: number;
  /** What the audit trail records: resource ids (argument names), masked arguments, or none. */
  readonly audit: { readonly resourceIds: readonly string[]; readonly redact: Readonly<Record<string, "secret" | "personal">>; readonly keepArguments: boolean };
  /** The media type of the request body, when there is one. */
  readonly requestMediaType: string | undefined;
  /** How the body is encoded: JSON, form-urlencoded, multipart, or passed through as text ("raw"). */
  readonly requestEncoding: RequestEncoding | undefined;
  /** Form and multipart bodies: how each field is serialised (the media type's `encoding` object). */
  readonly formEncoding: FormEncoding;
  /** An operation- or path-level server URL that replaces the backend's base URL, when the document gives one. */
  readonly server: string | undefined;
  readonly output: OutputModel;
  /**
   * A composite tool: steps calling other tools, no backend operation of its own (its
   * `operationId`, `path` and `bindings` are empty, `method` says whether it only reads).
   */
  readonly composite: { readonly steps: readonly CompositeStep[] } | undefined;
}

export interface GatewaySpecModel {
  readonly gateway: GatewayModel;
  readonly tools: readonly ToolModel[];
  readonly prompts: readonly PromptModel[];
  readonly policy: PolicyModel;
  /** Spec and OpenAPI files read, relative to the project root (for headers and the manifest). */
  readonly sources: readonly string[];
  /** Each backend's OpenAPI document, parsed (for its emitted types). */
  readonly documents: ReadonlyMap<string, JsonObject>;
}
