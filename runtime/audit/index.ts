/**
 * The audit trail: one record per tool call, appended by group commit to SQLite (default) or
 * PostgreSQL (`DATABASE_URL`), queried newest first by admins, purged after the retention.
 */
import type { Logger } from "pino";
import { BatchedAuditLog } from "./batched-audit-log.ts";
import { openPostgresAuditStore } from "./postgres-audit-log.ts";
import { openSqliteAuditStore } from "./sqlite-audit-log.ts";

export { AuditClosedError, AuditError, AuditStoreError, InvalidAuditQueryError } from "./audit-errors.ts";
export { auditOutcomes } from "./audit-row.ts";
export { redactDatabaseUrl } from "./postgres-audit-log.ts";

/** How a call ended. */
export type AuditOutcome = "ok" | "invalid_arguments" | "backend_error" | "backend_timeout" | "backend_unreachable" | "backend_bad_response" | "denied" | "unknown_tool" | "limited" | "internal_error";

/** One tool call, as the audit trail keeps it. */
export interface AuditRecord {
  /** ISO 8601, when the call started. */
  readonly time: string;
  readonly requestId: string;
  readonly tenant: string;
  readonly user: string;
  /** The OAuth app (client id). */
  readonly client: string;
  /** The name of the MCP endpoint the call came through (`main`, or a pack's, e.g. `gocsm`): one tool can be served by several. */
  readonly endpoint: string;
  readonly tool: string;
  /** The resources the call touched, declared per tool, e.g. `{ company_id: "cmp_1" }`. */
  readonly resourceIds: Readonly<Record<string, string>>;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly backendStatus: number | null;
  readonly latencyMs: number;
  /** Already redacted by the caller. */
  readonly arguments: unknown;
}

/** Filters (all combined with AND) and the page wanted. */
export interface AuditQuery {
  tenant?: string;
  user?: string;
  client?: string;
  endpoint?: string;
  tool?: string;
  outcome?: AuditOutcome;
  /** Inclusive: calls started at or after this ISO 8601 time. */
  from?: string;
  /** Exclusive: calls started before this ISO 8601 time. */
  to?: string;
  /** 1 to 500, default 50. */
  limit?: number;
  /** Opaque, the `nextCursor` of a previous page. */
  cursor?: string;
}

/** One page of records, newest first (by `time`, then `id`). */
export interface AuditPage {
  readonly records: readonly (AuditRecord & { readonly id: string })[];
  /** Null on the last page. */
  readonly nextCursor: string | null;
}

export interface AuditLog {
  /** Appends a record; resolves once its batch has committed (the gateway awaits this before answering the call): it survives a crash of the process; how it survives a power cut is the store's (docs/audit.md). */
  append(record: AuditRecord): Promise<void>;
  /** Newest first, filtered, paginated with a stable cursor (records written meanwhile never shift pages). */
  query(query: AuditQuery): Promise<AuditPage>;
  /** Deletes records older than the retention; returns how many. Also runs by itself periodically (daily) once created. */
  purge(now?: Date): Promise<number>;
  /** Stops accepting, finishes every pending append, closes. Appends after close reject. */
  close(): Promise<void>;
  readonly kind: "sqlite" | "postgres";
  /** Appends accepted but not yet durable (for the queue-depth metric). */
  readonly pending: number;
}

export interface AuditLogOptions {
  /** `postgres://…` or `postgresql://…`: the log is kept in PostgreSQL. */
  databaseUrl?: string;
  /** SQLite file when there is no `databaseUrl` (default `.toolgate/audit.sqlite`; `":memory:"` in tests). */
  sqlitePath?: string;
  /** Records older than this many days are purged (default 90). */
  retentionDays?: number;
  logger?: Logger;
  /** PostgreSQL schema holding the tables (default: the connection's search_path, usually `public`). */
  schema?: string;
  /** Most records written in one transaction (default 200). */
  batchSize?: number;
  /** Longest wait for more records before a batch that is not full is written (default 0: the end of the event-loop turn; batches still grow while the previous one is written). */
  flushDelayMs?: number;
  /** Between automatic purges (default one day; the first runs a minute after creation; 0: never). */
  purgeIntervalMs?: number;
  /** Arguments whose JSON is longer are stored as `{ "$truncated": true, "length": n }` (default 64 KiB). */
  maxArgumentsLength?: number;
}

const defaults = { sqlitePath: ".toolgate/audit.sqlite", retentionDays: 90, batchSize: 200, flushDelayMs: 0, purgeIntervalMs: 86_400_000, maxArgumentsLength: 65_536 };

/**
 * Opens the audit log (creating or migrating its table) and starts its daily purge. PostgreSQL
 * when `databaseUrl` is given, SQLite otherwise. Rejects when the store cannot be opened.
 */
export async function createAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const settings = resolveOptions(options);
  const store = settings.databaseUrl !== undefined
    ? await openPostgresAuditStore({ databaseUrl: settings.databaseUrl, schema: options.schema, logger: options.logger })
    : await openSqliteAuditStore({ path: settings.sqlitePath });
  options.logger?.info({ store: store.kind, where: store.description, retentionDays: settings.retentionDays }, "audit log opened");
  return new BatchedAuditLog(store, { ...settings, logger: options.logger });
}

function resolveOptions(options: AuditLogOptions) {
  const { databaseUrl } = options;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//i.test(databaseUrl)) throw new TypeError("audit log: databaseUrl must be a postgres:// or postgresql:// URL");
  const settings = { ...defaults, ...withoutUndefined(options), databaseUrl };
  positive("retentionDays", settings.retentionDays);
  positive("batchSize", settings.batchSize, true);
  positive("maxArgumentsLength", settings.maxArgumentsLength, true);
  nonNegative("flushDelayMs", settings.flushDelayMs);
  nonNegative("purgeIntervalMs", settings.purgeIntervalMs);
  return settings;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

function positive(name: string, value: number, integer = false): void {
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) throw new TypeError(`audit log: ${name} must be a positive ${integer ? "integer" : "number"}`);
}

function nonNegative(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`audit log: ${name} must be 0 or more`);
}
