import type { Context, Next } from "koa";
import type { CallerTools, CallerToolsCache } from "../policy/caller-tools.ts";
import type { Challenges } from "./auth-errors.ts";
import { readBearerToken } from "./read-bearer-token.ts";
import type { VerifiedToken } from "./verify-access-token.ts";

/** Every MCP request carries a valid bearer token; the caller comes from it and nowhere else. */
export function authenticate(verify: (token: string) => Promise<VerifiedToken>, challenges: Challenges) {
  return async function authenticate(ctx: Context, next: Next): Promise<void> {
    const token = readBearerToken(ctx.req, challenges);
    if (token === undefined) throw challenges.missing();
    ctx.state.caller = (await verify(token)).caller;
    await next();
  };
}

/** The caller's tool set (policy ∩ scopes), or 403 for a caller the policy refuses outright. */
export function authorize(callerTools: CallerToolsCache, challenges: Challenges) {
  return async function authorize(ctx: Context, next: Next): Promise<void> {
    const access: CallerTools = callerTools.for(ctx.state.caller);
    if (access.kind === "denied") throw challenges.forbidden(access.reason);
    ctx.state.access = access;
    await next();
  };
}
