import type { JWK } from "jose";
import type { Adapter, Configuration, JWK as ProviderJWK, KoaContextWithOIDC } from "oidc-provider";
import { errors } from "oidc-provider";
import type { Logger } from "pino";
import { clientMetadataDocumentConfiguration, type ClientMetadataDocumentOptions } from "./client-metadata-documents.ts";
import { OWNER_METADATA, TENANT_METADATA, ownerOf, tenantOf } from "./machine-credentials.ts";
import { PAGE_HEADERS, renderErrorPage } from "./pages.ts";
import { OIDC_SCOPES, scopesFor, type ResourceCatalog } from "./resources.ts";
import type { UserDirectory, UserEntry } from "./users.ts";

/** The authorization server's routes, at the issuer's root (the paths the GoCSM seed documents). */
export const ROUTES = {
  authorization: "/authorize",
  token: "/token",
  registration: "/register",
  revocation: "/revoke",
  jwks: "/jwks",
} as const;

const DAY = 24 * 60 * 60;

/** Everything the configuration needs, resolved once. */
export interface ConfigurationContext {
  /** The storage of each oidc-provider model. */
  readonly adapter: (model: string) => Adapter;
  readonly signingKeys: readonly JWK[];
  readonly users: UserDirectory;
  readonly resources: ResourceCatalog;
  readonly tenantClaim: string;
  readonly accessTokenTtlSeconds: number;
  readonly cookieKeys: readonly string[];
  readonly logger: Logger;
  readonly clientMetadataDocuments: ClientMetadataDocumentOptions;
}

/**
 * The oidc-provider configuration: OAuth 2.1 for MCP clients. Code flow with PKCE (S256) for
 * every client, open dynamic registration, client credentials for administrator-issued machine
 * credentials, revocation, and JWT access tokens (RFC 9068) bound to one resource (RFC 8707).
 * Every default helper that oidc-provider asks a deployment to replace is replaced here.
 */
export function buildConfiguration(context: ConfigurationContext): Configuration {
  const { users, resources, tenantClaim, accessTokenTtlSeconds } = context;
  const documents = clientMetadataDocumentConfiguration(context.clientMetadataDocuments);

  return {
    adapter: context.adapter,
    fetch: documents.fetch,
    fetchResponseBodyLimits: documents.fetchResponseBodyLimits,
    jwks: { keys: context.signingKeys.map((key) => ({ ...key }) as ProviderJWK) },
    cookies: {
      keys: [...context.cookieKeys],
      names: { session: "toolgate_as_session", interaction: "toolgate_as_interaction", resume: "toolgate_as_resume" },
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
    },
    routes: ROUTES,
    // API scopes are static scopes too, so clients may register them in `scope` (RFC 7591) and
    // discovery lists them; they are granted on the resource only (see interactions.ts).
    scopes: [...OIDC_SCOPES, ...resources.allScopes],
    responseTypes: ["code"],
    clientAuthMethods: ["none", "client_secret_basic", "client_secret_post"],
    clientDefaults: {
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "client_secret_basic",
      id_token_signed_response_alg: "RS256",
    },
    // OAuth 2.1: PKCE for every client, confidential ones too; oidc-provider only knows S256.
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      userinfo: { enabled: false },
      rpInitiatedLogout: { enabled: false },
      // Access tokens are plain bearer tokens: the gateway does not check DPoP proofs.
      dPoP: { enabled: false },
      introspection: { enabled: false },
      registration: { enabled: true, initialAccessToken: false, issueRegistrationAccessToken: false },
      revocation: {
        enabled: true,
        // RFC 7009 §2.1: a client may revoke only its own tokens; others are silently ignored.
        allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId,
      },
      clientCredentials: { enabled: true },
      clientIdMetadataDocument: documents.feature,
      resourceIndicators: {
        enabled: true,
        defaultResource: (ctx, _client, oneOf) => defaultResource(resources, ctx, oneOf),
        // The resource granted at /authorize is used at /token when the client does not repeat it.
        useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator, client) {
          const entry = resources.get(indicator);
          if (!entry) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return {
            scope: scopesFor(entry, client.scope, resources.privileged).join(" "),
            audience: entry.resource,
            accessTokenFormat: "jwt",
            accessTokenTTL: accessTokenTtlSeconds,
            jwt: { sign: { alg: "RS256" } },
          };
        },
      },
    },
    ttl: {
      AccessToken: accessTokenTtlSeconds,
      ClientCredentials: accessTokenTtlSeconds,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 60 * 60,
      Session: 14 * DAY,
      // Refresh tokens rotate on every use; each new one lives 30 days, within a grant of a year.
      RefreshToken: 30 * DAY,
      Grant: 365 * DAY,
    },
    // Code-flow clients get a refresh token without asking for offline_access: MCP clients do not.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed("refresh_token"),
    rotateRefreshToken: () => true,
    // Tokens outlive the browser session that granted them.
    expiresWithSession: () => false,
    async findAccount(_ctx, sub) {
      const user = users.get(sub);
      if (!user) return undefined;
      return { accountId: sub, claims: () => ({ sub }) };
    },
    async extraTokenClaims(ctx, token) {
      const user = await tokenUser(users, ctx, token);
      return user ? userClaims(user, tenantClaim) : undefined;
    },
    formats: {
      customizers: {
        // Machine credentials act as their owner (Staircase's personal credentials): sub is the
        // owner, not the client; a request without `scope` gets the credential's scopes.
        async jwt(ctx, token, parts) {
          if (token.kind !== "ClientCredentials") return;
          const client = ctx.oidc.client;
          const owner = client ? ownerOf(client) : undefined;
          if (owner) parts.payload.sub = owner;
          if (!token.scope && token.resourceServer) {
            const allowed = token.resourceServer.scope.split(" ").filter(Boolean);
            if (allowed.length) {
              token.scope = allowed.join(" ");
              parts.payload.scope = token.scope;
            }
          }
        },
      },
    },
    extraClientMetadata: {
      properties: [OWNER_METADATA, TENANT_METADATA],
      validator(ctx, key, _value, metadata) {
        if (key !== OWNER_METADATA) return;
        const owner = metadata[OWNER_METADATA];
        const grantTypes = metadata.grant_types ?? [];
        // ctx is set only for dynamic registration: anyone may register, so nobody may register
        // a client that acts as a user without that user signing in.
        if (ctx) {
          if (owner !== undefined || metadata[TENANT_METADATA] !== undefined) {
            throw new errors.InvalidClientMetadata(`${OWNER_METADATA} and ${TENANT_METADATA} cannot be registered dynamically`);
          }
          if (grantTypes.includes("client_credentials")) {
            throw new errors.InvalidClientMetadata("client_credentials is available to machine credentials issued by an administrator only");
          }
          return;
        }
        if (grantTypes.includes("client_credentials") && (typeof owner !== "string" || owner === "")) {
          throw new errors.InvalidClientMetadata(`a client_credentials client needs ${OWNER_METADATA}`);
        }
      },
    },
    clientBasedCORS(_ctx, origin, client) {
      // Browser-based public clients may call /token and /revoke from their own origin.
      if (client.clientAuthMethod !== "none") return false;
      return (client.redirectUris ?? []).some((uri) => URL.parse(uri)?.origin === origin);
    },
    interactions: {
      url: (_ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    async renderError(ctx, out) {
      ctx.set(PAGE_HEADERS);
      ctx.type = "html";
      ctx.body = renderErrorPage("Authorization failed", [out.error, out.error_description].filter(Boolean).join(": "));
    },
  };
}

/**
 * RFC 8707 without `resource`: the single configured resource when there is one. With several,
 * a client-credentials request gets the one resource that offers every scope the credential
 * holds (a credential made for one endpoint, as the Staircase seed's clients expect: they send
 * no `resource`), or the first (main) resource for a credential without scopes; otherwise a
 * request for API scopes (or for client credentials) must name its resource: invalid_target.
 */
function defaultResource(resources: ResourceCatalog, ctx: KoaContextWithOIDC, oneOf: readonly string[] | undefined): string | readonly string[] | undefined {
  if (oneOf) return oneOf.length === 1 ? oneOf[0] : oneOf;
  const single = resources.single;
  if (single) return single.resource;
  const params = (ctx.oidc.params ?? {}) as { scope?: unknown; grant_type?: unknown };
  const requested = typeof params.scope === "string" ? params.scope.split(" ") : [];
  if (params.grant_type === "client_credentials") {
    const held = (ctx.oidc.client?.scope ?? "").split(" ").filter((scope) => resources.isApiScope(scope));
    const wanted = requested.length ? requested : held;
    // A credential for every scope (none named) is for the first, main resource.
    if (wanted.length === 0) return resources.all[0]!.resource;
    const matching = resources.all.filter((entry) => wanted.every((scope) => entry.scopes.includes(scope)));
    if (matching.length === 1) return matching[0]!.resource;
    throw new errors.InvalidTarget("the resource parameter is required: this server issues tokens for more than one resource, and this credential's scopes do not name one");
  }
  if (requested.some((scope) => resources.isApiScope(scope))) {
    throw new errors.InvalidTarget("the resource parameter is required: this server issues tokens for more than one resource");
  }
  return undefined;
}

type IssuedToken = Parameters<NonNullable<Configuration["extraTokenClaims"]>>[1];

/** The user an access token speaks for: the signed-in user, or a machine credential's owner. */
async function tokenUser(users: UserDirectory, ctx: KoaContextWithOIDC, token: IssuedToken): Promise<UserEntry | undefined> {
  if (token.kind === "AccessToken") {
    return token.accountId ? users.get(token.accountId) : undefined;
  }
  const client = ctx.oidc.client ?? (token.clientId ? await ctx.oidc.provider.Client.find(token.clientId) : undefined);
  const owner = client ? ownerOf(client) : undefined;
  if (!owner) return undefined;
  const user = users.get(owner);
  // The owner left (or moved tenant) since the credential was issued: it no longer works.
  if (!user || (client && tenantOf(client) !== undefined && tenantOf(client) !== user.tenant)) {
    throw new errors.UnauthorizedClient("the owner of this credential can no longer sign in");
  }
  return user;
}

function userClaims(user: UserEntry, tenantClaim: string): Record<string, unknown> {
  return {
    [tenantClaim]: user.tenant,
    ...(user.email ? { email: user.email } : {}),
    ...(user.groups?.length ? { groups: [...user.groups] } : {}),
  };
}
