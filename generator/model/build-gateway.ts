import { existsSync } from "node:fs";
import { dirname, relative, resolve, sep } from "node:path";
import { ErrorSink, SpecErrors } from "../errors.ts";
import { locate, type YamlFile } from "../load/yaml-file.ts";
import { loadOpenApiDocument, type OpenApiDocument } from "../openapi/load-document.ts";
import { listOperations, type Operation } from "../openapi/operations.ts";
import type { BackendModel, GatewayModel, LimitValues } from "./types.ts";

/** A backend with its document and operations, for resolving tools. */
export interface ResolvedBackend {
  readonly model: BackendModel;
  readonly document: OpenApiDocument;
  readonly operations: readonly Operation[];
}

interface LimitValuesSpec {
  calls_per_minute?: number;
  writes_per_minute?: number;
  concurrent?: number;
  backend_calls_per_day?: number;
  backend_calls_per_month?: number;
}

interface GatewaySpec {
  name?: string;
  title?: string;
  instructions?: string;
  resource: string;
  backends: Record<string, {
    openapi: string;
    base_url: string;
    credentials?: { type: "bearer" | "header"; from_env: string; header?: string };
    timeout_ms?: number;
    max_connections?: number;
  }>;
  mcp?: { page_size?: number; max_body_bytes?: number; allowed_origins?: string[]; allowed_hosts?: string[] };
  dev?: { tenant?: string; user?: string; client?: string };
  limits?: {
    default?: LimitValuesSpec;
    tenants?: Record<string, LimitValuesSpec>;
    apps?: Record<string, LimitValuesSpec>;
    users?: LimitValuesSpec;
    on_store_error?: "open" | "closed";
  };
  audit?: { retention_days?: number; actor_header?: string };
  auth?: {
    issuer: string;
    jwks_uri?: string;
    tenant_claim?: string;
    algorithms?: string[];
    clock_skew_seconds?: number;
    users_file?: string;
    token_lifetime_seconds?: number;
  };
}

/** Where a backend's OpenAPI document is: its absolute path, and the path shown in messages (relative to `root`). */
export interface DocumentPath {
  readonly name: string;
  readonly absolutePath: string;
  readonly file: string;
}

/** Every backend's document path, by backend name (sorted), as gateway.yaml names them. */
export function backendDocumentPaths(root: string, yaml: YamlFile): DocumentPath[] {
  const spec = yaml.value as GatewaySpec;
  return Object.keys(spec.backends ?? {}).sort().map((name) => {
    const absolutePath = resolve(dirname(yaml.absolutePath), spec.backends[name]!.openapi);
    return { name, absolutePath, file: relative(root, absolutePath).split(sep).join("/") };
  });
}

/** Fills in the gateway settings' defaults and loads every backend's OpenAPI document. */
export function buildGateway(root: string, yaml: YamlFile): { gateway: GatewayModel; backends: Map<string, ResolvedBackend> } {
  const spec = yaml.value as GatewaySpec;
  const sink = new ErrorSink();
  const backends = new Map<string, ResolvedBackend>();
  for (const { name, absolutePath: absolute, file } of backendDocumentPaths(root, yaml)) {
    const backend = spec.backends[name]!;
    const at = (key: string) => locate(yaml, ["backends", name, key]);
    if (backend.credentials?.type === "header" && !backend.credentials.header) {
      sink.add(at("credentials"), `backend "${name}": credentials of type "header" need a header name`, "add `header: X-Api-Key` (the header the backend expects)");
    }
    let document: OpenApiDocument;
    try {
      document = loadOpenApiDocument(absolute, file, at("openapi"));
    } catch (error) {
      if (!(error instanceof SpecErrors)) throw error;
      sink.errors.push(...error.errors);
      continue;
    }
    backends.set(name, {
      model: {
        name,
        openapi: file,
        baseUrl: backend.base_url.replace(/\/+$/, ""),
        credentials: backend.credentials && { type: backend.credentials.type, fromEnv: backend.credentials.from_env, header: backend.credentials.header ?? "authorization" },
        timeoutMs: backend.timeout_ms ?? 10_000,
        maxConnections: backend.max_connections ?? 128,
      },
      document,
      operations: listOperations(name, document),
    });
  }
  if (spec.auth?.users_file !== undefined && spec.auth.issuer !== "embedded") {
    sink.add(locate(yaml, ["auth", "users_file"], "key"), "auth.users_file is for the embedded issuer only", "remove it, or set `issuer: embedded`");
  }
  if (spec.auth?.users_file !== undefined && !existsSync(resolve(dirname(yaml.absolutePath), spec.auth.users_file))) {
    sink.add(locate(yaml, ["auth", "users_file"]), `users file ${spec.auth.users_file} not found`, "the path is relative to gateway.yaml");
  }
  sink.throwIfAny();
  const resourceUrl = new URL(spec.resource);
  const gateway: GatewayModel = {
    name: spec.name ?? "toolgate",
    title: spec.title,
    instructions: spec.instructions,
    resource: spec.resource,
    pageSize: spec.mcp?.page_size ?? 100,
    maxBodyBytes: spec.mcp?.max_body_bytes ?? 1_048_576,
    allowedOrigins: unique([resourceUrl.origin, ...(spec.mcp?.allowed_origins ?? [])]),
    allowedHosts: unique([resourceUrl.host, ...(spec.mcp?.allowed_hosts ?? [])]),
    dev: { tenant: spec.dev?.tenant ?? "acme", user: spec.dev?.user ?? "dev-user", client: spec.dev?.client ?? "dev-client" },
    backends: [...backends.values()].map((backend) => backend.model),
    limits: {
      default: limitValues(spec.limits?.default),
      tenants: mapValues(spec.limits?.tenants, limitValues),
      apps: mapValues(spec.limits?.apps, limitValues),
      users: spec.limits?.users && limitValues(spec.limits.users),
      onStoreError: spec.limits?.on_store_error ?? "open",
    },
    audit: { retentionDays: spec.audit?.retention_days ?? 90, actorHeader: (spec.audit?.actor_header ?? "x-toolgate-actor").toLowerCase() },
    auth: spec.auth && {
      issuer: spec.auth.issuer.replace(/\/+$/, "") || spec.auth.issuer,
      jwksUri: spec.auth.jwks_uri,
      tenantClaim: spec.auth.tenant_claim ?? "org_id",
      algorithms: spec.auth.algorithms ?? ["RS256", "PS256", "ES256", "EdDSA"],
      clockSkewSeconds: spec.auth.clock_skew_seconds ?? 30,
      usersFile: spec.auth.users_file && relative(root, resolve(dirname(yaml.absolutePath), spec.auth.users_file)).split(sep).join("/"),
      tokenLifetimeSeconds: spec.auth.token_lifetime_seconds ?? 43_200,
      scopesSupported: [],
    },
    endpoints: [],
  };
  return { gateway, backends };
}

function limitValues(spec: LimitValuesSpec | undefined): LimitValues {
  if (!spec) return {};
  return {
    ...(spec.calls_per_minute !== undefined ? { callsPerMinute: spec.calls_per_minute } : {}),
    ...(spec.writes_per_minute !== undefined ? { writesPerMinute: spec.writes_per_minute } : {}),
    ...(spec.concurrent !== undefined ? { concurrent: spec.concurrent } : {}),
    ...(spec.backend_calls_per_day !== undefined ? { backendCallsPerDay: spec.backend_calls_per_day } : {}),
    ...(spec.backend_calls_per_month !== undefined ? { backendCallsPerMonth: spec.backend_calls_per_month } : {}),
  };
}

/** Maps a spec mapping's values; keys such as "__proto__" stay keys. */
function mapValues<T, U>(map: Record<string, T> | undefined, convert: (value: T) => U): Record<string, U> {
  const out: Record<string, U> = {};
  for (const key of Object.keys(map ?? {}).sort()) Object.defineProperty(out, key, { value: convert(map![key]!), enumerable: true, writable: true, configurable: true });
  return out;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

