import type { Context, Next } from "koa";

const allowHeaders = "authorization, content-type, accept, mcp-protocol-version, mcp-session-id, last-event-id, traceparent, tracestate";
const exposeHeaders = "www-authenticate, mcp-session-id, mcp-protocol-version, retry-after, x-request-id";

/**
 * CORS for browser-based MCP clients, for allowed origins only (the same list that guards
 * against DNS rebinding): preflights get an answer, and responses say which headers a page may
 * read (WWW-Authenticate, to find the authorization server; Retry-After).
 */
export function corsForAllowedOrigins(allowedOrigins: ReadonlySet<string>) {
  return async function corsForAllowedOrigins(ctx: Context, next: Next): Promise<void> {
    const origin = ctx.get("origin");
    const allowed = origin !== "" && allowedOrigins.has(origin.toLowerCase());
    if (allowed) {
      ctx.vary("origin");
      ctx.set("access-control-allow-origin", origin);
      ctx.set("access-control-expose-headers", exposeHeaders);
    }
    if (ctx.method === "OPTIONS") {
      if (allowed) {
        ctx.set("access-control-allow-methods", "POST, GET, DELETE, OPTIONS");
        ctx.set("access-control-allow-headers", allowHeaders);
        ctx.set("access-control-max-age", "600");
      }
      ctx.status = allowed ? 204 : 403;
      return;
    }
    await next();
  };
}
