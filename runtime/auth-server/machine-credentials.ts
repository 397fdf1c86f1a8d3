import { randomBytes } from "node:crypto";
import type Provider from "oidc-provider";
import type { ClientMetadata } from "oidc-provider";
import type { ResourceCatalog } from "./resources.ts";
import type { SqliteStore } from "./sqlite-store.ts";
import type { UserDirectory } from "./users.ts";

/** Client metadata naming the user a machine credential acts as. */
export const OWNER_METADATA = "toolgate_owner";
/** Client metadata naming that user's tenant when the credential was issued. */
export const TENANT_METADATA = "toolgate_tenant";
const MACHINE_PREFIX = "mc_";

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

/** A credential just issued. The secret is shown once: only the database keeps it. */
export interface MachineCredential {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly owner: string;
  readonly tenant: string;
  readonly scopes?: readonly string[];
}

interface MachineCredentialDeps {
  readonly provider: Provider;
  readonly store: SqliteStore;
  readonly users: UserDirectory;
  readonly resources: ResourceCatalog;
}

/**
 * Issues a confidential client for the client_credentials grant that acts as `owner`
 * (client_secret_basic or client_secret_post, which oidc-provider treats alike).
 */
export async function createMachineCredential(deps: MachineCredentialDeps, request: MachineCredentialRequest): Promise<MachineCredential> {
  const user = deps.users.get(request.owner);
  if (!user) throw new TypeError(`owner "${request.owner}" is not a known user`);
  const unknown = (request.scopes ?? []).filter((scope) => !deps.resources.isApiScope(scope));
  if (unknown.length) throw new TypeError(`scopes not offered by any resource: ${unknown.join(", ")}`);
  const clientId = `${MACHINE_PREFIX}${randomBytes(16).toString("base64url")}`;
  const clientSecret = randomBytes(32).toString("base64url");
  const metadata: ClientMetadata = {
    client_id: clientId,
    client_secret: clientSecret,
    client_name: request.name ?? `Machine credential for ${user.username}`,
    client_id_issued_at: Math.floor(Date.now() / 1000),
    client_secret_expires_at: 0,
    grant_types: ["client_credentials"],
    response_types: [],
    redirect_uris: [],
    token_endpoint_auth_method: "client_secret_basic",
    ...(request.scopes?.length ? { scope: [...new Set(request.scopes)].join(" ") } : {}),
    [OWNER_METADATA]: user.username,
    [TENANT_METADATA]: user.tenant,
  };
  await deps.provider.Client.validate(metadata);
  await deps.store.adapterFor("Client").upsert(clientId, metadata);
  return { clientId, clientSecret, owner: user.username, tenant: user.tenant, ...(request.scopes?.length ? { scopes: [...new Set(request.scopes)] } : {}) };
}

/** Deletes a machine credential; returns false when there was none with that id. */
export async function deleteMachineCredential(deps: MachineCredentialDeps, clientId: string): Promise<boolean> {
  if (!clientId.startsWith(MACHINE_PREFIX)) return false;
  const adapter = deps.store.adapterFor("Client");
  if (!(await adapter.find(clientId))) return false;
  await adapter.destroy(clientId);
  return true;
}
