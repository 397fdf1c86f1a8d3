import { mkdtempSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { AuditStoreError, createAuditLog, redactDatabaseUrl } from "../../../runtime/audit/index.ts";
import { databaseUrl } from "../../support/services.ts";
import { auditRecord, dropSchemas, postgresAvailable, readAll, uniqueSchema } from "./support.ts";
import { startTcpProxy } from "./tcp-proxy.ts";

const password = "s3cret-audit-pw";

/** A pino logger writing into a string. */
function capturedLogger() {
  let text = "";
  const logger = pino({ level: "debug" }, new Writable({ write: (chunk, _encoding, done) => ((text += String(chunk)), done()) }));
  return { logger, text: () => text };
}

describe("redactDatabaseUrl", () => {
  it.each([
    { given: `postgres://toolgate:${password}@db.internal:5432/audit`, want: "postgres://toolgate:***@db.internal:5432/audit" },
    { given: "postgres://toolgate@db.internal/audit", want: "postgres://toolgate@db.internal/audit" },
    { given: `postgresql://db/audit?sslmode=require&password=${password}`, want: "postgresql://db/audit?sslmode=require&password=***" },
    { given: "not a url", want: "(a database URL that does not parse)" },
  ])("$want", ({ given, want }) => {
    expect(redactDatabaseUrl(given)).toBe(want);
  });
});

describe.skipIf(!postgresAvailable)("PostgreSQL going away and coming back", () => {
  const schemas: string[] = [];
  afterAll(() => dropSchemas(schemas));

  it("rejects the appends of the batches it could not write, naming the store and not the password, and writes again once it is back", async () => {
    const target = new URL(databaseUrl);
    const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
    const url = new URL(databaseUrl);
    url.port = String(proxy.port);
    url.password = password; // trust authentication ignores it; it must still never show
    const schema = uniqueSchema();
    schemas.push(schema);
    const { logger, text } = capturedLogger();
    const log = await createAuditLog({ databaseUrl: url.toString(), schema, logger, purgeIntervalMs: 0 });
    try {
      await log.append(auditRecord({ requestId: "before" }));

      proxy.down();
      const during = await Promise.allSettled(Array.from({ length: 20 }, (_, index) => log.append(auditRecord({ requestId: `during-${index}` }))));
      expect(during.every((result) => result.status === "rejected")).toBe(true);
      const reason = (during[0] as PromiseRejectedResult).reason as AuditStoreError;
      expect(reason).toBeInstanceOf(AuditStoreError);
      expect(reason.store).toBe("postgres");
      expect(reason.message).toMatch(/^audit log \(postgres\): could not write \d+ record\(s\): /);
      expect(log.pending).toBe(0);

      proxy.up();
      await log.append(auditRecord({ requestId: "after" }));
      expect((await readAll(log)).map((record) => record.requestId)).toEqual(["after", "before"]);
    } finally {
      await log.close();
      await proxy.close();
    }
    expect(text()).toContain("audit records could not be written");
    expect(text()).toContain("audit log writes again");
    expect(text()).toContain(`${url.hostname}:${proxy.port}`);
    expect(text()).not.toContain(password);
  });

  it("fails to open when PostgreSQL cannot be reached, naming the server and not the password", async () => {
    const proxy = await startTcpProxy({ host: "127.0.0.1", port: 5432 });
    proxy.down();
    const { logger, text } = capturedLogger();
    const url = `postgres://toolgate:${password}@127.0.0.1:${proxy.port}/audit`;
    try {
      const opening = createAuditLog({ databaseUrl: url, schema: uniqueSchema(), logger });
      await expect(opening).rejects.toBeInstanceOf(AuditStoreError);
      await expect(opening).rejects.toThrow(`audit log (postgres): could not open postgres://toolgate:***@127.0.0.1:${proxy.port}/audit: `);
      await opening.catch((error: Error) => expect(`${error.message} ${error.stack}`).not.toContain(password));
    } finally {
      await proxy.close();
    }
    expect(text()).not.toContain(password);
  });
});

describe("SQLite locked by another connection", () => {
  it("rejects the batch that could not commit, and writes again once the lock is gone", async () => {
    const directory = mkdtempSync(join(tmpdir(), "toolgate-audit-locked-"));
    const sqlitePath = join(directory, "audit.sqlite");
    const log = await createAuditLog({ sqlitePath, purgeIntervalMs: 0 });
    const other = new DatabaseSync(sqlitePath);
    try {
      await log.append(auditRecord({ requestId: "before" }));
      other.exec("BEGIN IMMEDIATE");
      const failed = log.append(auditRecord({ requestId: "while-locked" }));
      await expect(failed).rejects.toBeInstanceOf(AuditStoreError);
      await expect(failed).rejects.toThrow(/^audit log \(sqlite\): could not write 1 record\(s\): database is locked/);
      other.exec("COMMIT");
      await log.append(auditRecord({ requestId: "after" }));
      expect((await readAll(log)).map((record) => record.requestId)).toEqual(["after", "before"]);
    } finally {
      other.close();
      await log.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
