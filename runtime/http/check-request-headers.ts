import { TransportError } from "../errors.ts";

export interface HeaderPolicy {
  readonly allowedHosts: ReadonlySet<string>;
  readonly allowedOrigins: ReadonlySet<string>;
}

/**
 * DNS-rebinding protection (MCP transports spec, security warning): the Host must be one this
 * server answers to, and a browser's Origin, when sent, must be allowed.
 */
export function checkHostAndOrigin(host: string | undefined, origin: string | undefined, policy: HeaderPolicy): void {
  if (!host || !policy.allowedHosts.has(host.toLowerCase())) {
    throw new TransportError(403, "ERR_HOST_NOT_ALLOWED", `Invalid Host header: ${host ?? "(none)"}`);
  }
  if (origin !== undefined && !policy.allowedOrigins.has(origin.toLowerCase())) {
    throw new TransportError(403, "ERR_ORIGIN_NOT_ALLOWED", `Invalid Origin header: ${origin}`);
  }
}

/** Streamable HTTP POST: the client must accept both JSON and SSE, and send JSON. */
export function checkPostHeaders(accept: string | undefined, contentType: string | undefined): void {
  const accepted = (accept ?? "").toLowerCase();
  const acceptsAll = accepted.includes("*/*");
  if (!acceptsAll && (!accepted.includes("application/json") || !accepted.includes("text/event-stream"))) {
    throw new TransportError(406, "ERR_NOT_ACCEPTABLE", "Not Acceptable: Client must accept both application/json and text/event-stream");
  }
  if (!(contentType ?? "").toLowerCase().startsWith("application/json")) {
    throw new TransportError(415, "ERR_UNSUPPORTED_MEDIA_TYPE", "Unsupported Media Type: Content-Type must be application/json");
  }
}
