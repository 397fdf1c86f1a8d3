import type { Context, Middleware, Next } from "koa";
import type { EventEmitter } from "node:events";
import Provider, { type errors, type KoaContextWithOIDC } from "oidc-provider";
import { pino, type Logger } from "pino";
import { defaultAuthorizationScope } from "./default-scope.ts";
import { listGrants, recordActivity, revokeGrants, type GrantFilter, type GrantInfo } from "./grants.ts";
import { interactionRoutes } from "./interactions.ts";
import {
  createMachineCredential,
  deleteMachineCredential,
  listMachineCredentials,
  machineCredentialClients,
  migrateStoredMachineCredentials,
  verifyMachineCredentialSecrets,
  type MachineCredential,
  type MachineCredentialFilter,
  type MachineCredentialInfo,
  type MachineCredentialRequest,
} from "./machine-credentials.ts";
import { buildConfiguration, ROUTES } from "./provider-configuration.ts";
import { ResourceCatalog } from "./resources.ts";
import { loadOrCreateSigningKeys, publicJwks } from "./signing-keys.ts";
import { SqliteStore } from "./sqlite-store.ts";
import { UserDirectory } from "./users.ts";

export type { GrantFilter, GrantInfo, MachineCredential, MachineCredentialFilter, MachineCredentialInfo, MachineCredentialRequest };

/** What `revokeUser` removed. */
export interface RevokedUser {
  /** Grants (authorizations of clients) revoked, with their refresh tokens. */
  readonly grants: number;
  /** Machine credentials deleted. */
  readonly machineCredentials: number;
  /** Sign-in sessions ended (the user must enter their password again). */
  readonly sessions: number;
}

/** Something was revoked: deny the access tokens it covers until they expire. */
export interface RevocationEvent {
  /** The id of the revoked token, when one token was revoked. */
  readonly jti?: string;
  /** The grant (one user's authorization of one client) that was revoked with all its tokens. */
  readonly grantId?: string;
  /** The client whose tokens are affected (all of them when no grant or subject is given). */
  readonly clientId?: string;
  /** The user (`sub`) whose tokens for `clientId` are affected. */
  readonly subject?: string;
  /** When it happened (epoch seconds): tokens issued at or before it are covered. */
  readonly revokedAt: number;
}

export interface EmbeddedAuthServerOptions {
  /** The gateway's origin, e.g. "http://127.0.0.1:3000" — the issuer; routes live at its root. */
  issuer: string;
  /** Protected resources (RFC 8707) this server issues tokens for, each with its scopes. */
  resources: readonly { resource: string; name: string; scopes: readonly string[] }[];
  /** Claim that carries the user's tenant in access tokens (e.g. "org_id"). */
  tenantClaim: string;
  /** Access token lifetime in seconds (default 43200 = 12 h, the Staircase seed's). */
  accessTokenTtlSeconds?: number;
  /** SQLite file for clients, grants, sessions and signing keys; ":memory:" in tests. */
  databasePath: string;
  /** Users who can sign in (development users, seeded from a YAML file by the caller). */
  users: readonly { username: string; password: string; tenant: string; email?: string; name?: string; groups?: readonly string[]; admin?: boolean; privilegedScopes?: readonly string[] }[];
  /** Scopes of the resources that only admin users may be granted (e.g. "toolgate:admin"). */
  privilegedScopes?: readonly string[];
  /** Secrets for signing cookies (from the environment; generated per start in development). */
  cookieKeys: readonly string[];
  logger?: Logger;
  /**
   * Called when a refresh token is revoked (RFC 7009), when a refresh token is replayed (the
   * grant is revoked), and when a machine credential is deleted. JWT access tokens cannot be
   * recalled: the resource server denies the ones an event covers until they expire.
   */
  onRevoke?: (event: RevocationEvent) => void;
  /** Trust X-Forwarded-Proto/Host (set when a TLS-terminating proxy is in front). Default false. */
  trustProxy?: boolean;
  /**
   * Accept Client ID Metadata Documents: a `client_id` that is an https URL of the client's
   * metadata (the MCP 2025-11-25 authorization spec's preferred registration). Default true.
   */
  clientIdMetadataDocuments?: boolean;
  /**
   * Tests only. A metadata-document `client_id` on 127.0.0.1 or localhost
   * (`https://127.0.0.1:port/client.json`) is fetched over plain HTTP, past the guard that
   * otherwise refuses private and loopback addresses. Default false; never set it in production.
   */
  allowInsecureClientMetadataUrls?: boolean;
}

export interface EmbeddedAuthServer {
  readonly issuer: string;
  /** Koa middleware serving every authorization-server route; the gateway mounts it at the root, after its own routes. */
  readonly middleware: Middleware;
  /** The public JWKS (for the gateway's own token verification without an HTTP round trip). */
  jwks(): Promise<{ keys: object[] }>;
  /** Issues a client_credentials credential that acts as a user (client id and a secret shown once). */
  createMachineCredential(request: MachineCredentialRequest): Promise<MachineCredential>;
  /** Deletes a machine credential: no new tokens; `onRevoke` fires for the ones already issued. */
  revokeMachineCredential(clientId: string): Promise<boolean>;
  /** The machine credentials (never their secrets), oldest first, with when each was created and last got a token. */
  listMachineCredentials(filter?: MachineCredentialFilter): Promise<MachineCredentialInfo[]>;
  /** Which users authorized which client, when, with which scopes (live grants, oldest first). */
  listGrants(filter?: GrantFilter): Promise<GrantInfo[]>;
  /**
   * Revokes the grants matching every given field (at least one), with their refresh tokens;
   * `onRevoke` fires for each so the resource server stops their access tokens at once.
   * Returns how many were revoked. The client may ask the user again.
   */
  revokeGrants(filter: GrantFilter): Promise<number>;
  /** Revokes everything a user has given or holds: their grants, their machine credentials and their sign-in sessions. */
  revokeUser(username: string): Promise<RevokedUser>;
  close(): Promise<void>;
}

const RESERVED_CLAIMS = new Set(["iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "scope", "cnf", "email", "groups", "authorization_details"]);
const SWEEP_INTERVAL_MS = 10 * 60 * 1000;

/**
 * The embedded OAuth 2.1 authorization server (oidc-provider): authorization code with PKCE,
 * refresh tokens rotated on use, client credentials for machine credentials, dynamic client
 * registration, revocation, RFC 8414 metadata, and JWT access tokens bound to one resource.
 */
export async function createEmbeddedAuthServer(options: EmbeddedAuthServerOptions): Promise<EmbeddedAuthServer> {
  const issuer = checkIssuer(options.issuer);
  const accessTokenTtlSeconds = options.accessTokenTtlSeconds ?? 12 * 60 * 60;
  if (!Number.isSafeInteger(accessTokenTtlSeconds) || accessTokenTtlSeconds <= 0) throw new TypeError("accessTokenTtlSeconds must be a positive whole number of seconds");
  if (typeof options.tenantClaim !== "string" || !/^[A-Za-z_][\w.:-]*$/.test(options.tenantClaim)) throw new TypeError("tenantClaim must be a claim name such as \"org_id\"");
  if (RESERVED_CLAIMS.has(options.tenantClaim)) throw new TypeError(`tenantClaim "${options.tenantClaim}" is a claim the server sets itself; choose another name`);
  if (!Array.isArray(options.cookieKeys) || options.cookieKeys.length === 0 || options.cookieKeys.some((key) => typeof key !== "string" || key.length < 16)) {
    throw new TypeError("cookieKeys must hold at least one secret of 16 characters or more");
  }
  if (typeof options.databasePath !== "string" || options.databasePath === "") throw new TypeError("databasePath must be a file path or \":memory:\"");
  const users = new UserDirectory(options.users);
  const resources = new ResourceCatalog(options.resources, options.privilegedScopes ?? []);
  const logger = options.logger ?? pino({ level: "silent" });

  const store = new SqliteStore(options.databasePath);
  try {
    const migrated = migrateStoredMachineCredentials(store);
    if (migrated) logger.info({ count: migrated }, "authorization server: machine credentials now keep only a hash of their secret");
    const signingKeys = await loadOrCreateSigningKeys(store);
    const adapter = (model: string) => (model === "Client" ? machineCredentialClients(store, store.adapterFor(model)) : store.adapterFor(model));
    const provider = new Provider(issuer, buildConfiguration({
      adapter,
      signingKeys,
      users,
      resources,
      tenantClaim: options.tenantClaim,
      accessTokenTtlSeconds,
      cookieKeys: options.cookieKeys,
      logger,
      clientMetadataDocuments: { enabled: options.clientIdMetadataDocuments ?? true, allowInsecureUrls: options.allowInsecureClientMetadataUrls ?? false },
    }));
    provider.proxy = options.trustProxy ?? false;
    verifyMachineCredentialSecrets(provider, store);
    provider.use(defaultAuthorizationScope(provider, resources));
    provider.use(interactionRoutes({ provider, users, resources, logger }));
    const notify = revocationNotifier(options.onRevoke, logger);
    observe(provider, logger, notify);
    recordActivity(provider, { store, users }, logger);

    const handle = provider.callback();
    const owned = ownedPaths();
    const middleware = async function authorizationServer(ctx: Context, next: Next): Promise<void> {
      const alias = Object.hasOwn(ALIASES, ctx.path) ? ALIASES[ctx.path as keyof typeof ALIASES] : undefined;
      if (!alias && !owned(ctx.path)) return next();
      // oidc-provider is a Koa app of its own (its cookie keys, its error handling): hand it
      // the raw request and let it answer.
      if (alias) ctx.req.url = `${alias}${ctx.querystring ? `?${ctx.querystring}` : ""}`;
      ctx.respond = false;
      await handle(ctx.req, ctx.res);
    };

    const sweeper = setInterval(() => {
      try {
        store.sweepExpired();
      } catch (error) {
        logger.warn({ err: error }, "authorization server: sweeping expired rows failed");
      }
    }, SWEEP_INTERVAL_MS);
    sweeper.unref();
    store.sweepExpired();

    const jwks = publicJwks(signingKeys);
    const deps = { provider, store, users, resources };
    const revokeMachineCredential = async (clientId: string): Promise<boolean> => {
      if (typeof clientId !== "string") return false;
      const deleted = deleteMachineCredential(store, clientId);
      if (deleted) notify({ clientId, subject: deleted.owner });
      return deleted !== undefined;
    };
    const revokeMatchingGrants = (filter: GrantFilter) => revokeGrants(deps, filter, (grant) => notify({ grantId: grant.grantId, clientId: grant.clientId, subject: grant.username }));
    let closed = false;
    return {
      issuer,
      middleware,
      async jwks() {
        return structuredClone(jwks);
      },
      createMachineCredential: (request) => createMachineCredential(deps, request),
      revokeMachineCredential,
      async listMachineCredentials(filter) {
        return listMachineCredentials(store, filter);
      },
      listGrants: (filter) => listGrants(deps, filter),
      revokeGrants: revokeMatchingGrants,
      async revokeUser(username) {
        if (typeof username !== "string" || username === "") throw new TypeError("username must be a non-empty string");
        const grants = await revokeMatchingGrants({ username });
        let machineCredentials = 0;
        for (const credential of listMachineCredentials(store, { owner: username })) {
          if (await revokeMachineCredential(credential.clientId)) machineCredentials++;
        }
        const sessions = store.deleteSessionsOf(username);
        return { grants, machineCredentials, sessions };
      },
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(sweeper);
        store.close();
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

function checkIssuer(issuer: string): string {
  const url = typeof issuer === "string" ? URL.parse(issuer) : null;
  if (!url || !/^https?:$/.test(url.protocol) || url.origin !== issuer) {
    throw new TypeError(`issuer must be an origin such as "https://mcp.example.com" (no path, no trailing slash), got ${JSON.stringify(issuer)}`);
  }
  return issuer;
}

/** The paths oidc-provider and the interaction pages answer; everything else passes through. */
/**
 * Other paths of the token endpoint: `/oauth/token` is where the Staircase seed's clients get
 * their client-credentials tokens (`<server>/oauth/token`).
 */
const ALIASES = { "/oauth/token": ROUTES.token } as const;

function ownedPaths(): (path: string) => boolean {
  const exact = new Set<string>([...Object.values(ROUTES), "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server"]);
  const prefixes = [`${ROUTES.authorization}/`, `${ROUTES.registration}/`, "/interaction/"];
  return (path) => exact.has(path) || prefixes.some((prefix) => path.startsWith(prefix));
}

type Notify = (event: Omit<RevocationEvent, "revokedAt">) => void;

function revocationNotifier(onRevoke: EmbeddedAuthServerOptions["onRevoke"], logger: Logger): Notify {
  return (event) => {
    const complete: RevocationEvent = { ...event, revokedAt: Math.floor(Date.now() / 1000) };
    logger.info({ grantId: complete.grantId, clientId: complete.clientId, subject: complete.subject }, "authorization server: revoked");
    try {
      onRevoke?.(complete);
    } catch (error) {
      logger.error({ err: error }, "authorization server: onRevoke hook failed");
    }
  };
}

/** Logs oidc-provider's failures (never into a response) and turns grant revocations into events. */
function observe(provider: Provider, logger: Logger, notify: Notify): void {
  provider.on("server_error", (ctx, error) => {
    logger.error({ err: error, route: ctx.oidc?.route, path: ctx.path }, "authorization server error");
  });
  // Koa-level errors that escaped oidc-provider's own handlers (answered with a bare 500).
  (provider as EventEmitter).on("error", (error: unknown) => {
    logger.error({ err: error }, "authorization server: unhandled error");
  });
  const refused = (event: string) => (_ctx: KoaContextWithOIDC, error: errors.OIDCProviderError) => {
    logger.debug({ error: error.error, description: error.error_description, event }, "authorization server: request refused");
  };
  provider.on("authorization.error", refused("authorization.error"));
  provider.on("grant.error", refused("grant.error"));
  provider.on("registration_create.error", refused("registration_create.error"));
  provider.on("revocation.error", refused("revocation.error"));
  provider.on("grant.revoked", (ctx, grantId) => {
    const token = ctx.oidc.entities.RefreshToken ?? ctx.oidc.entities.AccessToken;
    notify({
      grantId,
      ...(token?.jti ? { jti: token.jti } : {}),
      ...((ctx.oidc.client?.clientId ?? token?.clientId) ? { clientId: ctx.oidc.client?.clientId ?? token?.clientId } : {}),
      ...(token?.accountId ? { subject: token.accountId } : {}),
    });
  });
}
