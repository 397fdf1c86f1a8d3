import { randomUUID } from "node:crypto";
import type { Context, Next } from "koa";
import type { Logger } from "pino";
import { TransportError } from "../errors.ts";
import type { Caller } from "../handler-api.ts";
import type { CallerTools } from "../policy/caller-tools.ts";
import { checkHostAndOrigin, type HeaderPolicy } from "./check-request-headers.ts";
import { writeError } from "./write-error.ts";

/** Outermost: a request id for logs and backends, and every escaped error turned into a response. */
export function requestScope(logger: Logger) {
  return async function requestScope(ctx: Context, next: Next): Promise<void> {
    const inbound = ctx.get("x-request-id");
    ctx.state.requestId = /^[\w.:-]{1,128}$/.test(inbound) ? inbound : randomUUID();
    ctx.set("x-request-id", ctx.state.requestId);
    try {
      await next();
    } catch (error) {
      writeError(ctx, error, null, logger);
    }
  };
}

/** DNS-rebinding protection for the MCP endpoint. */
export function guardHostAndOrigin(policy: HeaderPolicy) {
  return async function guardHostAndOrigin(ctx: Context, next: Next): Promise<void> {
    checkHostAndOrigin(ctx.get("host") || undefined, ctx.get("origin") || undefined, policy);
    await next();
  };
}

/**
 * DEVELOPMENT MODE ONLY: every request acts as one fixed caller, with no authentication.
 * The gateway refuses to start this way on a non-loopback address.
 */
export function developmentCaller(caller: Caller, access: CallerTools) {
  return async function developmentCaller(ctx: Context, next: Next): Promise<void> {
    ctx.state.caller = caller;
    ctx.state.access = access;
    await next();
  };
}

/** Stateless Streamable HTTP offers no SSE stream (GET) and no sessions to end (DELETE). */
export async function methodNotAllowed(): Promise<never> {
  throw new TransportError(405, "ERR_METHOD_NOT_ALLOWED", "Method Not Allowed: this stateless MCP endpoint accepts POST only", { allow: "POST" });
}
