import type { BackendRequest, Caller, GeneratedTool } from "../handler-api.ts";
import { describeArgumentErrors } from "./describe-argument-errors.ts";

export type PreparedCall =
  | { readonly ok: true; readonly request: BackendRequest }
  | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Validates a call's arguments with the tool's generated validator (which fills in defaults)
 * and builds its backend request with the generated handler: everything before sending, shared
 * by tools/call and the dry run of `toolgate validate`.
 */
export function prepareCall(tool: GeneratedTool, argumentNames: readonly string[], rawArguments: object | undefined, caller: Caller): PreparedCall {
  // The validator fills in defaults, so it works on a copy of what the client sent; the copy has
  // no prototype, so argument names like "constructor" are never mistaken for inherited members.
  const args: Record<string, unknown> = Object.assign(Object.create(null), rawArguments);
  if (!tool.validate(args)) return { ok: false, problems: describeArgumentErrors(tool.validate.errors ?? [], argumentNames) };
  return { ok: true, request: tool.handler.buildRequest(args as never, caller) };
}
