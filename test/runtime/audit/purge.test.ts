import { afterAll, describe, expect, it } from "vitest";
import { auditRecord, readAll, storesUnderTest } from "./support.ts";

const now = new Date("2026-06-01T00:00:00.000Z");
const daysBefore = (days: number, extraMs = 0) => new Date(now.getTime() - days * 86_400_000 + extraMs).toISOString();

const cases = [
  { name: "the default, 90 days", retentionDays: undefined, kept: ["today", "89 days", "90 days exactly", "1 ms short of 90 days"], purged: ["90 days and 1 ms", "91 days", "a year"] },
  { name: "7 days", retentionDays: 7, kept: ["today"], purged: ["89 days", "90 days exactly", "1 ms short of 90 days", "90 days and 1 ms", "91 days", "a year"] },
];
const times: Record<string, string> = {
  today: now.toISOString(),
  "89 days": daysBefore(89),
  "1 ms short of 90 days": daysBefore(90, 1),
  "90 days exactly": daysBefore(90),
  "90 days and 1 ms": daysBefore(90, -1),
  "91 days": daysBefore(91),
  "a year": daysBefore(365),
};

for (const store of storesUnderTest()) {
  describe.skipIf(!store.available)(`purge (${store.kind})`, () => {
    afterAll(() => store.cleanUp());

    it.each(cases)("keeps what is younger than the retention: $name", async ({ retentionDays, kept, purged }) => {
      const log = await store.open(retentionDays === undefined ? {} : { retentionDays });
      for (const [requestId, time] of Object.entries(times)) await log.append(auditRecord({ requestId, time }));
      expect(await log.purge(now)).toBe(purged.length);
      expect((await readAll(log)).map((record) => record.requestId).sort()).toEqual([...kept].sort());
      expect(await log.purge(now)).toBe(0);
    });

    it("deletes in chunks until nothing old is left", async () => {
      const log = await store.open({ retentionDays: 1 });
      const old = daysBefore(2);
      for (let chunk = 0; chunk < 12; chunk++) await Promise.all(Array.from({ length: 1_000 }, () => log.append(auditRecord({ time: old }))));
      await log.append(auditRecord({ requestId: "young", time: now.toISOString() }));
      expect(await log.purge(now)).toBe(12_000);
      expect((await readAll(log)).map((record) => record.requestId)).toEqual(["young"]);
    });

    it("purges by itself on its interval", async () => {
      const log = await store.open({ retentionDays: 1, purgeIntervalMs: 50 });
      await log.append(auditRecord({ requestId: "old", time: new Date(Date.now() - 2 * 86_400_000).toISOString() }));
      await log.append(auditRecord({ requestId: "young", time: new Date().toISOString() }));
      await expect.poll(async () => (await readAll(log)).map((record) => record.requestId), { timeout: 5_000 }).toEqual(["young"]);
    });
  });
}
