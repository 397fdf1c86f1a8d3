import type { IncomingMessage } from "node:http";
import type { Challenges } from "./auth-errors.ts";

/** Larger tokens are refused before any parsing (real access tokens are a few KiB). */
export const maxTokenBytes = 8192;

const token68 = /^[A-Za-z0-9\-._~+/]+=*$/;

/**
 * The bearer token of a request, from its one Authorization header only (MCP authorization:
 * never from the query string). Undefined when there is none; a malformed carrier is a 400.
 */
export function readBearerToken(request: IncomingMessage, challenges: Challenges): string | undefined {
  // Node keeps only the first of repeated Authorization headers; the raw list shows them all.
  let count = 0;
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    if (request.rawHeaders[index]!.toLowerCase() === "authorization") count++;
  }
  if (count > 1) throw challenges.malformed("send exactly one Authorization header");
  const query = request.url?.indexOf("?") ?? -1;
  if (query !== -1 && /(^|&)access_token=/.test(request.url!.slice(query + 1))) {
    throw challenges.malformed("access tokens are accepted only in the Authorization header, never in the URL");
  }
  const header = request.headers.authorization;
  if (header === undefined || header === "") return undefined;
  const space = header.indexOf(" ");
  if (space === -1 || header.slice(0, space).toLowerCase() !== "bearer") throw challenges.malformed("the Authorization header must use the Bearer scheme");
  const token = header.slice(space + 1).trim();
  if (token.length > maxTokenBytes) throw challenges.malformed(`the token exceeds ${maxTokenBytes} bytes`);
  if (!token68.test(token)) throw challenges.malformed("the bearer token has characters a token cannot have");
  return token;
}
