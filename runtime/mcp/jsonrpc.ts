import { InvalidRequestError } from "../errors.ts";

export type RequestId = string | number;

/** A JSON-RPC message, classified. Responses from the client (to server requests) are accepted and ignored. */
export type Message =
  | { readonly kind: "request"; readonly id: RequestId; readonly method: string; readonly params: unknown }
  | { readonly kind: "notification"; readonly method: string; readonly params: unknown }
  | { readonly kind: "response" };

/** Checks the JSON-RPC 2.0 envelope; throws -32600 with the reason when it is not one. */
export function classify(value: unknown): Message {
  if (Array.isArray(value)) throw new InvalidRequestError("Invalid Request: batches are not supported (MCP 2025-06-18 and later send one message per request)");
  if (value === null || typeof value !== "object") throw new InvalidRequestError("Invalid Request: expected a JSON-RPC object");
  const message = value as Record<string, unknown>;
  if (message.jsonrpc !== "2.0") throw new InvalidRequestError('Invalid Request: "jsonrpc" must be "2.0"');
  const { id, method } = message;
  if (typeof method === "string") {
    if (id === undefined) return { kind: "notification", method, params: message.params };
    if (typeof id !== "string" && !(typeof id === "number" && Number.isInteger(id))) throw new InvalidRequestError('Invalid Request: "id" must be a string or an integer');
    if (message.params !== undefined && (message.params === null || typeof message.params !== "object" || Array.isArray(message.params))) {
      throw new InvalidRequestError('Invalid Request: "params" must be an object');
    }
    return { kind: "request", id, method, params: message.params };
  }
  if (method === undefined && id !== undefined && ("result" in message || "error" in message)) return { kind: "response" };
  throw new InvalidRequestError('Invalid Request: "method" must be a string');
}

/** A result response; `resultJson` is already-serialised JSON. */
export function resultResponse(id: RequestId, resultJson: string): string {
  return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${resultJson}}`;
}

export function errorResponse(id: RequestId | null, code: number, message: string, data?: unknown): string {
  return JSON.stringify({ jsonrpc: "2.0", id, error: data === undefined ? { code, message } : { code, message, data } });
}
