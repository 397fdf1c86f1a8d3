/**
 * A version given to `toolgate diff` cannot be read: neither a directory nor a git ref, no
 * `generated/` in it, or a file there that is not what `toolgate generate` writes.
 */
export class DiffSourceError extends Error {
  readonly code = "ERR_DIFF_SOURCE";

  constructor(message: string) {
    super(message);
    this.name = "DiffSourceError";
  }
}
