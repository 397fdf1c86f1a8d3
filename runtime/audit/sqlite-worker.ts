// The audit worker thread: owns the SQLite connection, so that writes, WAL checkpoints (which
// fsync) and slow admin queries never block the gateway's event loop. Answers one message at a
// time, in order; see sqlite-audit-log.ts for the other side.
import { parentPort, workerData } from "node:worker_threads";
import { openSqliteDatabase, type SqliteAuditDatabase, type SqliteDatabaseOptions } from "./sqlite-database.ts";
import type { SqliteReply, SqliteRequest } from "./sqlite-audit-log.ts";

const port = parentPort!;
let database: SqliteAuditDatabase;
try {
  database = openSqliteDatabase(workerData as SqliteDatabaseOptions);
  port.postMessage({ id: 0, ok: true, value: null } satisfies SqliteReply);
} catch (error) {
  port.postMessage({ id: 0, ok: false, error: describe(error) } satisfies SqliteReply);
  process.exit(1);
}

port.on("message", (request: SqliteRequest) => {
  try {
    port.postMessage({ id: request.id, ok: true, value: perform(request) } satisfies SqliteReply);
  } catch (error) {
    port.postMessage({ id: request.id, ok: false, error: describe(error) } satisfies SqliteReply);
  }
  if (request.op === "close") port.close();
});

function perform(request: SqliteRequest): unknown {
  switch (request.op) {
    case "insert":
      return database.insert(request.values);
    case "select":
      return database.select(request.query);
    case "deleteBefore":
      return database.deleteBefore(request.cutoffMs, request.chunk);
    case "close":
      return database.close();
  }
}

function describe(error: unknown): { message: string; code?: string } {
  if (!(error instanceof Error)) return { message: String(error) };
  const { errstr, code } = error as { errstr?: unknown; code?: unknown };
  return { message: typeof errstr === "string" && !error.message.includes(errstr) ? `${error.message} (${errstr})` : error.message, ...(typeof code === "string" ? { code } : {}) };
}
