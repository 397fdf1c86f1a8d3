import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { BackendCallContext, BackendClient, BackendOutcome, BackendTarget } from "../backend/backend-client.ts";
import type { Caller, CompositeTool, OperationTool } from "../handler-api.ts";
import { describeArgumentErrors } from "./describe-argument-errors.ts";
import { validateArguments } from "./prepare-call.ts";
import { shapeOutput } from "./shape-output.ts";

/** A tool ready to call: its generated parts plus its resolved backend (or, for a composite, the tools of its steps). */
export type RunnableTool = RunnableOperation | RunnableComposite;

export interface RunnableOperation {
  readonly tool: OperationTool;
  readonly target: BackendTarget;
  /** Argument names, for "allowed arguments" hints. */
  readonly argumentNames: readonly string[];
}

export interface RunnableComposite {
  readonly tool: CompositeTool;
  readonly target: undefined;
  readonly argumentNames: readonly string[];
  /** Each step's tool, by step id. */
  readonly steps: ReadonlyMap<string, RunnableOperation>;
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
  const { tool } = runnable;
  const name = tool.definition.name;
  if (rawArguments !== undefined && (rawArguments === null || typeof rawArguments !== "object" || Array.isArray(rawArguments))) {
    return failed("invalid_arguments", `Invalid arguments for tool ${name}: the arguments must be a JSON object.`);
  }
  const validated = validateArguments(tool, runnable.argumentNames, rawArguments);
  if (!validated.ok) {
    return failed("invalid_arguments", `Invalid arguments for tool ${name}:\n${validated.problems.map((problem) => `- ${problem}`).join("\n")}\nFix these and call the tool again.`);
  }
  if (runnable.target === undefined) return runComposite(runnable, validated.args, caller, client, context);
  const request = runnable.tool.handler.buildRequest(validated.args as never, caller);
  const outcome = await client.send(runnable.target, request, caller, context);
  return toResult(runnable, outcome);
}

/**
 * A composite tool: each step is a full tool call (validated, built, sent, shaped, checked) with
 * arguments mapped from the composite's and from earlier steps' results. Steps that read no other
 * step run together. A failed step fails the call, unless it is optional: then its field is null
 * and `errors` says why.
 */
async function runComposite(runnable: RunnableComposite, args: Record<string, unknown>, caller: Caller, client: BackendClient, context: BackendCallContext): Promise<CallOutcome> {
  const name = runnable.tool.definition.name;
  const results: Record<string, unknown> = Object.create(null);
  const errors: { step: string; tool: string; message: string }[] = [];
  const settled = new Map<string, Promise<CallOutcome | undefined>>();
  const run = async (step: CompositeTool["handler"]["steps"][number]): Promise<CallOutcome | undefined> => {
    for (const dependency of step.after) {
      const failure = await settled.get(dependency);
      if (failure) return failure;
    }
    const stepArguments: Record<string, unknown> = {};
    for (const [argument, value] of Object.entries(step.arguments)) {
      const resolved = "literal" in value ? value.literal : "argument" in value ? args[value.argument] : readPath(results[value.step], value.path);
      if (resolved !== undefined) stepArguments[argument] = resolved;
    }
    const outcome = await callTool(runnable.steps.get(step.id)!, stepArguments, caller, client, context);
    if (outcome.code === "ok") {
      results[step.id] = outcome.result.structuredContent ?? null;
      return undefined;
    }
    const message = outcome.result.content.map((block) => (block.type === "text" ? block.text : "")).join(" ");
    if (step.optional) {
      results[step.id] = null;
      errors.push({ step: step.id, tool: step.tool, message });
      return undefined;
    }
    return { ...outcome, result: { content: [{ type: "text", text: `${name} failed at step "${step.id}" (${step.tool}): ${message}` }], isError: true } };
  };
  for (const step of runnable.tool.handler.steps) {
    const running = run(step);
    // Awaited below; marked handled now so a step that throws after another failed cannot crash the process.
    running.catch(() => undefined);
    settled.set(step.id, running);
  }
  for (const step of runnable.tool.handler.steps) {
    const failure = await settled.get(step.id);
    if (failure) return failure;
  }
  const structuredContent: Record<string, unknown> = {};
  for (const step of runnable.tool.handler.steps) structuredContent[step.id] = results[step.id];
  structuredContent.errors = errors;
  const { validateOutput } = runnable.tool;
  if (validateOutput && !validateOutput(structuredContent)) {
    const problem = describeArgumentErrors(validateOutput.errors ?? [], [])[0] ?? "it does not match";
    return failed("backend_bad_response", `${name} failed: the combined result does not match its schema (${problem.replace("the arguments", "the answer")}). Report this to the gateway's administrators.`);
  }
  const text = runnable.tool.handler.renderText ? runnable.tool.handler.renderText(structuredContent) : JSON.stringify(structuredContent);
  return { result: { content: [{ type: "text", text }], structuredContent }, code: "ok", backendStatus: undefined };
}

function readPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function toResult(runnable: RunnableOperation, outcome: BackendOutcome): CallOutcome {
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
    // The backend's own reason says more than a generic hint (e.g. a 403 "account not tracked").
    const reason = reasonFrom(body);
    return { ...failed("backend_error", `${name} failed: the backend answered ${status} ${statusText(status)}${reason}.${reason && (status === 401 || status === 403) ? "" : hintFor(status)}`), backendStatus: status };
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
