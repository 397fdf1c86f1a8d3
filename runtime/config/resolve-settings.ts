import { StartupError } from "../errors.ts";
import type { Caller, Manifest } from "../handler-api.ts";
import type { BackendTarget } from "../backend/backend-client.ts";

/** Options a deployment (or a test) gives on top of `generated/`. */
export interface RuntimeOverrides {
  /** Base URL per backend name, replacing the spec's (and TOOLGATE_BACKEND_<NAME>_URL). */
  readonly backendUrls?: Readonly<Record<string, string>>;
  /** Backend timeout in ms for every backend, replacing the spec's. */
  readonly backendTimeoutMs?: number;
  readonly pageSize?: number;
  /** The development-mode caller, replacing gateway.yaml's `dev:`. */
  readonly devCaller?: Partial<Caller>;
}

/** Everything the request path needs, resolved and frozen once at start-up. */
export interface Settings {
  readonly endpointPath: string;
  readonly pageSize: number;
  readonly maxBodyBytes: number;
  readonly allowedOrigins: ReadonlySet<string>;
  readonly allowedHosts: ReadonlySet<string>;
  readonly devCaller: Caller;
  readonly backends: ReadonlyMap<string, BackendTarget>;
  readonly maxConnections: number;
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
    backends.set(backend.name, { name: backend.name, baseUrlParts: baseUrl.split("{tenant}"), credential, timeoutMs: overrides.backendTimeoutMs ?? backend.timeoutMs });
  }
  const resource = new URL(gateway.resource);
  return Object.freeze({
    endpointPath: resource.pathname.replace(/\/+$/, "") || "/",
    pageSize: overrides.pageSize ?? gateway.pageSize,
    maxBodyBytes: gateway.maxBodyBytes,
    allowedOrigins: new Set(gateway.allowedOrigins.map((origin) => origin.toLowerCase())),
    allowedHosts: new Set(gateway.allowedHosts.map((host) => host.toLowerCase())),
    devCaller: { ...gateway.dev, ...overrides.devCaller },
    backends,
    maxConnections: Math.max(...gateway.backends.map((backend) => backend.maxConnections), 1),
  });
}
