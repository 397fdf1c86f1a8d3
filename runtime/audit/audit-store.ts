import type { AuditRow, StoredRow } from "./audit-row.ts";
import type { ResolvedQuery } from "./query-filter.ts";

/** What a database does for the audit log; batching, validation and scheduling live in `BatchedAuditLog`. */
export interface AuditStore {
  readonly kind: "sqlite" | "postgres";
  /** Where, for the start-up log line (never with credentials). */
  readonly description: string;
  /** Inserts every row in one transaction, or none. */
  insert(rows: readonly AuditRow[]): Promise<void>;
  /** Up to `query.limit` rows (the caller asks for one more to know whether a page follows), newest first. */
  select(query: ResolvedQuery): Promise<StoredRow[]>;
  /** Deletes at most `chunk` of the rows that started before `cutoffMs`; returns how many. */
  deleteBefore(cutoffMs: number, chunk: number): Promise<number>;
  close(): Promise<void>;
}
