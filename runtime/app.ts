import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import type { JWTVerifyGetKey } from "jose";
import Koa from "koa";
import type { Logger } from "pino";
import { Challenges } from "./auth/auth-errors.ts";
import type { EmbeddedAuthServer } from "./auth-server/index.ts";
import { startEmbeddedIssuer, type EmbeddedIssuer } from "./auth/embedded-issuer.ts";
import { discoverIssuerKeys } from "./auth/issuer-keys.ts";
import { authenticate, authorize } from "./auth/middleware.ts";
import { metadataUrls, protectedResourceMetadata } from "./auth/protected-resource-metadata.ts";
import { RevocationList } from "./auth/revocation-list.ts";
import { shareRevocations, type SharedRevocations } from "./auth/shared-revocations.ts";
import { createTokenVerifier } from "./auth/verify-access-token.ts";
import { createAdminApi } from "./admin/admin-api.ts";
import { createAuditLog, type AuditLog } from "./audit/index.ts";
import { SqliteAdminStore, type AdminStore } from "./admin/admin-store.ts";
import { PostgresAdminStore } from "./admin/admin-store-postgres.ts";
import { BackendClient } from "./backend/backend-client.ts";
import { loadGenerated, type GeneratedBundle } from "./config/load-generated.ts";
import { resolveSettings, type EndpointSettings, type RuntimeOverrides, type Settings } from "./config/resolve-settings.ts";
import { StartupError } from "./errors.ts";
import { corsForAllowedOrigins } from "./http/cors.ts";
import { developmentCaller, guardHostAndOrigin, methodNotAllowed, requestScope } from "./http/middleware.ts";
import { createLogger } from "./log.ts";
import { createDispatcher } from "./mcp/dispatch.ts";
import { GatewayMetrics, metricsRoute } from "./observability/metrics.ts";
import { serverCard } from "./mcp/server-card.ts";
import { requiresOf, runnableTools, toolFacts } from "./tools/runnable-tools.ts";
import { createLimiter, type Limiter } from "./limits/index.ts";
import type { ManifestLimits } from "./handler-api.ts";
import { createToolCallPipeline, type AuditSink, type LimitGate } from "./tools/tool-call-pipeline.ts";
import { mcpPost } from "./mcp/mcp-endpoint.ts";
import { withDiscovery } from "./mcp/discovery.ts";
import { CallerToolsCache, endpointView, type EndpointScope } from "./policy/caller-tools.ts";

export interface GatewayOptions extends RuntimeOverrides {
  /** The `generated/` directory to serve (ignored when `bundle` is given). */
  readonly generatedDir?: string;
  /** An already-imported `generated/` bundle. */
  readonly bundle?: GeneratedBundle;
  /**
   * Development mode: no authentication, every call acts as the `dev` caller of gateway.yaml
   * and sees every tool. Only ever allowed on a loopback address.
   */
  readonly dev: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Reported as serverInfo.version. */
  readonly version?: string;
  /** Largest backend answer read, in bytes (default 8 MiB). */
  readonly maxResponseBytes?: number;
  /** The issuer's keys when they are at hand (the embedded server); otherwise discovered from the issuer. */
  readonly issuerKeys?: JWTVerifyGetKey;
  /** Served after the gateway's own routes. */
  readonly fallback?: Koa.Middleware;
  /** The embedded authorization server's SQLite file (default: TOOLGATE_AUTH_DB, else .toolgate/auth.sqlite). */
  readonly authDatabasePath?: string;
  /** Admin overrides and the admin change log (default: TOOLGATE_STATE_DB, else .toolgate/state.sqlite). */
  readonly stateDatabasePath?: string;
  /** Rate limits and quotas for every tools/call, replacing the ones built from the limits settings. */
  readonly limiter?: LimitGate;
  /** The audit trail every tools/call is written to before its answer, replacing the default store. */
  readonly audit?: AuditSink;
  /** The default audit store's SQLite file when DATABASE_URL is not set (default: TOOLGATE_AUDIT_DB, else .toolgate/audit.sqlite). */
  readonly auditDatabasePath?: string;
}

/** A gateway built and ready to listen. */
export interface Gateway {
  readonly app: Koa;
  readonly settings: Settings;
  readonly logger: Logger;
  /** Revocations checked on every request. */
  readonly revocations: RevocationList;
  /** The embedded authorization server, when `auth.issuer` is `embedded`. */
  readonly authorizationServer: EmbeddedAuthServer | undefined;
  readonly metrics: GatewayMetrics;
  /** Settles once revocations are shared through Redis (REDIS_URL); undefined without it. */
  readonly revocationsShared: Promise<void> | undefined;
  /** Listens on `host:port` (port 0 picks one); resolves with the MCP endpoint's URL. */
  listen(port: number, host: string): Promise<{ url: string; server: Server }>;
  /** Stops accepting, lets in-flight requests finish, closes backend connections. */
  close(): Promise<void>;
}

/** Builds the gateway from `generated/`: everything is resolved here, once, not per request. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  const logger = options.logger ?? createLogger();
  const bundle = options.bundle ?? (await loadGenerated(options.generatedDir ?? "generated"));
  const settings = resolveSettings(bundle.manifest, options.env ?? process.env, options);
  if (!options.dev && !settings.auth) {
    throw new StartupError("gateway.yaml has no `auth:` section, so the gateway cannot authenticate callers: add one (e.g. `auth: { issuer: embedded }`), or run in development mode (`--dev`, loopback only, no authentication)");
  }
  const client = new BackendClient({ maxConnections: settings.maxConnections, maxResponseBytes: options.maxResponseBytes ?? 8 * 1024 * 1024 });

  const tools = runnableTools(bundle, settings);
  const endpoints = settings.endpoints.map((endpoint) => {
    const metadata = metadataUrls(endpoint.resource);
    const promptNames = new Set(endpoint.prompts);
    return {
      settings: endpoint,
      metadata,
      // A client told to sign in asks for every scope; the consent page leaves write scopes unticked,
      // so users grant read access unless they choose more (and clients may later step up to more).
      challenges: new Challenges(metadata.pathSuffixed, settings.auth ? endpoint.scopesSupported : []),
      scope: { tools: new Set(endpoint.tools), prompts: bundle.prompts.filter((prompt) => promptNames.has(prompt.definition.name)), discovery: endpoint.discovery === true },
    };
  });
  const main = endpoints[0]!;
  const definitions = new Map(bundle.tools.map((tool) => [tool.definition.name, tool.definition]));
  const metrics = new GatewayMetrics();
  const limiter = options.limiter ?? (hasLimits(settings.limits)
    ? createLimiter({ limits: settings.limits, ...(settings.redisUrl ? { redisUrl: settings.redisUrl } : {}), prefix: `${settings.redisPrefix}limits:`, logger, onStoreError: () => metrics.limiterStoreErrors.inc() })
    : undefined);
  const env = options.env ?? process.env;
  const auditLog = options.audit
    ? undefined
    : await createAuditLog({
        ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
        ...(env.TOOLGATE_DB_SCHEMA ? { schema: env.TOOLGATE_DB_SCHEMA } : {}),
        sqlitePath: options.auditDatabasePath ?? env.TOOLGATE_AUDIT_DB ?? process.env.TOOLGATE_AUDIT_DB ?? ".toolgate/audit.sqlite",
        retentionDays: bundle.manifest.gateway.audit.retentionDays,
        logger,
      });
  const dispatchFor = (endpoint: (typeof endpoints)[number]) => {
    const runToolCall = createToolCallPipeline({
      endpoint: endpoint.settings.name,
      tools,
      client,
      limiter,
      audit: options.audit ?? auditLog,
      metrics,
      actorHeader: bundle.manifest.gateway.audit.actorHeader || undefined,
      insufficientScope: (tool, needed, caller) => endpoint.challenges.insufficientScope([...new Set([...caller.scopes, ...needed])].sort(), `${tool} needs the scope${needed.length === 1 ? "" : "s"} ${needed.join(", ")}`),
      onAuditFailure(error, entry) {
        logger.error({ err: error, requestId: entry.requestId, endpoint: entry.endpoint, tool: entry.tool, tenant: entry.tenant }, "audit record could not be written");
      },
      onCall(tool, outcome, context, durationMs) {
        const line = { requestId: context.requestId, endpoint: endpoint.settings.name, tool, tenant: context.caller.tenant, client: context.caller.client, outcome: outcome.code, backendStatus: outcome.backendStatus, durationMs: Math.round(durationMs * 10) / 10 };
        if (outcome.code === "ok") logger.debug(line, "tool call");
        else logger.info(line, "tool call failed");
      },
    });
    return createDispatcher({
      identity: { name: bundle.manifest.gateway.name, title: endpoint.settings.title, instructions: endpoint.settings.instructions, version: options.version ?? "0.1.0", prompts: endpoint.scope.prompts.length > 0 },
      runToolCall: endpoint.scope.discovery ? withDiscovery(runToolCall, definitions) : runToolCall,
    });
  };

  const revocations = new RevocationList();
  const access = options.dev
    ? developmentAccess(settings, bundle)
    : await authenticatedAccess({ settings, bundle, options, env, revocations, endpoints, metrics, logger, auditLog });
  const { identifyFor, admin, adminStore, embedded, sharedRevocations } = access;

  const allowedHosts = new Set(settings.allowedHosts);
  const allowedOrigins = new Set(settings.allowedOrigins);
  const policy = { allowedHosts, allowedOrigins };
  let ready = true;
  const router = new Router();
  const guard = guardHostAndOrigin(policy);
  const cors = corsForAllowedOrigins(allowedOrigins);
  for (const endpoint of endpoints) {
    const path = endpoint.settings.path;
    router.options(path, cors);
    router.post(path, cors, guard, ...identifyFor(endpoint), mcpPost(dispatchFor(endpoint), settings.maxBodyBytes, logger));
    router.get(path, cors, guard, methodNotAllowed);
    router.delete(path, cors, guard, methodNotAllowed);
    if (!settings.auth) continue;
    const document = JSON.stringify(protectedResourceMetadata(endpoint.settings.resource, settings.auth.issuerUrl, endpoint.settings.scopesSupported, endpoint.settings.title ?? bundle.manifest.gateway.title ?? bundle.manifest.gateway.name));
    // RFC 9728 §3.1: the path-suffixed location; the main endpoint's metadata is also at the root one.
    for (const metadataPath of endpoint === main ? endpoint.metadata.paths : endpoint.metadata.paths.slice(1)) {
      router.get(metadataPath, (ctx) => {
        ctx.set("access-control-allow-origin", "*");
        ctx.type = "application/json";
        ctx.body = document;
      });
    }
  }
  const card = JSON.stringify(serverCard(bundle.manifest, settings, options.version ?? "0.1.0"));
  router.get("/.well-known/mcp.json", (ctx) => {
    ctx.set("access-control-allow-origin", "*");
    ctx.type = "application/json";
    ctx.body = card;
  });
  if (admin) router.use(admin.routes(), admin.allowedMethods());
  // Metrics name tenants and tools: only for the scraper holding TOOLGATE_METRICS_TOKEN. (A
  // "local requests only" rule would open them to anything behind a reverse proxy on this host.)
  // Development mode serves them to anyone, as it serves everything, on loopback only.
  const metricsToken = env.TOOLGATE_METRICS_TOKEN;
  if (metricsToken || options.dev) router.get("/metrics", metricsRoute(metrics, metricsToken, () => auditLog?.pending));
  router.get("/healthz", (ctx) => {
    ctx.body = { status: "ok" };
  });
  router.get("/readyz", (ctx) => {
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? "ready" : "shutting down", tools: tools.size, endpoints: endpoints.length };
  });

  const app = new Koa();
  app.silent = true;
  // While shutting down, every answer closes its connection, so keep-alive clients move on and
  // the server can finish.
  app.use(async function closeWhenDraining(ctx, next) {
    if (!ready) ctx.set("connection", "close");
    await next();
  });
  app.use(requestScope(logger));
  app.use(router.routes());
  app.use(router.allowedMethods());
  // The embedded authorization server's routes (/authorize, /token, /register, …) come last.
  if (embedded) app.use(embedded.middleware);
  if (options.fallback) app.use(options.fallback);

  let server: Server | undefined;
  return {
    app,
    settings,
    logger,
    revocations,
    authorizationServer: embedded?.server,
    revocationsShared: sharedRevocations?.ready,
    metrics,
    async listen(port, host) {
      if (options.dev && !isLoopback(host)) {
        throw new StartupError(`development mode serves without authentication, so it listens on loopback only; ${host} is not a loopback address`);
      }
      server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 30_000, requestTimeout: 60_000 }, app.callback());
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, host, () => resolve());
      });
      const actual = (server.address() as AddressInfo).port;
      if (isLoopback(host)) {
        // A loopback listener also answers to the loopback names with its real port, and to pages
        // served from them (a DNS-rebinding page has a foreign origin and Host, and stays refused).
        for (const name of ["localhost", "127.0.0.1", "[::1]"]) {
          allowedHosts.add(`${name}:${actual}`);
          allowedOrigins.add(`http://${name}:${actual}`);
        }
      }
      const hostname = host.includes(":") ? `[${host}]` : host;
      if (options.dev) logger.warn({ tools: tools.size }, "DEVELOPMENT MODE: no authentication; every call acts as the dev caller from gateway.yaml");
      return { url: `http://${hostname}:${actual}${settings.endpointPath}`, server };
    },
    async close() {
      ready = false;
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        // Keep-alive connections that finish a request after this point go idle, not away:
        // close them as they do, so in-flight calls complete and nothing waits on idle sockets.
        server.closeIdleConnections();
        const sweep = setInterval(() => server!.closeIdleConnections(), 50);
        await closing;
        clearInterval(sweep);
      }
      await client.close();
      // Every call that was answered has its record; this flushes any still being written.
      await auditLog?.close();
      await embedded?.server.close();
      await adminStore?.close();
      await sharedRevocations?.close();
      if (!options.limiter) await (limiter as Limiter | undefined)?.close();
    },
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}

type Endpoint = {
  readonly settings: EndpointSettings;
  readonly challenges: Challenges;
  readonly scope: EndpointScope;
};

interface Access {
  /** Middlewares that put the caller and their tool set on an endpoint's requests. */
  readonly identifyFor: (endpoint: Endpoint) => Koa.Middleware[];
  readonly admin?: Router;
  readonly adminStore?: AdminStore;
  readonly embedded?: EmbeddedIssuer;
  readonly sharedRevocations?: SharedRevocations;
}

/** Development mode: one fixed caller, every tool of each endpoint, no authentication. */
function developmentAccess(settings: Settings, bundle: GeneratedBundle): Access {
  const definitions = bundle.tools.map((tool) => tool.definition);
  const everything = new Set(definitions.map((definition) => definition.name));
  return {
    identifyFor: (endpoint) => [developmentCaller(settings.devCaller, endpointView(everything, new Map(), definitions, endpoint.scope, settings.pageSize))],
  };
}

/**
 * Outside development mode: bearer tokens verified against the issuer's keys (the embedded
 * authorization server's, started here, or an external issuer's), each endpoint accepting only
 * tokens for its own resource; the caller's tool set from the access policy with admin
 * overrides; revocations (shared through Redis when configured); and the admin API, which
 * belongs to the main endpoint's resource.
 */
async function authenticatedAccess(context: {
  settings: Settings;
  bundle: GeneratedBundle;
  options: GatewayOptions;
  env: Readonly<Record<string, string | undefined>>;
  revocations: RevocationList;
  endpoints: readonly Endpoint[];
  metrics: GatewayMetrics;
  logger: Logger;
  auditLog: AuditLog | undefined;
}): Promise<Access> {
  const { settings, bundle, options, env, revocations, endpoints, metrics, logger } = context;
  const auth = settings.auth!;
  const main = endpoints[0]!;
  const embedded = auth.issuer === "embedded" && !options.issuerKeys
    ? await startEmbeddedIssuer(settings, revocations, { databasePath: options.authDatabasePath, env, logger, resourceName: bundle.manifest.gateway.title ?? bundle.manifest.gateway.name })
    : undefined;
  const keys = options.issuerKeys ?? embedded?.keys ?? (await discoverIssuerKeys(auth.issuerUrl, auth.jwksUri, () => metrics.jwksFetches.inc())).keys;
  const verifierFor = (endpoint: Endpoint) => createTokenVerifier({
    issuer: auth.issuerUrl,
    audience: endpoint.settings.resource,
    algorithms: auth.algorithms,
    clockSkewSeconds: auth.clockSkewSeconds,
    tenantClaim: auth.tenantClaim,
    keys,
    revocations,
    challenges: endpoint.challenges,
  });
  const verify = verifierFor(main);
  const sharedRevocations = settings.redisUrl ? shareRevocations(settings.redisUrl, revocations, logger, Math.max(auth.tokenLifetimeSeconds, 86_400), settings.redisPrefix) : undefined;
  const facts = toolFacts(bundle);
  const caches = new Map(endpoints.map((endpoint) => [endpoint, new CallerToolsCache(bundle.policy, facts, settings.pageSize, endpoint.scope)]));
  // Shared by every instance in PostgreSQL when there is one; else a local SQLite file.
  const adminStore: AdminStore = env.DATABASE_URL
    ? await PostgresAdminStore.open(env.DATABASE_URL, { ...(env.TOOLGATE_DB_SCHEMA ? { schema: env.TOOLGATE_DB_SCHEMA } : {}), logger })
    : new SqliteAdminStore(options.stateDatabasePath ?? env.TOOLGATE_STATE_DB ?? process.env.TOOLGATE_STATE_DB ?? ".toolgate/state.sqlite");
  const admin = await createAdminApi({
    verify,
    challenges: main.challenges,
    store: adminStore,
    basePolicy: bundle.policy,
    tools: bundle.tools.map((tool) => ({ name: tool.definition.name, scopes: tool.scopes, readOnly: tool.definition.annotations.readOnlyHint === true, ...requiresOf(tool) })),
    onPolicy: (policy) => {
      for (const cache of caches.values()) cache.setPolicy(policy);
    },
    authorizationServer: embedded?.server,
    audit: context.auditLog,
    logger,
  });
  return {
    identifyFor: (endpoint) => [authenticate(endpoint === main ? verify : verifierFor(endpoint), endpoint.challenges), authorize(caches.get(endpoint)!, endpoint.challenges)],
    admin,
    adminStore,
    ...(embedded ? { embedded } : {}),
    ...(sharedRevocations ? { sharedRevocations } : {}),
  };
}

function hasLimits(limits: ManifestLimits): boolean {
  return Object.keys(limits.default).length > 0 || Object.keys(limits.tenants).length > 0 || Object.keys(limits.apps).length > 0 || limits.users !== undefined;
}
