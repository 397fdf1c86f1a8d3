import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { BackendCallContext, BackendClient, BackendOutcome, BackendTarget } from "../backend/backend-client.ts";
import type { Caller, GeneratedTool } from "../handler-api.ts";
import { describeArgumentErrors } from "./describe-argument-errors.ts";
import { prepareCall } from "./prepare-call.ts";
import { shapeOutput } from "./shape-output.ts";

/** A tool ready to call: its generated parts plus its resolved backend. */
export interface RunnableTool {
  readonly tool: GeneratedTool;
  readonly target: BackendTarget;
  /** Argument names, for "allowed arguments" hints. */
  readonly argumentNames: readonly string[];
}

/** What happened, for logs and (later) the audit trail. */
export interface CallOutcome {
  readonly result: CallToolResult;
  readonly code: "ok" | "invalid_arguments" | "backend_error" | "backend_timeout" | "backend_unreachable" | "backend_bad_response";
  readonly backendStatus: number | undefined;
}

/**
 * Runs one tools/call: validate → build request → call backend → shape. Every failure a model
 * can do something about comes back as an `isError` result, never as a protocol error.
 */
export async function callTool(runnable: RunnableTool, rawArguments: unknown, caller: Caller, client: BackendClient, context: BackendCallContext): Promise<CallOutcome> {
  const { tool, target } = runnable;
  const name = tool.definition.name;
  if (rawArguments !== undefined && (rawArguments === null || typeof rawArguments !== "object" || Array.isArray(rawArguments))) {
    return failed("invalid_arguments", `Invalid arguments for tool ${name}: the arguments must be a JSON object.`);
  }
  const prepared = prepareCall(tool, runnable.argumentNames, rawArguments, caller);
  if (!prepared.ok) {
    return failed("invalid_arguments", `Invalid arguments for tool ${name}:\n${prepared.problems.map((problem) => `- ${problem}`).join("\n")}\nFix these and call the tool again.`);
  }
  const outcome = await client.send(target, prepared.request, caller, context);
  return toResult(runnable, outcome);
}

function toResult(runnable: RunnableTool, outcome: BackendOutcome): CallOutcome {
  const name = runnable.tool.definition.name;
  switch (outcome.kind) {
    case "timeout":
      return failed("backend_timeout", `The ${runnable.target.name} backend did not answer within ${outcome.timeoutMs} ms, so ${name} did not complete. Try again later, or ask for less data.`);
    case "unreachable":
      return failed("backend_unreachable", `The ${runnable.target.name} backend could not be reached (${outcome.reason}), so ${name} did not run. Try again later.`);
    case "too_large":
      return failed("backend_bad_response", `The ${runnable.target.name} backend's answer exceeded ${outcome.limit} bytes. Ask for less data (for example a smaller limit).`);
    case "response":
      break;
  }
  const { status, body } = outcome;
  if (status >= 400) {
    return { ...failed("backend_error", `${name} failed: the backend answered ${status} ${statusText(status)}${reasonFrom(body)}.${hintFor(status)}`), backendStatus: status };
  }
  const { handler } = runnable.tool;
  if (!handler.output.json) {
    return { result: { content: [{ type: "text", text: `${name} succeeded (HTTP ${status}).` }] }, code: "ok", backendStatus: status };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { ...failed("backend_bad_response", `${name} failed: the backend answered ${status} with a body that is not JSON.`), backendStatus: status };
  }
  const structuredContent = shapeOutput(handler.output, parsed);
  const { validateOutput } = runnable.tool;
  if (validateOutput && !validateOutput(structuredContent)) {
    // MCP requires structured content to match the advertised outputSchema; clients reject it otherwise.
    const problem = describeArgumentErrors(validateOutput.errors ?? [], [])[0] ?? "it does not match";
    return { ...failed("backend_bad_response", `${name} failed: the backend's answer does not match its documented schema (${problem.replace("the arguments", "the answer")}). This is a backend fault; report it.`), backendStatus: status };
  }
  const text = handler.renderText ? handler.renderText(structuredContent) : JSON.stringify(structuredContent);
  return { result: { content: [{ type: "text", text }], structuredContent }, code: "ok", backendStatus: status };
}

function failed(code: CallOutcome["code"], text: string): CallOutcome {
  return { result: { content: [{ type: "text", text }], isError: true }, code, backendStatus: undefined };
}

/** The backend's own reason, when it gives one in a common error shape; short, never the whole body. */
function reasonFrom(body: string): string {
  let message: unknown;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    const error = parsed.error;
    message = (typeof error === "object" && error !== null ? (error as Record<string, unknown>).message : error) ?? parsed.message ?? parsed.detail ?? parsed.title;
  } catch {
    return "";
  }
  if (typeof message !== "string" || message.length === 0) return "";
  return `: ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`;
}

function hintFor(status: number): string {
  if (status === 404) return " Check the id; list or search tools can find valid ones.";
  if (status === 400 || status === 422) return " Correct the arguments and call the tool again.";
  if (status === 401 || status === 403) return " The gateway is not allowed to do this on the backend.";
  if (status === 409) return " The record changed or already exists; read it again before retrying.";
  if (status === 429) return " The backend is rate limiting; wait before retrying.";
  if (status >= 500) return " This is a backend fault; try again later.";
  return "";
}

const statusTexts: Record<number, string> = {
  400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 409: "Conflict",
  410: "Gone", 413: "Payload Too Large", 422: "Unprocessable Entity", 429: "Too Many Requests", 500: "Internal Server Error",
  501: "Not Implemented", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
};

function statusText(status: number): string {
  return statusTexts[status] ?? "";
}
