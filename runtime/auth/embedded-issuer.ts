import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { JWTVerifyGetKey } from "jose";
import type { Middleware } from "koa";
import type { Logger } from "pino";
import type { EmbeddedAuthServer, RevocationEvent } from "../auth-server/index.ts";
import { adminScope, tenantAdminScope } from "../admin/admin-api.ts";
import type { Settings } from "../config/resolve-settings.ts";
import { StartupError } from "../errors.ts";
import { localIssuerKeys } from "./issuer-keys.ts";
import { sessionId, type RevocationList } from "./revocation-list.ts";

export interface EmbeddedIssuerOptions {
  /** SQLite file for clients, grants and keys (default: TOOLGATE_AUTH_DB, else .toolgate/auth.sqlite). */
  readonly databasePath?: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly resourceName: string;
}

/** The embedded authorization server, wired to the gateway: its keys, its routes, its revocations. */
export interface EmbeddedIssuer {
  readonly server: EmbeddedAuthServer;
  readonly keys: JWTVerifyGetKey;
  readonly middleware: Middleware;
}

/**
 * Starts toolgate's own authorization server for `auth.issuer: embedded`: its issuer is the
 * resource's origin, its users come from `auth.users_file`, and every revocation it reports is
 * put on the gateway's revocation list, because JWT access tokens cannot be recalled.
 */
export async function startEmbeddedIssuer(settings: Settings, revocations: RevocationList, options: EmbeddedIssuerOptions): Promise<EmbeddedIssuer> {
  // Imported here, not above: oidc-provider (and the users file's YAML parser) are a large part
  // of start-up, and only this issuer needs them.
  const { createEmbeddedAuthServer } = await import("../auth-server/index.ts");
  const { readUsersFile } = await import("./read-users-file.ts");
  const auth = settings.auth!;
  if (!auth.usersFile) throw new StartupError("auth.issuer is `embedded` but auth.users_file is not set: name a users file (see specs/users.yaml)");
  const databasePath = options.databasePath ?? options.env.TOOLGATE_AUTH_DB ?? ".toolgate/auth.sqlite";
  if (databasePath !== ":memory:") mkdirSync(dirname(resolve(databasePath)), { recursive: true });
  const configuredKeys = options.env.TOOLGATE_COOKIE_KEYS?.split(",").filter((key) => key.length >= 16);
  if (!configuredKeys?.length) options.logger.warn("TOOLGATE_COOKIE_KEYS is not set: sign-in sessions use a key made for this run and end with it");
  const server = await createEmbeddedAuthServer({
    issuer: auth.issuerUrl,
    // The admin scope is a scope of this resource too, but only admin users may be granted it.
    // Each endpoint is a resource of its own. The admin scopes belong to the main one (the admin
    // API's audience), and only admin users may be granted them.
    resources: settings.endpoints.map((endpoint, index) => ({
      resource: endpoint.resource,
      name: index === 0 ? options.resourceName : endpoint.title ?? `${options.resourceName} (${endpoint.name})`,
      scopes: index === 0 ? [...endpoint.scopesSupported, adminScope, tenantAdminScope] : endpoint.scopesSupported,
    })),
    privilegedScopes: [adminScope, tenantAdminScope],
    tenantClaim: auth.tenantClaim,
    accessTokenTtlSeconds: auth.tokenLifetimeSeconds,
    databasePath,
    users: readUsersFile(auth.usersFile),
    cookieKeys: configuredKeys?.length ? configuredKeys : [randomBytes(32).toString("base64url")],
    logger: options.logger,
    onRevoke: (event) => applyRevocation(revocations, event),
  });
  return { server, keys: localIssuerKeys((await server.jwks()) as never), middleware: server.middleware };
}

function applyRevocation(revocations: RevocationList, event: RevocationEvent): void {
  if (event.jti) revocations.revoke("token", event.jti, event.revokedAt);
  if (event.grantId) revocations.revoke("grant", event.grantId, event.revokedAt);
  if (event.clientId && event.subject) revocations.revoke("session", sessionId(event.clientId, event.subject), event.revokedAt);
  else if (event.clientId) revocations.revoke("client", event.clientId, event.revokedAt);
}
