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
  /** JSON text, or undefined when the operation takes no body. */
  readonly body: string | undefined;
}

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

/** The MCP definition of a tool, exactly as tools/list shows it. */
export interface ToolDefinition {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
  readonly outputSchema?: Record<string, unknown>;
  readonly annotations: Record<string, unknown>;
}

/** One entry of `generated/index.ts`. */
export interface GeneratedTool {
  readonly definition: ToolDefinition;
  readonly validate: ArgumentValidator;
  /** Checks structured content against the tool's outputSchema; undefined when it has none. */
  readonly validateOutput: ArgumentValidator | undefined;
  readonly handler: ToolHandler;
  readonly backend: string;
  readonly scopes: readonly string[];
  /** Weight of one call in rate limits and quotas. */
  readonly cost: number;
  /** What the audit trail records of a call. */
  readonly audit: { readonly resourceIds: readonly string[]; readonly redact: Readonly<Record<string, "secret" | "personal">>; readonly keepArguments: boolean };
}

export interface ManifestBackend {
  readonly name: string;
  readonly openapi: string;
  readonly baseUrl: string;
  readonly credentials: { readonly type: "bearer" | "header"; readonly fromEnv: string; readonly header: string } | undefined;
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

function scalar(value: unknown): string {
  return value === null || value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** Turns a template precompiled at generate time into a render function (no compiling at run time). */
export function compileTemplate(spec: unknown): (context: unknown) => string {
  return HandlebarsRuntime.template(spec as never) as (context: unknown) => string;
}
