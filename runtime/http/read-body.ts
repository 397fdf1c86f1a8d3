import type { IncomingMessage } from "node:http";
import { TransportError } from "../errors.ts";

/**
 * Reads a request body up to `limit` bytes. A declared or actual size over the limit is
 * refused with 413 before more is read.
 */
export async function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      request.resume();
      throw tooLarge(limit);
    }
    chunks.push(chunk as Buffer);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

function tooLarge(limit: number): TransportError {
  return new TransportError(413, "ERR_BODY_TOO_LARGE", `Payload Too Large: request body exceeds ${limit} bytes`);
}
