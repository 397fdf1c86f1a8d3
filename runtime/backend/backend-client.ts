import { Agent, type Dispatcher } from "undici";
import type { BackendRequest, Caller } from "../handler-api.ts";

/** A backend as the runtime calls it: settings resolved at start-up, credentials already read. */
export interface BackendTarget {
  readonly name: string;
  /** Base URL split around `{tenant}`: the tenant is inserted between the parts, encoded. */
  readonly baseUrlParts: readonly string[];
  /** The gateway's own credential header for this backend, or undefined. Never the caller's token. */
  readonly credential: { readonly header: string; readonly value: string } | undefined;
  readonly timeoutMs: number;
  /** Whether options or TOOLGATE_BACKEND_<NAME>_URL replaced the spec's base URL (operation-level servers are then ignored too). */
  readonly baseUrlOverridden: boolean;
}

/** Per-call context sent along to the backend. */
export interface BackendCallContext {
  readonly requestId: string;
  /** W3C trace context (traceparent, tracestate) passed through from the caller, when valid. */
  readonly traceHeaders: Readonly<Record<string, string>> | undefined;
  /** Header naming the acting app and user on writes ("" or undefined: none). */
  readonly actorHeader: string | undefined;
}

export type BackendOutcome =
  | { readonly kind: "response"; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly kind: "timeout"; readonly timeoutMs: number }
  | { readonly kind: "too_large"; readonly limit: number }
  | { readonly kind: "unreachable"; readonly reason: string };

export interface BackendClientOptions {
  readonly maxConnections: number;
  /** Largest backend answer read into memory. */
  readonly maxResponseBytes: number;
}

/**
 * Sends generated backend requests through one undici Agent (a keep-alive pool per origin).
 * Failures come back as outcomes, not exceptions, because each becomes a tool result.
 */
export class BackendClient {
  readonly #agent: Agent;
  readonly #maxResponseBytes: number;

  constructor(options: BackendClientOptions) {
    this.#agent = new Agent({ connections: options.maxConnections, keepAliveTimeout: 30_000, pipelining: 1 });
    this.#maxResponseBytes = options.maxResponseBytes;
  }

  async send(target: BackendTarget, request: BackendRequest, caller: Caller, context: BackendCallContext): Promise<BackendOutcome> {
    const prepared = prepareBackendRequest(target, request, caller, context);
    let response: Dispatcher.ResponseData;
    try {
      response = await this.#agent.request({
        origin: prepared.origin,
        path: prepared.path,
        method: prepared.method as Dispatcher.HttpMethod,
        headers: prepared.headers,
        body: prepared.body ?? null,
        headersTimeout: target.timeoutMs,
        bodyTimeout: target.timeoutMs,
      });
    } catch (error) {
      return failure(error, target);
    }
    try {
      const body = await readLimited(response.body, this.#maxResponseBytes);
      if (body === undefined) return { kind: "too_large", limit: this.#maxResponseBytes };
      return { kind: "response", status: response.statusCode, contentType: String(response.headers["content-type"] ?? ""), body };
    } catch (error) {
      return failure(error, target);
    }
  }

  close(): Promise<void> {
    return this.#agent.close();
  }
}

/** The HTTP request `send` makes: where it goes, with which headers and body. */
export interface PreparedRequest {
  readonly method: string;
  /** The full URL: base URL (tenant filled in, or the operation's own server), path and query. */
  readonly url: string;
  /** `scheme://host[:port]` of `url`. */
  readonly origin: string;
  /** Path and query of `url` (what goes on the request line). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/**
 * The backend HTTP request for a generated request, without sending it: `send` uses it, and so
 * does the dry run of `toolgate validate`, so what a dry run shows is what a call sends.
 */
export function prepareBackendRequest(target: BackendTarget, request: BackendRequest, caller: Caller, context: BackendCallContext): PreparedRequest {
  // An operation with servers of its own (e.g. an upload host) names its base URL, unless the
  // deployment pointed this backend elsewhere: then everything goes where it says.
  const base = request.baseUrl !== undefined && !target.baseUrlOverridden ? request.baseUrl : baseUrl(target, caller);
  const url = base + request.path + (request.query ? `?${request.query}` : "");
  // request.path starts with "/", so the first "/" after "http://" or "https://" ends the origin.
  const pathStart = url.indexOf("/", 8);
  const headers: Record<string, string> = { accept: "application/json", "x-request-id": context.requestId, ...context.traceHeaders, ...request.headers };
  // Writes say who made them, so the backend can tell AI-made changes apart.
  if (context.actorHeader && request.method !== "GET" && request.method !== "HEAD") headers[context.actorHeader] = `client=${encodeURIComponent(caller.client)}; user=${encodeURIComponent(caller.user)}`;
  if (request.body !== undefined) headers["content-type"] = request.contentType ?? "application/json";
  if (target.credential) headers[target.credential.header] = target.credential.value;
  return { method: request.method, url, origin: url.slice(0, pathStart), path: url.slice(pathStart), headers, body: request.body };
}

function baseUrl(target: BackendTarget, caller: Caller): string {
  const parts = target.baseUrlParts;
  if (parts.length === 1) return parts[0]!;
  return parts.join(encodeURIComponent(caller.tenant));
}

async function readLimited(body: Dispatcher.ResponseData["body"], limit: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

function failure(error: unknown, target: BackendTarget): BackendOutcome {
  const code = (error as { code?: string }).code ?? "";
  if (code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT" || code === "UND_ERR_CONNECT_TIMEOUT") return { kind: "timeout", timeoutMs: target.timeoutMs };
  return { kind: "unreachable", reason: code || (error instanceof Error ? error.name : "error") };
}
