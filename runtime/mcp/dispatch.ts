import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type InitializeResult } from "@modelcontextprotocol/sdk/types.js";
import type { BackendClient } from "../backend/backend-client.ts";
import { InvalidParamsError, MethodNotFoundError } from "../errors.ts";
import type { Caller } from "../handler-api.ts";
import { callTool, type CallOutcome, type RunnableTool } from "../tools/call-tool.ts";
import { resultResponse, type Message } from "./jsonrpc.ts";
import type { CallerTools } from "../policy/caller-tools.ts";

export interface ServerIdentity {
  readonly name: string;
  readonly title: string | undefined;
  readonly version: string;
  readonly instructions: string | undefined;
}

export interface DispatchContext {
  readonly caller: Caller;
  readonly requestId: string;
  /** The caller's tools: what tools/list shows and tools/call accepts. */
  readonly access: AllowedTools;
}

export type AllowedTools = Extract<CallerTools, { kind: "allowed" }>;

export interface DispatcherOptions {
  readonly identity: ServerIdentity;
  readonly tools: ReadonlyMap<string, RunnableTool>;
  readonly client: BackendClient;
  /** The step-up answer for a tool the caller's app allows but the token lacks scopes for. */
  readonly insufficientScope: (tool: string, needed: readonly string[], caller: Caller) => Error;
  /** Told about every tools/call once it has an outcome. */
  readonly onToolCall?: (tool: string, outcome: CallOutcome, context: DispatchContext, durationMs: number) => void;
}

export type Dispatch = (message: Message, context: DispatchContext) => Promise<string | undefined>;

/**
 * The MCP server's request handling, built once: a method table over precomputed answers.
 * Returns the serialised JSON-RPC response, or undefined for notifications and responses.
 * Stateless: nothing is remembered between requests, so any instance can answer any request.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { identity, tools, client, onToolCall, insufficientScope } = options;
  const initializeResults = new Map(
    SUPPORTED_PROTOCOL_VERSIONS.map((version) => [version, JSON.stringify(initializeResult(identity, version))]),
  );

  const methods: Record<string, (params: Record<string, unknown> | undefined, context: DispatchContext) => string | Promise<string>> = {
    initialize(params) {
      const requested = params?.protocolVersion;
      return initializeResults.get(typeof requested === "string" ? requested : "") ?? initializeResults.get(LATEST_PROTOCOL_VERSION)!;
    },
    ping: () => "{}",
    "tools/list": (params, context) => context.access.pages.page(params?.cursor),
    async "tools/call"(params, context) {
      const name = params?.name;
      if (typeof name !== "string") throw new InvalidParamsError('Invalid params: tools/call needs a "name"');
      // A tool outside the caller's set does not exist for them; one only a scope away is a step-up.
      const runnable = context.access.visible.has(name) ? tools.get(name) : undefined;
      if (!runnable) {
        const needed = context.access.stepUp.get(name);
        if (needed) throw insufficientScope(name, needed, context.caller);
        throw new InvalidParamsError(`Unknown tool: ${name}`);
      }
      const started = performance.now();
      const outcome = await callTool(runnable, params?.arguments, context.caller, client, context.requestId);
      onToolCall?.(name, outcome, context, performance.now() - started);
      return JSON.stringify(outcome.result);
    },
  };

  return async function dispatch(message, context) {
    if (message.kind !== "request") return undefined;
    const handler = Object.hasOwn(methods, message.method) ? methods[message.method] : undefined;
    if (!handler) throw new MethodNotFoundError(`Method not found: ${message.method}`);
    return resultResponse(message.id, await handler(message.params as Record<string, unknown> | undefined, context));
  };
}

function initializeResult(identity: ServerIdentity, protocolVersion: string): InitializeResult {
  return {
    protocolVersion,
    capabilities: { tools: { listChanged: false } },
    serverInfo: { name: identity.name, version: identity.version, ...(identity.title ? { title: identity.title } : {}) },
    ...(identity.instructions ? { instructions: identity.instructions } : {}),
  };
}
