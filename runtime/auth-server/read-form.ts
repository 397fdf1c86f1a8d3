import type { IncomingMessage } from "node:http";

/** An interaction form body could not be read. */
export class FormError extends Error {
  override name = "FormError";
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Reads an `application/x-www-form-urlencoded` body of at most `limit` bytes. */
export async function readForm(req: IncomingMessage, limit = 16 * 1024): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") throw new FormError(415, "expected a form submission");
  const declared = Number(req.headers["content-length"] ?? 0);
  if (declared > limit) throw new FormError(413, "form too large");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new FormError(413, "form too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}
