import type Provider from "oidc-provider";
import type { Logger } from "pino";
import type { GrantRow, SqliteStore } from "./sqlite-store.ts";
import type { UserDirectory } from "./users.ts";

/** One user's authorization of one client (an oidc-provider Grant), as an administrator sees it. */
export interface GrantInfo {
  readonly grantId: string;
  /** The client's id: a registered client's, or a Client ID Metadata Document URL. */
  readonly clientId: string;
  /** The client's `client_name`, when it has one. */
  readonly clientName: string | null;
  readonly username: string;
  readonly tenant: string;
  /** The scopes the user granted (ticked), over every resource. */
  readonly scopes: string[];
  /** ISO 8601: when the user first consented. */
  readonly createdAt: string;
  /** ISO 8601: when tokens were last issued under the grant (code exchange or refresh); null when never. */
  readonly lastUsedAt: string | null;
}

export interface GrantFilter {
  readonly tenant?: string;
  readonly username?: string;
  readonly clientId?: string;
}

interface GrantPayload {
  accountId?: string;
  clientId?: string;
  iat?: number;
  openid?: { scope?: string };
  resources?: Record<string, string | undefined>;
  rejected?: { openid?: { scope?: string }; resources?: Record<string, string | undefined> };
}

interface GrantDeps {
  readonly store: SqliteStore;
  readonly users: UserDirectory;
}

/**
 * Records, beside oidc-provider's Grant (which keeps no timestamps of its own), when each grant
 * was first saved, for which tenant, and when tokens were last issued under it; and when each
 * machine credential last got a token.
 */
export function recordActivity(provider: Provider, { store, users }: GrantDeps, logger: Logger): void {
  provider.on("grant.saved", (grant) => {
    const grantId = grant.jti;
    const clientId = grant.clientId;
    try {
      store.noteGrant(grantId, { tenant: (grant.accountId && users.get(grant.accountId)?.tenant) || null, clientName: null }, Date.now());
    } catch (error) {
      logger.warn({ err: error, grantId }, "authorization server: recording a grant failed");
      return;
    }
    // The name is kept for clients that are not stored here (Client ID Metadata Documents, served
    // from oidc-provider's cache at this point): the grants report needs no outbound request.
    if (!clientId) return;
    provider.Client.find(clientId).then(
      (client) => {
        if (client?.clientName) store.noteGrant(grantId, { tenant: null, clientName: client.clientName }, Date.now());
      },
      (error: unknown) => logger.debug({ err: error, grantId }, "authorization server: no client name for a grant"),
    );
  });
  provider.on("grant.success", (ctx) => {
    try {
      const grantType = ctx.oidc.params?.grant_type;
      if (grantType === "client_credentials" && ctx.oidc.client) {
        store.touchMachineCredential(ctx.oidc.client.clientId, Date.now());
      } else if (ctx.oidc.entities.Grant?.jti) {
        store.touchGrant(ctx.oidc.entities.Grant.jti, Date.now());
      }
    } catch (error) {
      logger.warn({ err: error }, "authorization server: recording a token's use failed");
    }
  });
}

/** The live grants that match every given field. */
export async function listGrants({ store, users }: GrantDeps, filter: GrantFilter = {}): Promise<GrantInfo[]> {
  checkFilter(filter, false);
  const clients = store.adapterFor("Client");
  const names = new Map<string, string | null>();
  const grants: GrantInfo[] = [];
  for (const row of store.grants({ accountId: filter.username, clientId: filter.clientId })) {
    const info = describe(row, users);
    if (!info || (filter.tenant !== undefined && info.tenant !== filter.tenant)) continue;
    if (!names.has(info.clientId)) {
      const stored = (await clients.find(info.clientId)) as { client_name?: unknown } | undefined;
      names.set(info.clientId, typeof stored?.client_name === "string" ? stored.client_name : null);
    }
    grants.push({ ...info, clientName: names.get(info.clientId) ?? row.client_name });
  }
  return grants;
}

/**
 * Deletes the matching grants with their codes and refresh tokens; the caller reports each one
 * (its JWT access tokens cannot be recalled, only denied by the resource server).
 */
export async function revokeGrants(deps: GrantDeps, filter: GrantFilter, revoked: (grant: GrantInfo) => void): Promise<number> {
  checkFilter(filter, true);
  let count = 0;
  for (const grant of await listGrants(deps, filter)) {
    if (!deps.store.deleteGrant(grant.grantId)) continue;
    count++;
    revoked(grant);
  }
  return count;
}

function describe(row: GrantRow, users: UserDirectory): Omit<GrantInfo, "clientName"> | undefined {
  const payload = JSON.parse(row.payload) as GrantPayload;
  if (typeof payload.accountId !== "string" || typeof payload.clientId !== "string") return undefined;
  const createdAt = row.created_at ?? (typeof payload.iat === "number" ? payload.iat * 1000 : undefined);
  return {
    grantId: row.grant_id,
    clientId: payload.clientId,
    username: payload.accountId,
    tenant: row.tenant ?? users.get(payload.accountId)?.tenant ?? "",
    scopes: grantedScopes(payload),
    createdAt: createdAt === undefined ? new Date(0).toISOString() : new Date(createdAt).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  };
}

/** Granted minus rejected, as oidc-provider's Grant#getResourceScope and #getOIDCScope count them. */
function grantedScopes(payload: GrantPayload): string[] {
  const words = (value: string | undefined) => (value ?? "").split(" ").filter(Boolean);
  const scopes = new Set<string>();
  const rejectedOidc = new Set(words(payload.rejected?.openid?.scope));
  for (const scope of words(payload.openid?.scope)) if (!rejectedOidc.has(scope)) scopes.add(scope);
  for (const [indicator, granted] of Object.entries(payload.resources ?? {})) {
    const rejected = new Set(words(payload.rejected?.resources?.[indicator]));
    for (const scope of words(granted)) if (!rejected.has(scope)) scopes.add(scope);
  }
  return [...scopes];
}

function checkFilter(filter: GrantFilter, required: boolean): void {
  if (typeof filter !== "object" || filter === null) throw new TypeError("the grant filter must be an object");
  const given = (["tenant", "username", "clientId"] as const).filter((key) => filter[key] !== undefined);
  for (const key of given) {
    if (typeof filter[key] !== "string" || filter[key] === "") throw new TypeError(`filter.${key} must be a non-empty string`);
  }
  // Revoking every grant of every user is never what a caller meant by an empty filter.
  if (required && !given.length) throw new TypeError("revokeGrants needs at least one of tenant, username or clientId");
}
