import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../../runtime/audit/index.ts";
import { databaseUrl } from "../../support/services.ts";
import { auditRecord, dropSchemas, postgresAvailable, readAll, uniqueSchema } from "./support.ts";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");
const latestVersion = 2;

// The two records of the version-1 fixtures, as they must read once migrated.
const oldRecords = [
  { requestId: "old-2", time: "2026-03-01T11:00:00.000Z", tenant: "acme", user: "bob", client: "claude", endpoint: "main", tool: "create_cta", resourceIds: {}, outcome: "backend_error", errorCode: "backend_error", backendStatus: 502, latencyMs: 40, arguments: { name: "[personal]" } },
  { requestId: "old-1", time: "2026-03-01T10:00:00.000Z", tenant: "acme", user: "alice", client: "claude", endpoint: "main", tool: "get_company", resourceIds: { company_id: "cmp_1" }, outcome: "ok", errorCode: null, backendStatus: 200, latencyMs: 12.5, arguments: { company_id: "cmp_1" } },
];
const oldRecordsWithIds = oldRecords.map((record) => ({ ...record, id: expect.stringMatching(/^\d+$/) }));

/** A version-1 writer (an instance not yet upgraded), inserting the columns it knows. */
const versionOneInsert = "INSERT INTO audit_records (started_at, request_id, tenant, user_id, client_id, tool, resource_ids, outcome, error_code, backend_status, latency_ms, arguments) VALUES ";

/** After the migration: every record, the versions applied, the new column and index. */
async function expectMigrated(log: AuditLog, versions: () => Promise<number[]>, indexes: () => Promise<string[]>): Promise<void> {
  expect(await readAll(log)).toEqual(oldRecordsWithIds);
  await log.append(auditRecord({ requestId: "new", time: "2026-03-01T12:00:00Z", endpoint: "gocsm" }));
  expect((await readAll(log)).map((record) => [record.requestId, record.endpoint])).toEqual([["new", "gocsm"], ["old-2", "main"], ["old-1", "main"]]);
  expect((await log.query({ endpoint: "main" })).records.map((record) => record.requestId)).toEqual(["old-2", "old-1"]);
  expect((await log.query({ endpoint: "gocsm" })).records.map((record) => record.requestId)).toEqual(["new"]);
  expect(await versions()).toEqual([1, 2]);
  expect(await indexes()).toContain("audit_records_endpoint_time");
}

describe("SQLite: a file made with schema version 1", () => {
  const directory = mkdtempSync(join(tmpdir(), "toolgate-audit-migrate-"));
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const versionOneFile = (name: string) => {
    const path = join(directory, name);
    const db = new DatabaseSync(path);
    db.exec(fixture("sqlite-schema-v1.sql"));
    db.close();
    return path;
  };
  const inspect = <T>(path: string, read: (db: DatabaseSync) => T): T => {
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      return read(db);
    } finally {
      db.close();
    }
  };
  const versions = (path: string) => async () => inspect(path, (db) => db.prepare("SELECT version FROM audit_schema_migrations ORDER BY version").all().map((row) => Number(row.version)));
  const indexes = (path: string) => async () => inspect(path, (db) => db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'audit_records'").all().map((row) => String(row.name)));

  it("is migrated when opened: its records read as endpoint main, new ones keep theirs, and endpoint filters", async () => {
    const sqlitePath = versionOneFile("v1.sqlite");
    const log = await createAuditLog({ sqlitePath, purgeIntervalMs: 0 });
    try {
      await expectMigrated(log, versions(sqlitePath), indexes(sqlitePath));
    } finally {
      await log.close();
    }
  });

  it("filters by endpoint through its index, newest first without a sort", async () => {
    const sqlitePath = versionOneFile("plan.sqlite");
    await (await createAuditLog({ sqlitePath, purgeIntervalMs: 0 })).close();
    const plan = inspect(sqlitePath, (db) => db.prepare("EXPLAIN QUERY PLAN SELECT * FROM audit_records WHERE endpoint = ? ORDER BY started_at DESC, id DESC LIMIT 50").all("gocsm").map((row) => String(row.detail)));
    expect(plan).toEqual(["SEARCH audit_records USING INDEX audit_records_endpoint_time (endpoint=?)"]);
  });

  it("is migrated once: reopening applies nothing again and keeps every record", async () => {
    const sqlitePath = versionOneFile("reopen.sqlite");
    await (await createAuditLog({ sqlitePath, purgeIntervalMs: 0 })).close();
    const log = await createAuditLog({ sqlitePath, purgeIntervalMs: 0 });
    try {
      expect(await readAll(log)).toEqual(oldRecordsWithIds);
      expect(await versions(sqlitePath)()).toEqual([1, 2]);
    } finally {
      await log.close();
    }
  });

  it("still takes rows from a version-1 writer once migrated; they read as endpoint main", async () => {
    const sqlitePath = versionOneFile("old-writer.sqlite");
    await (await createAuditLog({ sqlitePath, purgeIntervalMs: 0 })).close();
    const db = new DatabaseSync(sqlitePath);
    db.exec(`${versionOneInsert} (1772366400000, 'old-writer', 'acme', 'carol', 'claude', 'get_company', '{}', 'ok', NULL, 200, 3, '{}')`);
    db.close();
    const log = await createAuditLog({ sqlitePath, purgeIntervalMs: 0 });
    try {
      expect((await log.query({ limit: 1 })).records[0]).toMatchObject({ requestId: "old-writer", endpoint: "main" });
    } finally {
      await log.close();
    }
  });

  it("a new file is created at the latest version", async () => {
    const sqlitePath = join(directory, "new.sqlite");
    await (await createAuditLog({ sqlitePath, purgeIntervalMs: 0 })).close();
    expect(await versions(sqlitePath)()).toEqual(Array.from({ length: latestVersion }, (_, index) => index + 1));
  });
});

describe.skipIf(!postgresAvailable)("PostgreSQL: a schema made with version 1", () => {
  const schemas: string[] = [];
  afterAll(() => dropSchemas(schemas));

  const query = async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<T[]> => {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      return (await client.query<T>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  /** A fresh schema holding the version-1 tables and records. */
  const versionOneSchema = async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    await query(`CREATE SCHEMA ${schema}; SET search_path TO ${schema}; ${fixture("postgres-schema-v1.sql")}`);
    return schema;
  };
  const versions = (schema: string) => async () => (await query<{ version: number }>(`SELECT version FROM ${schema}.audit_schema_migrations ORDER BY version`)).map((row) => row.version);
  const indexes = (schema: string) => async () => (await query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND tablename = 'audit_records'", [schema])).map((row) => row.indexname);

  it("is migrated to version 2 when opened: its records read as endpoint main, new ones keep theirs, and endpoint filters", async () => {
    const schema = await versionOneSchema();
    const log = await createAuditLog({ databaseUrl, schema, purgeIntervalMs: 0 });
    try {
      await expectMigrated(log, versions(schema), indexes(schema));
    } finally {
      await log.close();
    }
    const [column] = await query<{ is_nullable: string; column_default: string; data_type: string }>("SELECT is_nullable, column_default, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'audit_records' AND column_name = 'endpoint'", [schema]);
    expect(column).toEqual({ is_nullable: "NO", column_default: "'main'::text", data_type: "text" });
  });

  it("still takes rows from a version-1 writer once migrated; they read as endpoint main", async () => {
    const schema = await versionOneSchema();
    await (await createAuditLog({ databaseUrl, schema, purgeIntervalMs: 0 })).close();
    await query(`${versionOneInsert.replace("audit_records", `${schema}.audit_records`)} ('2026-03-01T12:00:00Z', 'old-writer', 'acme', 'carol', 'claude', 'get_company', '{}', 'ok', NULL, 200, 3, '{}')`);
    const log = await createAuditLog({ databaseUrl, schema, purgeIntervalMs: 0 });
    try {
      expect((await log.query({ limit: 1 })).records[0]).toMatchObject({ requestId: "old-writer", endpoint: "main" });
    } finally {
      await log.close();
    }
  });

  it("instances opening it together migrate it once", async () => {
    const schema = await versionOneSchema();
    const logs = await Promise.all(Array.from({ length: 3 }, () => createAuditLog({ databaseUrl, schema, purgeIntervalMs: 0 })));
    try {
      expect(await versions(schema)()).toEqual([1, 2]);
      for (const log of logs) expect(await readAll(log)).toEqual(oldRecordsWithIds);
    } finally {
      await Promise.all(logs.map((log) => log.close()));
    }
  });

  it("a new schema is created at the latest version", async () => {
    const schema = uniqueSchema();
    schemas.push(schema);
    await (await createAuditLog({ databaseUrl, schema, purgeIntervalMs: 0 })).close();
    expect(await versions(schema)()).toEqual(Array.from({ length: latestVersion }, (_, index) => index + 1));
  });
});
