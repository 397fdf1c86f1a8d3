import { LATEST_PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type InitializeResult } from "@modelcontextprotocol/sdk/types.js";
import { InvalidParamsError, MethodNotFoundError } from "../errors.ts";
import type { CallerTools } from "../policy/caller-tools.ts";
import type { CallContext } from "../tools/tool-call-pipeline.ts";
import { getPrompt } from "./get-prompt.ts";
import { resultResponse, type Message } from "./jsonrpc.ts";

export interface ServerIdentity {
  readonly name: string;
  readonly title: string | undefined;
  readonly version: string;
  readonly instructions: string | undefined;
  /** Whether the endpoint serves prompts (the prompts capability). */
  readonly prompts: boolean;
}

/** What a request brings to the dispatcher: its caller, its id, the caller's tools, trace context. */
export type DispatchContext = CallContext;

export type AllowedTools = Extract<CallerTools, { kind: "allowed" }>;

export interface DispatcherOptions {
  readonly identity: ServerIdentity;
  /** Runs one tools/call (access, limits, backend, audit); resolves with the serialised result. */
  readonly runToolCall: (name: string, rawArguments: unknown, context: DispatchContext) => Promise<string>;
}

export type Dispatch = (message: Message, context: DispatchContext) => Promise<string | undefined>;

/**
 * The MCP server's request handling, built once: a method table over precomputed answers.
 * Returns the serialised JSON-RPC response, or undefined for notifications and responses.
 * Stateless: nothing is remembered between requests, so any instance can answer any request.
 */
export function createDispatcher(options: DispatcherOptions): Dispatch {
  const { identity, runToolCall } = options;
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
    "prompts/list": (_params, context) => context.access.promptList,
    "prompts/get"(params, context) {
      const name = params?.name;
      if (typeof name !== "string") throw new InvalidParamsError('Invalid params: prompts/get needs a "name"');
      const prompt = context.access.prompts.get(name);
      if (!prompt) throw new InvalidParamsError(`Invalid params: unknown prompt ${name}`);
      return JSON.stringify(getPrompt(prompt, params?.arguments));
    },
    "tools/call"(params, context) {
      const name = params?.name;
      if (typeof name !== "string") throw new InvalidParamsError('Invalid params: tools/call needs a "name"');
      return runToolCall(name, params?.arguments, context);
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
    capabilities: { tools: { listChanged: false }, ...(identity.prompts ? { prompts: { listChanged: false } } : {}) },
    serverInfo: { name: identity.name, version: identity.version, ...(identity.title ? { title: identity.title } : {}) },
    ...(identity.instructions ? { instructions: identity.instructions } : {}),
  };
}
