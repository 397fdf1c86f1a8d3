/**
 * Errors from bad input (requests, JSON-RPC messages, arguments). Each has a stable `code`,
 * the HTTP `status` it answers with, the JSON-RPC error code, and `expose`: whether its message
 * may reach the client. Anything else that escapes is an internal fault, logged and answered
 * with a generic message.
 */
export class GatewayError extends Error {
  readonly code: string = "ERR_GATEWAY";
  readonly status: number = 500;
  readonly rpcCode: number = -32603;
  readonly expose: boolean = true;
  /** Extra response headers (e.g. Allow). */
  readonly headers: Readonly<Record<string, string>> = {};
  /** Structured detail for the JSON-RPC error's `data`. */
  readonly data: unknown = undefined;
  override name = "GatewayError";
}

/** The body is not JSON (JSON-RPC -32700). */
export class ParseError extends GatewayError {
  override readonly code = "ERR_PARSE";
  override readonly status = 400;
  override readonly rpcCode = -32700;
}

/** JSON, but not a valid JSON-RPC request (-32600). */
export class InvalidRequestError extends GatewayError {
  override readonly code = "ERR_INVALID_REQUEST";
  override readonly status = 400;
  override readonly rpcCode = -32600;
}

/** The method does not exist (-32601); sent with HTTP 200 like any JSON-RPC response. */
export class MethodNotFoundError extends GatewayError {
  override readonly code = "ERR_METHOD_NOT_FOUND";
  override readonly status = 200;
  override readonly rpcCode = -32601;
}

/** Invalid method parameters, including an unknown tool (-32602). */
export class InvalidParamsError extends GatewayError {
  override readonly code = "ERR_INVALID_PARAMS";
  override readonly status = 200;
  override readonly rpcCode = -32602;
}

/** A transport-level refusal (headers, methods, sizes): JSON-RPC -32000 with an HTTP status. */
export class TransportError extends GatewayError {
  override readonly code: string;
  override readonly status: number;
  override readonly rpcCode = -32000;
  override readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = headers;
  }
}

/** Broken configuration found at start-up; the message names the setting. */
export class StartupError extends Error {
  override name = "StartupError";
}

/**
 * A limit refused the call: HTTP 429 with Retry-After, and the limit and reset time in `data`;
 * or 503 when the shared limit store is down and limits fail closed.
 */
export class RateLimitedError extends GatewayError {
  override readonly code = "ERR_RATE_LIMITED";
  override readonly status: number;
  override readonly rpcCode = -32000;
  override readonly headers: Readonly<Record<string, string>>;
  override readonly data: unknown;

  constructor(message: string, detail: { limit: string; scope: string; value: number; retryAfterSeconds: number; resetsAt: string; storeError?: true }) {
    super(message);
    this.status = detail.storeError ? 503 : 429;
    this.headers = { "retry-after": String(detail.storeError ? 5 : detail.retryAfterSeconds) };
    this.data = { limit: detail.limit, scope: detail.scope, value: detail.value, retry_after_seconds: detail.retryAfterSeconds, resets_at: detail.resetsAt };
  }
}
