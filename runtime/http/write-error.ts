import type { Context } from "koa";
import type { Logger } from "pino";
import { GatewayError } from "../errors.ts";
import { errorResponse, type RequestId } from "../mcp/jsonrpc.ts";

/**
 * The one place an error becomes a response. Gateway errors answer with their status and
 * message; anything else is an internal fault: logged with its detail, answered generically.
 */
export function writeError(ctx: Context, error: unknown, id: RequestId | null, logger: Logger): void {
  ctx.type = "application/json";
  if (error instanceof GatewayError && error.expose) {
    ctx.status = error.status;
    for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
    ctx.body = errorResponse(id, error.rpcCode, error.message, error.data);
    return;
  }
  logger.error({ err: error, requestId: ctx.state.requestId }, "internal error");
  // Inside a request the JSON-RPC layer answers; before one, HTTP does.
  ctx.status = id === null ? 500 : 200;
  ctx.body = errorResponse(id, -32603, "Internal error");
}
