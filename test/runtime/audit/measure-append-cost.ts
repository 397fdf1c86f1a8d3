// Measures what an audit append costs, per record, for SQLite and PostgreSQL at batch sizes 1 and
// 100, and the share of a core the audit takes at the gateway's rate (5,000 calls/s).
//   source /tmp/n24.sh; node test/runtime/audit/measure-append-cost.ts [records]
// "event loop" is the gateway's own thread (what calls compete with); "worker" is every other
// thread of the process (the SQLite audit worker, GC helpers); PostgreSQL (DATABASE_URL, default
// the local test server) runs on the same machine, so its server CPU (all `postgres` processes,
// from /proc) is reported too. Records are built before the clock starts.
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync, rmSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import pg from "pg";
import { createAuditLog, type AuditLog, type AuditLogOptions, type AuditRecord } from "../../../runtime/audit/index.ts";

const records = Number(process.argv[2] ?? 20_000);
const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schema = `toolgate_bench_${randomBytes(4).toString("hex")}`;
const directory = mkdtempSync(join(tmpdir(), "toolgate-audit-bench-"));
const clockTick = 100; // USER_HZ on Linux

function record(index: number): AuditRecord {
  return {
    time: new Date().toISOString(),
    requestId: `req-${index}-${randomBytes(6).toString("hex")}`,
    tenant: `tenant-${index % 7}`,
    user: `user-${index % 50}`,
    client: "claude-enterprise",
    endpoint: index % 4 === 0 ? "gocsm" : "main",
    tool: ["get_company", "list_ctas", "create_cta"][index % 3]!,
    resourceIds: { company_id: `cmp_${index % 1000}` },
    outcome: index % 20 === 0 ? "backend_error" : "ok",
    errorCode: index % 20 === 0 ? "backend_500" : null,
    backendStatus: index % 20 === 0 ? 500 : 200,
    latencyMs: 12.5,
    arguments: { company_id: `cmp_${index % 1000}`, fields: ["name", "arr", "health"], limit: 20 },
  };
}

function postgresServerCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // the process ended meanwhile
    }
  }
  return (ticks * 1000) / clockTick;
}

interface CpuSample {
  readonly thread: NodeJS.CpuUsage;
  readonly process: NodeJS.CpuUsage;
  readonly serverMs: number;
  readonly at: number;
}

function sampleCpu(): CpuSample {
  return { thread: process.threadCpuUsage(), process: process.cpuUsage(), serverMs: postgresServerCpuMs(), at: performance.now() };
}

/** Milliseconds of CPU since `start`: this thread, the process's other threads, the PostgreSQL server; and the wall time. */
function cpuSince(start: CpuSample) {
  const end = sampleCpu();
  const ms = (usage: NodeJS.CpuUsage) => (usage.user + usage.system) / 1000;
  const threadMs = ms(end.thread) - ms(start.thread);
  return { threadMs, otherThreadsMs: ms(end.process) - ms(start.process) - threadMs, serverMs: end.serverMs - start.serverMs, wallMs: end.at - start.at };
}

async function appendAll(log: Pick<AuditLog, "append">, batch: readonly AuditRecord[], concurrency: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < batch.length) await log.append(batch[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

const warmUp = Array.from({ length: 2_000 }, (_, index) => record(index));

async function flatOut(kind: string, options: AuditLogOptions, batchSize: number): Promise<void> {
  const log = await createAuditLog({ ...options, batchSize, purgeIntervalMs: 0 });
  await appendAll(log, warmUp, 200);
  const batch = Array.from({ length: records }, (_, index) => record(1_000_000 + index));
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const start = sampleCpu();
  await appendAll(log, batch, 200);
  const used = cpuSince(start);
  delay.disable();
  await log.close();
  const perRecord = (ms: number) => ((ms * 1000) / records).toFixed(1).padStart(6);
  console.log(
    `${kind.padEnd(8)} batch ${String(batchSize).padStart(3)}: ${Math.round((records / used.wallMs) * 1000).toString().padStart(6)} records/s; µs/record: event loop ${perRecord(used.threadMs)}, ` +
      (kind === "postgres" ? `server ${perRecord(used.serverMs)}` : `worker ${perRecord(used.otherThreadsMs)}`) +
      `; event loop delay max ${(delay.max / 1e6).toFixed(1)} ms`,
  );
}

/** Appends at a steady rate, as the gateway would; returns the CPU used and the deepest queue seen. */
async function paced(log: Pick<AuditLog, "append" | "pending">, perSecond: number, seconds: number) {
  const batch = Array.from({ length: perSecond * seconds }, (_, index) => record(2_000_000 + index));
  const appends: Promise<void>[] = [];
  let sent = 0;
  let deepest = 0;
  const start = sampleCpu();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(batch.length, Math.round(((performance.now() - start.at) / 1000) * perSecond));
      for (; sent < due; sent++) appends.push(log.append(batch[sent]!));
      deepest = Math.max(deepest, log.pending);
      if (sent < batch.length) return;
      clearInterval(timer);
      resolve();
    }, 1);
  });
  await Promise.all(appends);
  return { ...cpuSince(start), deepest };
}

async function atGatewayRate(kind: string, options: AuditLogOptions, perSecond: number, seconds: number): Promise<void> {
  // The pacing loop's own cost, measured with a log that does nothing, is taken off.
  const baseline = await paced({ append: async () => undefined, pending: 0 }, perSecond, seconds);
  const log = await createAuditLog({ ...options, purgeIntervalMs: 0 });
  await appendAll(log, warmUp, 200);
  const used = await paced(log, perSecond, seconds);
  await log.close();
  const share = (ms: number, wallMs: number) => `${((ms / wallMs) * 100).toFixed(1)}%`;
  console.log(
    `${kind.padEnd(8)} at ${perSecond}/s for ${seconds} s, default batching: share of a core: event loop ${share(used.threadMs, used.wallMs)} (pacing ${share(baseline.threadMs, baseline.wallMs)} taken off: ` +
      `${((used.threadMs / used.wallMs - baseline.threadMs / baseline.wallMs) * 100).toFixed(1)}%), ` +
      (kind === "postgres" ? `server ${share(used.serverMs, used.wallMs)}` : `worker ${share(used.otherThreadsMs, used.wallMs)}`) +
      `; queue depth max ${used.deepest}`,
  );
}

const stores: [string, AuditLogOptions][] = [
  ["sqlite", { sqlitePath: join(directory, "audit.sqlite") }],
  ["postgres", { databaseUrl, schema }],
];
try {
  for (const [kind, options] of stores) {
    for (const batchSize of [1, 100]) await flatOut(kind, options, batchSize);
    await atGatewayRate(kind, options, 5_000, 4);
  }
} finally {
  rmSync(directory, { recursive: true, force: true });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
