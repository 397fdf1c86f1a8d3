import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { createAuditLog, type AuditLog, type AuditLogOptions, type AuditRecord } from "../../../runtime/audit/index.ts";
import { databaseUrl, serviceAvailable } from "../../support/services.ts";

export const postgresAvailable = await serviceAvailable("PostgreSQL", databaseUrl);

/** A record with every field set; `overrides` wins. */
export function auditRecord(overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    time: "2026-03-01T12:00:00.000Z",
    requestId: `req-${randomBytes(6).toString("hex")}`,
    tenant: "acme",
    user: "alice",
    client: "claude-enterprise",
    endpoint: "main",
    tool: "get_company",
    resourceIds: { company_id: "cmp_1" },
    outcome: "ok",
    errorCode: null,
    backendStatus: 200,
    latencyMs: 12.5,
    arguments: { company_id: "cmp_1" },
    ...overrides,
  };
}

/** A fresh schema name, so that parallel runs never share a table. */
export function uniqueSchema(): string {
  return `toolgate_test_${randomBytes(6).toString("hex")}`;
}

export async function dropSchemas(schemas: readonly string[]): Promise<void> {
  if (schemas.length === 0) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}

/** One store the tests run against: every `open` is a new, empty log; `cleanUp` closes them and drops what they made. */
export interface StoreUnderTest {
  readonly kind: "sqlite" | "postgres";
  readonly available: boolean;
  open(options?: Partial<AuditLogOptions>): Promise<AuditLog>;
  cleanUp(): Promise<void>;
}

export function storesUnderTest(): StoreUnderTest[] {
  return [sqliteUnderTest(), postgresUnderTest()];
}

function sqliteUnderTest(): StoreUnderTest {
  const logs: AuditLog[] = [];
  let directory: string | undefined;
  return {
    kind: "sqlite",
    available: true,
    async open(options = {}) {
      directory ??= mkdtempSync(join(tmpdir(), "toolgate-audit-test-"));
      const log = await createAuditLog({ sqlitePath: join(directory, `${randomBytes(4).toString("hex")}.sqlite`), purgeIntervalMs: 0, ...options });
      logs.push(log);
      return log;
    },
    async cleanUp() {
      await Promise.all(logs.map((log) => log.close()));
      if (directory) rmSync(directory, { recursive: true, force: true });
    },
  };
}

function postgresUnderTest(): StoreUnderTest {
  const logs: AuditLog[] = [];
  const schemas: string[] = [];
  return {
    kind: "postgres",
    available: postgresAvailable,
    async open(options = {}) {
      const schema = uniqueSchema();
      schemas.push(schema);
      const log = await createAuditLog({ databaseUrl, schema, purgeIntervalMs: 0, ...options });
      logs.push(log);
      return log;
    },
    async cleanUp() {
      await Promise.all(logs.map((log) => log.close()));
      await dropSchemas(schemas);
    },
  };
}

/** Every record of a log, newest first, page by page. */
export async function readAll(log: AuditLog, query: Parameters<AuditLog["query"]>[0] = {}) {
  const records = [];
  let cursor: string | undefined;
  do {
    const page = await log.query({ ...query, limit: 500, ...(cursor ? { cursor } : {}) });
    records.push(...page.records);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return records;
}
