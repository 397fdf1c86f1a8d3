import { StartupError } from "../errors.ts";
import type { Caller, Manifest, ManifestAuth, ManifestEndpoint, ManifestLimits } from "../handler-api.ts";
import type { BackendTarget } from "../backend/backend-client.ts";

/** Options a deployment (or a test) gives on top of `generated/`. */
export interface RuntimeOverrides {
  /** Base URL per backend name, replacing the spec's (and TOOLGATE_BACKEND_<NAME>_URL). */
  readonly backendUrls?: Readonly<Record<string, string>>;
  /** Backend timeout in ms for every backend, replacing the spec's. */
  readonly backendTimeoutMs?: number;
  readonly pageSize?: number;
  /** The MCP endpoint's public URL (the token audience), replacing gateway.yaml's `resource`. */
  readonly resource?: string;
  /** The token issuer and its JWKS URL, replacing gateway.yaml's `auth.issuer` and `auth.jwks_uri`. */
  readonly issuer?: { readonly issuer: string; readonly jwksUri?: string };
  /** Limits replacing gateway.yaml's `limits:` (benchmarks and tests). */
  readonly limits?: ManifestLimits;
  /** The development-mode caller, replacing gateway.yaml's `dev:`. */
  readonly devCaller?: Partial<Pick<Caller, "tenant" | "user" | "client">>;
}

/** One MCP endpoint, resolved: its public URL is the audience its tokens must carry. */
export interface EndpointSettings extends ManifestEndpoint {
  readonly resource: string;
}

/** Everything the request path needs, resolved and frozen once at start-up. */
export interface Settings {
  /** The main endpoint's public URL: the audience every token for it (and for the admin API) must carry. */
  readonly resource: string;
  readonly endpointPath: string;
  /** Every MCP endpoint, the main one first; the others live on the main one's origin. */
  readonly endpoints: readonly EndpointSettings[];
  /** Authentication; undefined when gateway.yaml has no `auth:` (development mode only). */
  readonly auth: (ManifestAuth & { readonly issuerUrl: string }) | undefined;
  readonly pageSize: number;
  readonly maxBodyBytes: number;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly allowedHosts: ReadonlySet<string>;
  readonly devCaller: Caller;
  readonly backends: ReadonlyMap<string, BackendTarget>;
  readonly maxConnections: number;
  readonly limits: ManifestLimits;
  /** Redis, when configured: shared limits and revocations. */
  readonly redisUrl: string | undefined;
  /** Namespace of every Redis key. */
  readonly redisPrefix: string;
}

/** Resolves settings from the manifest, the environment and overrides; a bad one fails start-up naming it. */
export function resolveSettings(manifest: Manifest, env: Readonly<Record<string, string | undefined>>, overrides: RuntimeOverrides = {}): Settings {
  const { gateway } = manifest;
  const backends = new Map<string, BackendTarget>();
  for (const backend of gateway.backends) {
    const envName = `TOOLGATE_BACKEND_${backend.name.toUpperCase()}_URL`;
    const baseUrl = (overrides.backendUrls?.[backend.name] ?? env[envName] ?? backend.baseUrl).replace(/\/+$/, "");
    if (!/^https?:\/\/[^/\s]+/.test(baseUrl)) throw new StartupError(`backend "${backend.name}": base URL ${JSON.stringify(baseUrl)} is not an absolute http(s) URL (from ${overrides.backendUrls?.[backend.name] ? "options" : env[envName] ? envName : "gateway.yaml base_url"})`);
    let credential: BackendTarget["credential"];
    if (backend.credentials) {
      const value = env[backend.credentials.fromEnv];
      if (!value) throw new StartupError(`backend "${backend.name}": credentials.from_env names ${backend.credentials.fromEnv}, which is not set in the environment`);
      credential = backend.credentials.type === "bearer" ? { header: "authorization", value: `Bearer ${value}` } : { header: backend.credentials.header.toLowerCase(), value };
    }
    const baseUrlOverridden = overrides.backendUrls?.[backend.name] !== undefined || env[envName] !== undefined;
    backends.set(backend.name, { name: backend.name, baseUrlParts: baseUrl.split("{tenant}"), credential, timeoutMs: overrides.backendTimeoutMs ?? backend.timeoutMs, baseUrlOverridden });
  }
  const resource = overrides.resource ?? gateway.resource;
  const resourceUrl = new URL(resource);
  const auth = gateway.auth && {
    ...gateway.auth,
    ...(overrides.issuer ? { issuer: overrides.issuer.issuer, jwksUri: overrides.issuer.jwksUri } : {}),
  };
  const endpointPath = resourceUrl.pathname.replace(/\/+$/, "") || "/";
  // A manifest without endpoints (hand-made, in tests) has one endpoint with every tool.
  const declared: readonly ManifestEndpoint[] = gateway.endpoints?.length ? gateway.endpoints : [{ name: "main", path: endpointPath, tools: manifest.tools.map((tool) => tool.name), prompts: [], scopesSupported: gateway.auth?.scopesSupported ?? [] }];
  const endpoints = declared.map((endpoint, index) => Object.freeze({
    ...endpoint,
    // The main endpoint answers at the (possibly overridden) resource; the others beside it.
    ...(index === 0 ? { path: endpointPath, resource } : { resource: `${resourceUrl.origin}${endpoint.path}` }),
  }));
  return Object.freeze({
    resource,
    endpoints,
    // The embedded authorization server is the gateway itself: its issuer is the resource's origin.
    auth: auth && { ...auth, issuerUrl: auth.issuer === "embedded" ? resourceUrl.origin : auth.issuer },
    endpointPath,
    pageSize: overrides.pageSize ?? gateway.pageSize,
    maxBodyBytes: gateway.maxBodyBytes,
    allowedOrigins: new Set([resourceUrl.origin, ...gateway.allowedOrigins].map((origin) => origin.toLowerCase())),
    allowedHosts: new Set([resourceUrl.host, ...gateway.allowedHosts].map((host) => host.toLowerCase())),
    devCaller: { ...gateway.dev, ...overrides.devCaller, scopes: new Set<string>(), email: undefined, groups: [] },
    backends,
    maxConnections: Math.max(...gateway.backends.map((backend) => backend.maxConnections), 1),
    limits: overrides.limits ?? gateway.limits,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.TOOLGATE_REDIS_PREFIX ?? "toolgate:",
  });
}
