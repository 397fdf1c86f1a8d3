import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { AuditRow, StoredRow } from "./audit-row.ts";
import { whereClause, type ResolvedQuery, type SqlDialect } from "./query-filter.ts";

/** Versioned, applied in order, each once; never edit one that has shipped, add the next. */
const migrations: readonly { readonly version: number; readonly sql: string }[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE audit_records (
        -- AUTOINCREMENT: ids are never reused, even once the newest rows are purged.
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        started_at INTEGER NOT NULL, -- milliseconds since the epoch, UTC
        request_id TEXT NOT NULL,
        tenant TEXT NOT NULL,
        user_id TEXT NOT NULL,
        client_id TEXT NOT NULL,
        tool TEXT NOT NULL,
        resource_ids TEXT NOT NULL, -- JSON
        outcome TEXT NOT NULL,
        error_code TEXT,
        backend_status INTEGER,
        latency_ms REAL NOT NULL,
        arguments TEXT NOT NULL -- JSON
      );
      CREATE INDEX audit_records_time ON audit_records (started_at, id);
      CREATE INDEX audit_records_tenant_time ON audit_records (tenant, started_at, id);
      CREATE INDEX audit_records_tool_time ON audit_records (tool, started_at, id);
      CREATE INDEX audit_records_user_time ON audit_records (user_id, started_at, id);
      CREATE INDEX audit_records_client_time ON audit_records (client_id, started_at, id);
      CREATE INDEX audit_records_outcome_time ON audit_records (outcome, started_at, id);
    `,
  },
  {
    version: 2,
    // Rows written before it say nothing of their endpoint: they read as "main". The default also
    // serves an older instance still writing to the same file during an upgrade.
    sql: `
      ALTER TABLE audit_records ADD COLUMN endpoint TEXT NOT NULL DEFAULT 'main';
      CREATE INDEX audit_records_endpoint_time ON audit_records (endpoint, started_at, id);
    `,
  },
];

const columns = "id, started_at, request_id, tenant, user_id, client_id, endpoint, tool, resource_ids, outcome, error_code, backend_status, latency_ms, arguments";

const dialect: SqlDialect = { placeholder: () => "?", time: (ms) => ms, id: (id) => Number(id) };

interface SqliteRow {
  id: number;
  started_at: number;
  request_id: string;
  tenant: string;
  user_id: string;
  client_id: string;
  endpoint: string;
  tool: string;
  resource_ids: string;
  outcome: string;
  error_code: string | null;
  backend_status: number | null;
  latency_ms: number;
  arguments: string;
}

/** One value of a row as the worker receives it. */
export type SqliteValue = string | number | null;

/** Values per row in `insert`'s flat array, in the order of the INSERT's columns. */
export const valuesPerRow = 13;

/**
 * A batch as one flat array of column values, row after row: what crosses to the worker. Cloning
 * one array of strings and numbers costs less than JSON of keyed objects (whose JSON columns would
 * be escaped a second time) on both sides: measured 1.4 → 1.1 µs per record on the event loop and
 * 1.6 → 1.1 in the worker.
 */
export function toSqliteValues(rows: readonly AuditRow[]): SqliteValue[] {
  const values = new Array<SqliteValue>(rows.length * valuesPerRow);
  let at = 0;
  for (const row of rows) {
    values[at++] = row.timeMs;
    values[at++] = row.requestId;
    values[at++] = row.tenant;
    values[at++] = row.user;
    values[at++] = row.client;
    values[at++] = row.endpoint;
    values[at++] = row.tool;
    values[at++] = row.resourceIds;
    values[at++] = row.outcome;
    values[at++] = row.errorCode;
    values[at++] = row.backendStatus;
    values[at++] = row.latencyMs;
    values[at++] = row.arguments;
  }
  return values;
}

export interface SqliteDatabaseOptions {
  readonly path: string;
  /** How long a write waits for another connection's lock (default 1 s). */
  readonly busyTimeoutMs?: number | undefined;
}

/**
 * Opens (creating and migrating) the SQLite audit database: WAL, synchronous = NORMAL, prepared
 * statements. Synchronous; runs in the audit worker thread, never on the gateway's event loop.
 */
export function openSqliteDatabase(options: SqliteDatabaseOptions): SqliteAuditDatabase {
  let db: DatabaseSync | undefined;
  try {
    if (options.path !== ":memory:") mkdirSync(dirname(resolve(options.path)), { recursive: true });
    db = new DatabaseSync(options.path);
    // NORMAL in WAL mode: a commit survives a crash of the process, not a power cut (fsync at checkpoint only).
    db.exec(`PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 1_000)};`);
    migrate(db);
    return new SqliteAuditDatabase(db);
  } catch (error) {
    if (db?.isOpen) db.close();
    throw error;
  }
}

function migrate(db: DatabaseSync): void {
  db.exec("CREATE TABLE IF NOT EXISTS audit_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  db.exec("BEGIN IMMEDIATE");
  try {
    const applied = new Set(db.prepare("SELECT version FROM audit_schema_migrations").all().map((row) => Number(row.version)));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      db.exec(migration.sql);
      db.prepare("INSERT INTO audit_schema_migrations (version, applied_at) VALUES (?, ?)").run(migration.version, new Date().toISOString());
    }
    db.exec("COMMIT");
  } catch (error) {
    db.exec("ROLLBACK");
    throw error;
  }
}

export class SqliteAuditDatabase {
  readonly #db: DatabaseSync;
  readonly #insert: StatementSync;
  readonly #deleteBefore: StatementSync;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#insert = db.prepare(`INSERT INTO audit_records (${columns.slice("id, ".length)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.#deleteBefore = db.prepare("DELETE FROM audit_records WHERE id IN (SELECT id FROM audit_records WHERE started_at < ? ORDER BY started_at LIMIT ?)");
  }

  /** Inserts the rows of `toSqliteValues` in one transaction. */
  insert(values: readonly SqliteValue[]): void {
    if (values.length % valuesPerRow !== 0) throw new TypeError(`audit insert: ${values.length} values is not a whole number of rows`);
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      for (let at = 0; at < values.length; at += valuesPerRow) this.#insert.run(...values.slice(at, at + valuesPerRow));
      this.#db.exec("COMMIT");
    } catch (error) {
      if (this.#db.isTransaction) this.#db.exec("ROLLBACK");
      throw error;
    }
  }

  select(query: ResolvedQuery): StoredRow[] {
    const where = whereClause(query, dialect);
    const statement = this.#db.prepare(`SELECT ${columns} FROM audit_records ${where.sql} ORDER BY started_at DESC, id DESC LIMIT ?`);
    const rows = statement.all(...(where.params as (string | number)[]), query.limit) as unknown as SqliteRow[];
    return rows.map(toStoredRow);
  }

  deleteBefore(cutoffMs: number, chunk: number): number {
    return Number(this.#deleteBefore.run(cutoffMs, chunk).changes);
  }

  close(): void {
    if (this.#db.isOpen) this.#db.close();
  }
}

function toStoredRow(row: SqliteRow): StoredRow {
  return {
    id: String(row.id),
    timeIso: new Date(row.started_at).toISOString(),
    requestId: row.request_id,
    tenant: row.tenant,
    user: row.user_id,
    client: row.client_id,
    endpoint: row.endpoint,
    tool: row.tool,
    resourceIds: JSON.parse(row.resource_ids),
    outcome: row.outcome,
    errorCode: row.error_code,
    backendStatus: row.backend_status,
    latencyMs: row.latency_ms,
    arguments: JSON.parse(row.arguments),
  };
}
