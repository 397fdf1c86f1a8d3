import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLogOptions } from "../../../runtime/audit/index.ts";
import { databaseUrl } from "../../support/services.ts";
import { dropSchemas, postgresAvailable, readAll, uniqueSchema } from "./support.ts";

const child = fileURLToPath(new URL("./fixtures/append-until-sigterm.ts", import.meta.url));

/** Runs the child until it has reported `reported` appends, sends SIGTERM, and returns what it printed. */
async function appendUntilSigterm(env: Record<string, string>, reported: number) {
  const process_ = spawn(process.execPath, [child], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let signalled = false;
  process_.stderr.on("data", (chunk: Buffer) => (stderr += String(chunk)));
  const exited = new Promise<number | null>((resolve) => process_.on("exit", (code) => resolve(code)));
  process_.stdout.on("data", (chunk: Buffer) => {
    stdout += String(chunk);
    if (!signalled && (stdout.match(/^ok /gm)?.length ?? 0) >= reported) {
      signalled = true;
      process_.kill("SIGTERM");
    }
  });
  const code = await exited;
  expect({ code, stderr: stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, "") }).toEqual({ code: 0, stderr: "" });
  expect(signalled).toBe(true);
  return {
    resolved: [...stdout.matchAll(/^ok (\d+)$/gm)].map((match) => `call-${match[1]}`),
    pendingAtSigterm: Number(/^pending (\d+)$/m.exec(stdout)?.[1]),
    closing: /^closed: .*$/m.exec(stdout)?.[0],
  };
}

const cases: { kind: string; available: boolean; setUp(): { env: Record<string, string>; options: AuditLogOptions; cleanUp(): Promise<void> } }[] = [
  {
    kind: "sqlite",
    available: true,
    setUp() {
      const directory = mkdtempSync(join(tmpdir(), "toolgate-audit-sigterm-"));
      const sqlitePath = join(directory, "audit.sqlite");
      return { env: { AUDIT_SQLITE_PATH: sqlitePath }, options: { sqlitePath }, cleanUp: async () => rmSync(directory, { recursive: true, force: true }) };
    },
  },
  {
    kind: "postgres",
    available: postgresAvailable,
    setUp() {
      const schema = uniqueSchema();
      return { env: { AUDIT_DATABASE_URL: databaseUrl, AUDIT_SCHEMA: schema }, options: { databaseUrl, schema }, cleanUp: () => dropSchemas([schema]) };
    },
  },
];

for (const store of cases) {
  describe.skipIf(!store.available)(`SIGTERM mid-load (${store.kind})`, () => {
    const cleanUps: (() => Promise<void>)[] = [];
    afterAll(async () => {
      for (const cleanUp of cleanUps) await cleanUp();
    });

    it("keeps every append the child saw resolve, once each, and nothing it did not report", async () => {
      const { env, options, cleanUp } = store.setUp();
      cleanUps.push(cleanUp);
      const child = await appendUntilSigterm(env, 3_000);
      expect(child.pendingAtSigterm).toBeGreaterThan(0);
      expect(child.closing).toBe(`closed: ${child.pendingAtSigterm} resolved during close; an append after close was rejected`);

      const log = await createAuditLog({ ...options, purgeIntervalMs: 0 });
      const stored = (await readAll(log)).map((record) => record.requestId);
      await log.close();
      expect(new Set(stored).size).toBe(stored.length);
      expect(new Set(child.resolved).size).toBe(child.resolved.length);
      expect([...stored].sort()).toEqual([...child.resolved].sort());
    });
  });
}
