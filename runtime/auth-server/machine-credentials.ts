import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type Provider from "oidc-provider";
import type { Adapter, AdapterPayload, ClientMetadata } from "oidc-provider";
import type { ResourceCatalog } from "./resources.ts";
import type { MachineCredentialRow, SqliteStore } from "./sqlite-store.ts";
import { mayHold, type UserDirectory } from "./users.ts";

/** Client metadata naming the user a machine credential acts as. */
export const OWNER_METADATA = "toolgate_owner";
/** Client metadata naming that user's tenant when the credential was issued. */
export const TENANT_METADATA = "toolgate_tenant";
/** Every machine credential's client id starts with this. */
export const MACHINE_PREFIX = "mc_";

type AnyClient = { readonly [key: string]: unknown };

export function ownerOf(client: AnyClient): string | undefined {
  const owner = client[OWNER_METADATA];
  return typeof owner === "string" && owner !== "" ? owner : undefined;
}

export function tenantOf(client: AnyClient): string | undefined {
  const tenant = client[TENANT_METADATA];
  return typeof tenant === "string" && tenant !== "" ? tenant : undefined;
}

/** What an administrator asks for when issuing personal credentials (the Staircase seed). */
export interface MachineCredentialRequest {
  /** The user the credential acts as: tokens carry this user as `sub`, and their tenant. */
  readonly owner: string;
  /** Shown in lists; defaults to "Machine credential for <owner>". */
  readonly name?: string;
  /** The scopes the credential may get; all of the resource's scopes when omitted. */
  readonly scopes?: readonly string[];
}

/** A credential just issued. The secret is in this value only: the database keeps its hash. */
export interface MachineCredential {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly name: string;
  readonly owner: string;
  readonly tenant: string;
  readonly scopes?: readonly string[];
  /** ISO 8601. */
  readonly createdAt: string;
}

/** A credential as listed: everything but the secret, with when it was made and last used. */
export interface MachineCredentialInfo {
  readonly clientId: string;
  readonly name: string;
  readonly owner: string;
  readonly tenant: string;
  readonly scopes?: readonly string[];
  /** ISO 8601. */
  readonly createdAt: string;
  /** ISO 8601: when a token was last issued for it; null when never. */
  readonly lastUsedAt: string | null;
}

export interface MachineCredentialFilter {
  readonly owner?: string;
  readonly tenant?: string;
}

interface MachineCredentialDeps {
  readonly provider: Provider;
  readonly store: SqliteStore;
  readonly users: UserDirectory;
  readonly resources: ResourceCatalog;
}

/**
 * The secret's digest. SHA-256, not a password hash (scrypt, argon2): the secret is 256 random
 * bits, so no dictionary or brute-force search can reverse its digest, and a slow hash would only
 * cost CPU on every token request (an unauthenticated caller could make the server pay it).
 */
function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/**
 * Issues a credential for the client_credentials grant that acts as `owner`
 * (client_secret_basic or client_secret_post, which oidc-provider treats alike).
 */
export async function createMachineCredential(deps: MachineCredentialDeps, request: MachineCredentialRequest): Promise<MachineCredential> {
  const user = deps.users.get(request.owner);
  if (!user) throw new TypeError(`owner "${request.owner}" is not a known user`);
  if (request.name !== undefined && (typeof request.name !== "string" || request.name.trim() === "" || request.name.length > 200)) {
    throw new TypeError("name must be a non-empty string of at most 200 characters");
  }
  const unknown = (request.scopes ?? []).filter((scope) => !deps.resources.isApiScope(scope));
  if (unknown.length) throw new TypeError(`scopes not offered by any resource: ${unknown.join(", ")}`);
  const privileged = (request.scopes ?? []).filter((scope) => deps.resources.privileged.has(scope));
  const forbidden = privileged.filter((scope) => !mayHold(user, scope));
  if (forbidden.length) throw new TypeError(`only admin users may hold ${forbidden.join(", ")}; ${user.username} is not one`);
  const scopes = request.scopes?.length ? [...new Set(request.scopes)] : undefined;
  const clientSecret = randomBytes(32).toString("base64url");
  const row: MachineCredentialRow = {
    client_id: `${MACHINE_PREFIX}${randomBytes(16).toString("base64url")}`,
    name: request.name ?? `Machine credential for ${user.username}`,
    owner: user.username,
    tenant: user.tenant,
    scopes: scopes ? scopes.join(" ") : null,
    secret_sha256: digest(clientSecret),
    created_at: Date.now(),
    last_used_at: null,
  };
  // The metadata oidc-provider will see must be valid before the row exists.
  await deps.provider.Client.validate(clientMetadata(row, "validation-only"));
  deps.store.insertMachineCredential(row);
  return { clientId: row.client_id, clientSecret, name: row.name, owner: row.owner, tenant: row.tenant, ...(scopes ? { scopes } : {}), createdAt: new Date(row.created_at).toISOString() };
}

export function listMachineCredentials(store: SqliteStore, filter: MachineCredentialFilter = {}): MachineCredentialInfo[] {
  return store.machineCredentials(filter).map((row) => ({
    clientId: row.client_id,
    name: row.name,
    owner: row.owner,
    tenant: row.tenant,
    ...(row.scopes ? { scopes: row.scopes.split(" ") } : {}),
    createdAt: new Date(row.created_at).toISOString(),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at).toISOString(),
  }));
}

/** The client metadata oidc-provider sees for a stored credential (it never sees the digest). */
function clientMetadata(row: MachineCredentialRow, placeholderSecret: string): ClientMetadata {
  return {
    client_id: row.client_id,
    client_secret: placeholderSecret,
    client_name: row.name,
    client_id_issued_at: Math.floor(row.created_at / 1000),
    client_secret_expires_at: 0,
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
    ...(row.scopes ? { scope: row.scopes } : {}),
    [OWNER_METADATA]: row.owner,
    [TENANT_METADATA]: row.tenant,
  };
}

/**
 * Machine credentials live in their own table and reach oidc-provider through the Client
 * adapter's `find`, as client metadata whose `client_secret` is a random value made for this
 * process: stored nowhere, shown to nobody. Their secrets are checked against the stored digest
 * by `compareClientSecret` (see `verifyMachineCredentialSecrets`); should that override ever stop
 * applying, oidc-provider would compare against the unknowable placeholder and refuse every
 * machine credential — broken loudly, never open.
 */
export function machineCredentialClients(store: SqliteStore, clients: Adapter): Adapter {
  const placeholderSecret = randomBytes(32).toString("base64url");
  return {
    ...clients,
    async find(id): Promise<AdapterPayload | undefined> {
      const row = store.machineCredential(id);
      return row ? (clientMetadata(row, placeholderSecret) as AdapterPayload) : ((await clients.find(id)) ?? undefined);
    },
  };
}

/**
 * oidc-provider's seam for secrets it cannot compare itself (panva/node-oidc-provider#631: "an
 * exposed client prototype func", typed as `Client#compareClientSecret`): a machine credential's
 * secret is checked against its SHA-256 digest in constant time; every other client keeps
 * oidc-provider's own comparison.
 */
export function verifyMachineCredentialSecrets(provider: Provider, store: SqliteStore): void {
  const prototype = provider.Client.prototype;
  const compareStored = prototype.compareClientSecret;
  prototype.compareClientSecret = function compareClientSecret(this: InstanceType<Provider["Client"]>, actual: string) {
    const row = store.machineCredential(this.clientId);
    if (!row) return compareStored.call(this, actual);
    const expected = Buffer.from(row.secret_sha256);
    return expected.length === 32 && timingSafeEqual(expected, digest(actual));
  };
}

/** Deletes a machine credential; returns the deleted one, or undefined when there was none. */
export function deleteMachineCredential(store: SqliteStore, clientId: string): MachineCredentialRow | undefined {
  const row = store.machineCredential(clientId);
  if (!row || !store.deleteMachineCredential(clientId)) return undefined;
  return row;
}

/**
 * Moves machine credentials kept by an earlier version as oidc-provider clients (secret in clear)
 * into the credential table, keeping only the secret's digest. Runs once per start; cheap when
 * there is nothing to move.
 */
export function migrateStoredMachineCredentials(store: SqliteStore): number {
  const legacy = store.rawRows("Client").flatMap(({ id, payload }) => {
    const metadata = JSON.parse(payload) as Record<string, unknown>;
    const owner = ownerOf(metadata);
    return owner && typeof metadata.client_secret === "string" ? [{ id, metadata, owner }] : [];
  });
  if (!legacy.length) return 0;
  store.transaction(() => {
    for (const { id, metadata, owner } of legacy) {
      const issuedAt = typeof metadata.client_id_issued_at === "number" ? metadata.client_id_issued_at * 1000 : Date.now();
      store.insertMachineCredential({
        client_id: id,
        name: typeof metadata.client_name === "string" ? metadata.client_name : `Machine credential for ${owner}`,
        owner,
        tenant: tenantOf(metadata) ?? "",
        scopes: typeof metadata.scope === "string" && metadata.scope !== "" ? metadata.scope : null,
        secret_sha256: digest(metadata.client_secret as string),
        created_at: issuedAt,
        last_used_at: null,
      });
      store.deleteRow("Client", id);
    }
  });
  return legacy.length;
}

/** Records that a token was just issued for a machine credential (no-op for other clients). */
export function touchMachineCredential(store: SqliteStore, clientId: string): void {
  store.touchMachineCredential(clientId, Date.now());
}
