import { InvalidAuditQueryError } from "./audit-errors.ts";

/** A position in the newest-first order: the last record of a page. */
export interface CursorPosition {
  readonly timeMs: number;
  /** Decimal, up to 19 digits (a PostgreSQL bigint). */
  readonly id: string;
}

const format = /^v1\.(-?\d{1,16})\.(\d{1,19})$/;

/** An opaque cursor for the page after `position`. It holds a position, not the filters: the query still applies every filter. */
export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(`v1.${position.timeMs}.${position.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): CursorPosition {
  const match = format.exec(Buffer.from(cursor, "base64url").toString("latin1"));
  const timeMs = Number(match?.[1]);
  if (!match || !Number.isSafeInteger(timeMs)) throw new InvalidAuditQueryError("cursor is not one this audit log returned");
  return { timeMs, id: match[2]!.replace(/^0+(?=\d)/, "") };
}
