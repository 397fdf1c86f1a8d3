import type { Context } from 'koa';
import { ApiError, InvalidJsonError } from '../errors.ts';

const MAX_BODY_BYTES = 1_048_576;

/** Reads and parses a JSON request body; an empty body reads as `{}` so required fields are reported by name. */
export async function readJsonBody(ctx: Context): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'payload_too_large', `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  if (!ctx.is('application/json')) throw new InvalidJsonError('request body must be sent as application/json');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidJsonError('request body is not valid JSON');
  }
}
