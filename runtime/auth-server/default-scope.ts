import type { Context, Middleware, Next } from "koa";
import type Provider from "oidc-provider";
import { ROUTES } from "./provider-configuration.ts";
import { scopesFor, type ResourceCatalog, type ResourceEntry } from "./resources.ts";

/**
 * RFC 6749 §3.3: an authorization request without `scope` is processed with a pre-defined
 * default. Here that is every scope of the requested resource (or of the single configured one)
 * that the client may ask for; the user still chooses on the consent page, write scopes unticked.
 * MCP clients that found no `scopes_supported` send no scope at all.
 */
export function defaultAuthorizationScope(provider: Provider, resources: ResourceCatalog): Middleware {
  return async function defaultAuthorizationScope(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== "GET" || ctx.path !== ROUTES.authorization) return next();
    const { scope, client_id: clientId, resource } = ctx.query;
    if (scope !== undefined || typeof clientId !== "string") return next();
    const requested = [resource ?? []].flat();
    const entries = requested.length
      ? requested.map((indicator) => resources.get(indicator)).filter((entry): entry is ResourceEntry => entry !== undefined)
      : [resources.single].filter((entry): entry is ResourceEntry => entry !== undefined);
    if (entries.length) {
      const client = await provider.Client.find(clientId);
      const scopes = [...new Set(entries.flatMap((entry) => scopesFor(entry, client?.scope, resources.privileged)))];
      if (scopes.length) ctx.query = { ...ctx.query, scope: scopes.join(" ") };
    }
    return next();
  };
}
