import { afterAll, describe, expect, it } from "vitest";
import { AuditClosedError, createAuditLog } from "../../../runtime/audit/index.ts";
import { auditRecord, readAll, storesUnderTest } from "./support.ts";

for (const store of storesUnderTest()) {
  describe.skipIf(!store.available)(`append (${store.kind})`, () => {
    afterAll(() => store.cleanUp());

    it("stores every field and reads it back", async () => {
      const log = await store.open();
      const record = auditRecord({ time: "2026-03-01T13:00:00+01:00", endpoint: "gocsm", outcome: "backend_error", errorCode: "backend_502", backendStatus: 502, latencyMs: 1234.5, resourceIds: { company_id: "cmp_9", cta_id: "cta_3" }, arguments: { company_id: "cmp_9", note: "[redacted]", nested: { list: [1, "two", null] } } });
      await log.append(record);
      const { records, nextCursor } = await log.query({});
      expect(nextCursor).toBeNull();
      expect(records).toEqual([{ ...record, id: expect.stringMatching(/^\d+$/), time: "2026-03-01T12:00:00.000Z" }]);
      expect(log.kind).toBe(store.kind);
    });

    it("stores text that PostgreSQL would refuse (NUL, lone surrogates) with U+FFFD, identically in both stores", async () => {
      const log = await store.open();
      await log.append(auditRecord({ requestId: "r\u0000x", endpoint: "e\udc00p", arguments: { "k\u0000": "a\ud800b", ok: "😀" } }));
      const [stored] = (await log.query({})).records;
      expect(stored?.requestId).toBe("r\uFFFDx");
      expect(stored?.endpoint).toBe("e\uFFFDp");
      expect(stored?.arguments).toEqual({ "k\uFFFD": "a\uFFFDb", ok: "😀" });
    });

    it("stores over-long arguments as a truncation marker", async () => {
      const log = await store.open({ maxArgumentsLength: 100 });
      await log.append(auditRecord({ arguments: { text: "x".repeat(200) } }));
      expect((await log.query({})).records[0]?.arguments).toEqual({ $truncated: true, length: 211 });
    });

    it.each([
      { why: "a time that does not parse", given: { time: "yesterday" }, want: /time is not an ISO 8601 time/ },
      { why: "an unknown outcome", given: { outcome: "fine" as never }, want: /unknown outcome "fine"/ },
      { why: "arguments that are not JSON", given: { arguments: { size: 1n } }, want: /not JSON-serialisable/ },
    ])("rejects $why, and only that append", async ({ given, want }) => {
      const log = await store.open();
      const results = await Promise.allSettled([log.append(auditRecord({ requestId: "before" })), log.append(auditRecord(given)), log.append(auditRecord({ requestId: "after" }))]);
      expect(results.map((result) => result.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(TypeError);
      expect(String((results[1] as PromiseRejectedResult).reason)).toMatch(want);
      expect((await readAll(log)).map((record) => record.requestId).sort()).toEqual(["after", "before"]);
    });

    it("keeps exactly 10,000 rows from 10,000 concurrent appends, ids increasing", async () => {
      const log = await store.open();
      for (let chunk = 0; chunk < 10; chunk++) {
        await Promise.all(Array.from({ length: 1_000 }, (_, index) => log.append(auditRecord({ requestId: `req-${chunk * 1_000 + index}` }))));
      }
      expect(log.pending).toBe(0);
      const records = await readAll(log);
      expect(records).toHaveLength(10_000);
      expect(new Set(records.map((record) => record.requestId)).size).toBe(10_000);
      const ids = records.map((record) => BigInt(record.id));
      expect(ids.every((id, index) => index === 0 || id < ids[index - 1]!)).toBe(true);
    });

    it("close() writes every accepted append before it resolves; appends after it reject", async () => {
      const log = await store.open({ flushDelayMs: 1_000 });
      const appends = Array.from({ length: 1_500 }, (_, index) => log.append(auditRecord({ requestId: `r${index}` })));
      expect(log.pending).toBe(1_500);
      await log.close();
      await Promise.all(appends);
      await expect(log.append(auditRecord())).rejects.toBeInstanceOf(AuditClosedError);
      await expect(log.query({})).rejects.toBeInstanceOf(AuditClosedError);
      await expect(log.purge()).rejects.toBeInstanceOf(AuditClosedError);
      await log.close();
    });
  });
}

describe("createAuditLog", () => {
  it("opens an in-memory SQLite log", async () => {
    const log = await createAuditLog({ sqlitePath: ":memory:", purgeIntervalMs: 0 });
    await log.append(auditRecord({ requestId: "in-memory" }));
    expect((await log.query({})).records.map((record) => record.requestId)).toEqual(["in-memory"]);
    await log.close();
  });

  it("keeps the rows of a SQLite file across close and reopen", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const directory = mkdtempSync(join(tmpdir(), "toolgate-audit-reopen-"));
    const sqlitePath = join(directory, "nested", "audit.sqlite");
    try {
      const first = await createAuditLog({ sqlitePath, purgeIntervalMs: 0 });
      await first.append(auditRecord({ requestId: "one" }));
      await first.close();
      const second = await createAuditLog({ sqlitePath, purgeIntervalMs: 0 });
      await second.append(auditRecord({ requestId: "two" }));
      expect((await second.query({})).records.map((record) => [record.id, record.requestId])).toEqual([["2", "two"], ["1", "one"]]);
      await second.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it.each([
    { given: { databaseUrl: "mysql://db/audit" }, want: /postgres:\/\/ or postgresql:\/\// },
    { given: { sqlitePath: ":memory:", retentionDays: 0 }, want: /retentionDays must be a positive number/ },
    { given: { sqlitePath: ":memory:", batchSize: 1.5 }, want: /batchSize must be a positive integer/ },
    { given: { sqlitePath: ":memory:", flushDelayMs: -1 }, want: /flushDelayMs must be 0 or more/ },
    { given: { databaseUrl: "postgres://127.0.0.1:1/x", schema: "Bad-Name" }, want: /schema must be lower-case/ },
  ])("refuses bad options: $want", async ({ given, want }) => {
    await expect(createAuditLog(given)).rejects.toThrow(want);
    await expect(createAuditLog(given)).rejects.toBeInstanceOf(TypeError);
  });

  it("fails to open a SQLite file it cannot create, naming the store and the path", async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { tmpdir } = await import("node:os");
    const directory = mkdtempSync(join(tmpdir(), "toolgate-audit-unopenable-"));
    writeFileSync(join(directory, "a-file"), "");
    try {
      const sqlitePath = join(directory, "a-file", "audit.sqlite");
      await expect(createAuditLog({ sqlitePath })).rejects.toThrow(`audit log (sqlite): could not open ${sqlitePath}`);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
