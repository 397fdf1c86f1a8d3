import type { BackendRequest, Caller, GeneratedTool, OperationTool } from "../handler-api.ts";
import { describeArgumentErrors } from "./describe-argument-errors.ts";

export type ValidatedArguments =
  | { readonly ok: true; readonly args: Record<string, unknown> }
  | { readonly ok: false; readonly problems: readonly string[] };

export type PreparedCall =
  | { readonly ok: true; readonly request: BackendRequest }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Checks a call's arguments with the tool's generated validator, which fills in defaults. */
export function validateArguments(tool: GeneratedTool, argumentNames: readonly string[], rawArguments: object | undefined): ValidatedArguments {
  // The validator fills in defaults, so it works on a copy of what the client sent; the copy has
  // no prototype, so argument names like "constructor" are never mistaken for inherited members.
  const args: Record<string, unknown> = Object.assign(Object.create(null), rawArguments);
  if (!tool.validate(args)) return { ok: false, problems: describeArgumentErrors(tool.validate.errors ?? [], argumentNames) };
  return { ok: true, args };
}

/**
 * Validates a call's arguments and builds its backend request with the generated handler:
 * everything before sending, shared by tools/call and the dry run of `toolgate validate`.
 */
export function prepareCall(tool: OperationTool, argumentNames: readonly string[], rawArguments: object | undefined, caller: Caller): PreparedCall {
  const validated = validateArguments(tool, argumentNames, rawArguments);
  if (!validated.ok) return validated;
  return { ok: true, request: tool.handler.buildRequest(validated.args as never, caller) };
}
