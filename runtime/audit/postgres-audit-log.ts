import type pg from "pg";
import type { Logger } from "pino";
import { AuditStoreError } from "./audit-errors.ts";
import type { AuditRow, StoredRow } from "./audit-row.ts";
import type { AuditStore } from "./audit-store.ts";
import { whereClause, type ResolvedQuery, type SqlDialect } from "./query-filter.ts";

/** Versioned, applied in order, each once; never edit one that has shipped, add the next. */
const migrations: readonly { readonly version: number; readonly sql: (table: string) => string }[] = [
  {
    version: 1,
    sql: (table) => `
      CREATE TABLE ${table} (
        id bigserial PRIMARY KEY,
        started_at timestamptz NOT NULL,
        request_id text NOT NULL,
        tenant text NOT NULL,
        user_id text NOT NULL,
        client_id text NOT NULL,
        tool text NOT NULL,
        resource_ids jsonb NOT NULL,
        outcome text NOT NULL,
        error_code text,
        backend_status integer,
        latency_ms double precision NOT NULL,
        arguments jsonb NOT NULL
      );
      CREATE INDEX audit_records_time ON ${table} (started_at, id);
      CREATE INDEX audit_records_tenant_time ON ${table} (tenant, started_at, id);
      CREATE INDEX audit_records_tool_time ON ${table} (tool, started_at, id);
      CREATE INDEX audit_records_user_time ON ${table} (user_id, started_at, id);
      CREATE INDEX audit_records_client_time ON ${table} (client_id, started_at, id);
      CREATE INDEX audit_records_outcome_time ON ${table} (outcome, started_at, id);
    `,
  },
  {
    version: 2,
    // Rows written before it say nothing of their endpoint: they read as "main". With a constant
    // default the column is added without rewriting the table (PostgreSQL 11+), and the default
    // also serves older instances still writing during a rolling upgrade. The ALTER's lock is
    // held until COMMIT, so on a large table the audit waits while the index is built.
    sql: (table) => `
      ALTER TABLE ${table} ADD COLUMN endpoint text NOT NULL DEFAULT 'main';
      CREATE INDEX audit_records_endpoint_time ON ${table} (endpoint, started_at, id);
    `,
  },
];

const columns = "id, started_at, request_id, tenant, user_id, client_id, endpoint, tool, resource_ids, outcome, error_code, backend_status, latency_ms, arguments";

const dialect: SqlDialect = { placeholder: (index) => `$${index}`, time: (ms) => new Date(ms).toISOString(), id: (id) => id };

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

interface PostgresRow {
  id: string;
  started_at: Date;
  request_id: string;
  tenant: string;
  user_id: string;
  client_id: string;
  endpoint: string;
  tool: string;
  resource_ids: unknown;
  outcome: string;
  error_code: string | null;
  backend_status: number | null;
  latency_ms: number;
  arguments: unknown;
}

export interface PostgresAuditStoreOptions {
  readonly databaseUrl: string;
  /** Lower-case letters, digits and `_`; created if absent. */
  readonly schema?: string | undefined;
  readonly logger?: Logger | undefined;
}

/** A database URL fit for a log line: the password, if any, replaced by `***`. */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== "") url.password = "***";
    for (const name of [...url.searchParams.keys()]) if (/pass|secret|key/i.test(name)) url.searchParams.set(name, "***");
    return url.toString();
  } catch {
    return "(a database URL that does not parse)";
  }
}

/** Connects to PostgreSQL and creates or migrates the audit table; rejects naming the server (never the password). */
export async function openPostgresAuditStore(options: PostgresAuditStoreOptions): Promise<AuditStore> {
  if (options.schema !== undefined && !identifier.test(options.schema)) throw new TypeError("audit log: schema must be lower-case letters, digits and _ (at most 63), starting with a letter or _");
  const where = redactDatabaseUrl(options.databaseUrl);
  // Imported here, not above: pg is only needed with DATABASE_URL, and loading it slows every start.
  const { Pool } = (await import("pg")).default;
  const pool = new Pool({ connectionString: options.databaseUrl, max: 4, connectionTimeoutMillis: 5_000, query_timeout: 15_000, idleTimeoutMillis: 30_000, application_name: "toolgate-audit" });
  // An idle connection that drops emits here; without a listener the process would crash.
  pool.on("error", (error) => options.logger?.warn({ store: "postgres", err: { message: error.message } }, "audit database connection lost"));
  try {
    await migrate(pool, options.schema);
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new AuditStoreError("postgres", `could not open ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return new PostgresAuditStore(pool, options.schema, where);
}

async function migrate(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    // Instances starting together: one migrates, the others wait and then find it done.
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`toolgate_audit:${schema ?? ""}`]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${qualified(schema, "audit_schema_migrations")} (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = new Set((await client.query<{ version: number }>(`SELECT version FROM ${qualified(schema, "audit_schema_migrations")}`)).rows.map((row) => row.version));
    for (const migration of migrations) {
      if (applied.has(migration.version)) continue;
      await client.query(migration.sql(qualified(schema, "audit_records")));
      await client.query(`INSERT INTO ${qualified(schema, "audit_schema_migrations")} (version) VALUES ($1)`, [migration.version]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function qualified(schema: string | undefined, table: string): string {
  return schema === undefined ? table : `"${schema}".${table}`;
}

class PostgresAuditStore implements AuditStore {
  readonly kind = "postgres";
  readonly description: string;
  readonly #pool: pg.Pool;
  readonly #table: string;
  readonly #insertName: string;
  readonly #insertText: string;

  constructor(pool: pg.Pool, schema: string | undefined, description: string) {
    this.#pool = pool;
    this.#table = qualified(schema, "audit_records");
    this.description = description;
    this.#insertName = `toolgate_audit_insert_${schema ?? ""}`;
    // One statement per batch whatever its size: column arrays, unnested into rows.
    this.#insertText = `INSERT INTO ${this.#table} (started_at, request_id, tenant, user_id, client_id, endpoint, tool, resource_ids, outcome, error_code, backend_status, latency_ms, arguments)
      SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[], $10::text[], $11::integer[], $12::double precision[], $13::jsonb[])`;
  }

  async insert(rows: readonly AuditRow[]): Promise<void> {
    await this.#pool.query({ name: this.#insertName, text: this.#insertText, values: columnArrays(rows) });
  }

  async select(query: ResolvedQuery): Promise<StoredRow[]> {
    const where = whereClause(query, dialect);
    const limit = dialect.placeholder(where.params.length + 1);
    const result = await this.#pool.query<PostgresRow>(`SELECT ${columns} FROM ${this.#table} ${where.sql} ORDER BY started_at DESC, id DESC LIMIT ${limit}`, [...where.params, query.limit]);
    return result.rows.map(toStoredRow);
  }

  async deleteBefore(cutoffMs: number, chunk: number): Promise<number> {
    const result = await this.#pool.query(`DELETE FROM ${this.#table} WHERE id IN (SELECT id FROM ${this.#table} WHERE started_at < $1 LIMIT $2)`, [new Date(cutoffMs).toISOString(), chunk]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function columnArrays(rows: readonly AuditRow[]): unknown[][] {
  const arrays: unknown[][] = Array.from({ length: 13 }, () => new Array<unknown>(rows.length));
  rows.forEach((row, index) => {
    const values = [new Date(row.timeMs).toISOString(), row.requestId, row.tenant, row.user, row.client, row.endpoint, row.tool, row.resourceIds, row.outcome, row.errorCode, row.backendStatus, row.latencyMs, row.arguments];
    values.forEach((value, column) => (arrays[column]![index] = value));
  });
  return arrays;
}

function toStoredRow(row: PostgresRow): StoredRow {
  return {
    id: row.id,
    timeIso: row.started_at.toISOString(),
    requestId: row.request_id,
    tenant: row.tenant,
    user: row.user_id,
    client: row.client_id,
    endpoint: row.endpoint,
    tool: row.tool,
    resourceIds: row.resource_ids,
    outcome: row.outcome,
    errorCode: row.error_code,
    backendStatus: row.backend_status,
    latencyMs: row.latency_ms,
    arguments: row.arguments,
  };
}
