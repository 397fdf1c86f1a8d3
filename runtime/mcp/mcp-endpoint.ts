import type { Context } from "koa";
import type { Logger } from "pino";
import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { ParseError, TransportError } from "../errors.ts";
import { checkPostHeaders } from "../http/check-request-headers.ts";
import { readBody } from "../http/read-body.ts";
import { writeError } from "../http/write-error.ts";
import type { Dispatch } from "./dispatch.ts";
import { classify } from "./jsonrpc.ts";

const supportedVersions = new Set<string>(SUPPORTED_PROTOCOL_VERSIONS);

/** POST /mcp: one JSON-RPC message in, one JSON response out (or 202 for notifications). */
export function mcpPost(dispatch: Dispatch, maxBodyBytes: number, logger: Logger) {
  return async function mcpPost(ctx: Context): Promise<void> {
    checkPostHeaders(ctx.get("accept"), ctx.get("content-type"));
    const version = ctx.get("mcp-protocol-version");
    if (version && !supportedVersions.has(version)) {
      throw new TransportError(400, "ERR_PROTOCOL_VERSION", `Bad Request: Unsupported protocol version ${version} (supported versions: ${SUPPORTED_PROTOCOL_VERSIONS.join(", ")})`);
    }
    const raw = await readBody(ctx.req, maxBodyBytes);
    let value: unknown;
    try {
      value = JSON.parse(raw.toString("utf8"));
    } catch {
      throw new ParseError("Parse error: Invalid JSON");
    }
    const message = classify(value);
    if (message.kind !== "request") {
      ctx.status = 202;
      ctx.body = ""; // without a body Koa would write the status text
      return;
    }
    try {
      const body = await dispatch(message, { caller: ctx.state.caller, requestId: ctx.state.requestId, access: ctx.state.access, traceHeaders: traceHeaders(ctx) });
      ctx.type = "application/json";
      ctx.body = body;
    } catch (error) {
      writeError(ctx, error, message.id, logger);
    }
  };
}

const traceparent = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/;

/** W3C trace context to pass on to backends: only a well-formed traceparent (and its tracestate). */
function traceHeaders(ctx: Context): Record<string, string> | undefined {
  const parent = ctx.get("traceparent");
  if (!traceparent.test(parent)) return undefined;
  const state = ctx.get("tracestate");
  return state && state.length <= 512 ? { traceparent: parent, tracestate: state } : { traceparent: parent };
}
