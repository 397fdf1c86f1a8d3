import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidAuditQueryError, type AuditLog, type AuditQuery } from "../../../runtime/audit/index.ts";
import { auditRecord, readAll, storesUnderTest } from "./support.ts";

// Appended one by one in this order, so ids follow it. a2, a3 and b2 started at the same time,
// as did a5 and b3: the order within them is by id, newest first. get_company is served by two
// endpoints, as one tool can be.
const rows = [
  { requestId: "a1", time: "2026-03-01T10:00:00Z", tenant: "acme", user: "alice", client: "claude", endpoint: "main", tool: "get_company", outcome: "ok" },
  { requestId: "a2", time: "2026-03-01T11:00:00Z", tenant: "acme", user: "alice", client: "chatgpt", endpoint: "gocsm", tool: "list_ctas", outcome: "ok" },
  { requestId: "a3", time: "2026-03-01T11:00:00Z", tenant: "acme", user: "bob", client: "claude", endpoint: "main", tool: "create_cta", outcome: "denied" },
  { requestId: "a4", time: "2026-03-01T12:00:00Z", tenant: "acme", user: "bob", client: "claude", endpoint: "gocsm", tool: "get_company", outcome: "backend_error" },
  { requestId: "a5", time: "2026-03-02T00:00:00Z", tenant: "acme", user: "alice", client: "claude", endpoint: "main", tool: "get_company", outcome: "limited" },
  { requestId: "b1", time: "2026-03-01T10:30:00Z", tenant: "globex", user: "alice", client: "claude", endpoint: "main", tool: "get_company", outcome: "ok" },
  { requestId: "b2", time: "2026-03-01T11:00:00Z", tenant: "globex", user: "carol", client: "claude", endpoint: "gocsm", tool: "create_cta", outcome: "backend_error" },
  { requestId: "b3", time: "2026-03-02T00:00:00Z", tenant: "globex", user: "carol", client: "chatgpt", endpoint: "staircase", tool: "list_ctas", outcome: "ok" },
] as const;

const cases: { name: string; given: AuditQuery; want: string[] }[] = [
  { name: "no filter: everything, newest first", given: {}, want: ["b3", "a5", "a4", "b2", "a3", "a2", "b1", "a1"] },
  { name: "tenant", given: { tenant: "acme" }, want: ["a5", "a4", "a3", "a2", "a1"] },
  { name: "the other tenant", given: { tenant: "globex" }, want: ["b3", "b2", "b1"] },
  { name: "user across tenants", given: { user: "alice" }, want: ["a5", "a2", "b1", "a1"] },
  { name: "tenant and user", given: { tenant: "acme", user: "alice" }, want: ["a5", "a2", "a1"] },
  { name: "client", given: { client: "chatgpt" }, want: ["b3", "a2"] },
  { name: "tool", given: { tool: "get_company" }, want: ["a5", "a4", "b1", "a1"] },
  { name: "endpoint", given: { endpoint: "gocsm" }, want: ["a4", "b2", "a2"] },
  { name: "endpoint and tool: one tool through one of the endpoints serving it", given: { endpoint: "main", tool: "get_company" }, want: ["a5", "b1", "a1"] },
  { name: "tenant and endpoint", given: { tenant: "globex", endpoint: "staircase" }, want: ["b3"] },
  { name: "an endpoint no call came through", given: { endpoint: "gainsight-cs" }, want: [] },
  { name: "outcome", given: { outcome: "backend_error" }, want: ["a4", "b2"] },
  { name: "tenant and outcome ok", given: { tenant: "acme", outcome: "ok" }, want: ["a2", "a1"] },
  { name: "from is inclusive", given: { from: "2026-03-01T11:00:00Z" }, want: ["b3", "a5", "a4", "b2", "a3", "a2"] },
  { name: "to is exclusive", given: { to: "2026-03-01T11:00:00Z" }, want: ["b1", "a1"] },
  { name: "from and to", given: { from: "2026-03-01T11:00:00Z", to: "2026-03-01T12:00:00Z" }, want: ["b2", "a3", "a2"] },
  { name: "a time with an offset", given: { from: "2026-03-01T12:00:00+01:00", to: "2026-03-01T13:00:00+01:00" }, want: ["b2", "a3", "a2"] },
  { name: "every filter at once", given: { tenant: "acme", user: "bob", client: "claude", endpoint: "main", tool: "create_cta", outcome: "denied", from: "2026-03-01T00:00:00Z", to: "2026-03-02T00:00:00Z" }, want: ["a3"] },
  { name: "filters that exclude each other", given: { tenant: "globex", outcome: "denied" }, want: [] },
  { name: "an unknown tenant", given: { tenant: "initech" }, want: [] },
  { name: "an empty tenant is a filter, not no filter", given: { tenant: "" }, want: [] },
  { name: "limit", given: { limit: 3 }, want: ["b3", "a5", "a4"] },
];

for (const store of storesUnderTest()) {
  describe.skipIf(!store.available)(`query (${store.kind})`, () => {
    let log: AuditLog;

    beforeAll(async () => {
      log = await store.open();
      for (const row of rows) await log.append(auditRecord(row));
    });
    afterAll(() => store.cleanUp());

    it.each(cases)("$name", async ({ given, want }) => {
      const page = await log.query(given);
      expect(page.records.map((record) => record.requestId)).toEqual(want);
    });

    it("pages with a cursor, splitting records of the same time by id", async () => {
      const pages: string[][] = [];
      let cursor: string | null | undefined;
      do {
        const page = await log.query({ limit: 2, ...(cursor ? { cursor } : {}) });
        pages.push(page.records.map((record) => record.requestId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pages).toEqual([["b3", "a5"], ["a4", "b2"], ["a3", "a2"], ["b1", "a1"]]);
    });

    it("gives no next cursor when the page holds the last record", async () => {
      expect((await log.query({ tenant: "globex", limit: 3 })).nextCursor).toBeNull();
      expect((await log.query({ tenant: "globex", limit: 2 })).nextCursor).not.toBeNull();
    });

    it("never returns another tenant's rows, whatever the other filters and cursor", async () => {
      const globexCursor = (await log.query({ tenant: "globex", limit: 1 })).nextCursor!;
      const queries: AuditQuery[] = [{}, { user: "alice" }, { client: "claude" }, { endpoint: "gocsm" }, { tool: "create_cta" }, { outcome: "ok" }, { cursor: globexCursor }, { from: "2026-01-01T00:00:00Z", limit: 500 }];
      for (const query of queries) {
        const records = await readAll(log, { ...query, tenant: "acme" });
        expect(records.length).toBeGreaterThan(0);
        expect(records.every((record) => record.tenant === "acme")).toBe(true);
      }
    });
  });

  describe.skipIf(!store.available)(`query while records are written (${store.kind})`, () => {
    afterAll(() => store.cleanUp());

    it("keeps pages stable: records written meanwhile never repeat or skip an earlier one", async () => {
      const log = await store.open();
      for (let index = 0; index < 30; index++) {
        await log.append(auditRecord({ requestId: `old-${index}`, time: new Date(Date.UTC(2026, 2, 1, 0, index % 10)).toISOString() }));
      }
      const before = (await readAll(log)).map((record) => record.requestId);
      const seen: string[] = [];
      let cursor: string | null | undefined;
      let written = 0;
      do {
        const page = await log.query({ limit: 7, ...(cursor ? { cursor } : {}) });
        seen.push(...page.records.map((record) => record.requestId));
        cursor = page.nextCursor;
        // newer than everything, at a time already paged, and older than everything
        for (const minute of [59, 5, 0]) await log.append(auditRecord({ requestId: `new-${written++}`, time: new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString() }));
      } while (cursor);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => id.startsWith("old-"))).toEqual(before);
    });

    it("answers 50 records when no limit is given", async () => {
      const log = await store.open();
      await Promise.all(Array.from({ length: 55 }, () => log.append(auditRecord())));
      const page = await log.query({});
      expect(page.records).toHaveLength(50);
      expect((await log.query({ cursor: page.nextCursor! })).records).toHaveLength(5);
    });

    it.each([
      { given: { limit: 0 }, want: /limit must be a whole number from 1 to 500/ },
      { given: { limit: 501 }, want: /limit must be a whole number from 1 to 500/ },
      { given: { limit: 2.5 }, want: /limit/ },
      { given: { limit: "10" as never }, want: /limit/ },
      { given: { outcome: "fine" as never }, want: /outcome must be one of the audit outcomes/ },
      { given: { from: "yesterday" }, want: /from must be an ISO 8601 time/ },
      { given: { to: 1_767_225_600_000 as never }, want: /to must be an ISO 8601 time/ },
      { given: { tenant: 42 as never }, want: /tenant must be a string/ },
      { given: { endpoint: ["main"] as never }, want: /endpoint must be a string/ },
      { given: { cursor: "bm90IGEgY3Vyc29y" }, want: /cursor is not one this audit log returned/ },
    ])("refuses $given with a 400", async ({ given, want }) => {
      const log = await store.open();
      const refusal = log.query(given);
      await expect(refusal).rejects.toThrow(want);
      await expect(refusal).rejects.toMatchObject({ status: 400, code: "invalid_query", expose: true });
      await expect(refusal).rejects.toBeInstanceOf(InvalidAuditQueryError);
    });
  });
}
