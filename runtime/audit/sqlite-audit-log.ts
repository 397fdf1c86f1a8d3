import { Worker } from "node:worker_threads";
import { AuditStoreError } from "./audit-errors.ts";
import type { AuditRow, StoredRow } from "./audit-row.ts";
import type { AuditStore } from "./audit-store.ts";
import type { ResolvedQuery } from "./query-filter.ts";
import { toSqliteValues, type SqliteDatabaseOptions, type SqliteValue } from "./sqlite-database.ts";

/** A message to the audit worker. */
export type SqliteRequest =
  | { readonly id: number; readonly op: "insert"; readonly values: readonly SqliteValue[] }
  | { readonly id: number; readonly op: "select"; readonly query: ResolvedQuery }
  | { readonly id: number; readonly op: "deleteBefore"; readonly cutoffMs: number; readonly chunk: number }
  | { readonly id: number; readonly op: "close" };

/** The worker's answer to request `id` (0: it opened the database, or could not). */
export type SqliteReply = { readonly id: number; readonly ok: true; readonly value: unknown } | { readonly id: number; readonly ok: false; readonly error: { readonly message: string; readonly code?: string } };

type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

interface Call {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Opens the SQLite audit store in its own worker thread. The CPU of a write is the same either
 * way, but node:sqlite is synchronous: on the event loop, every batch, WAL checkpoint (fsync) and
 * admin query would stall every call in flight (measured: up to 300 ms for a checkpoint).
 */
export async function openSqliteAuditStore(options: SqliteDatabaseOptions): Promise<AuditStore> {
  const worker = new Worker(new URL("./sqlite-worker.ts", import.meta.url), { workerData: options, name: "toolgate-audit-sqlite" });
  const store = new SqliteWorkerStore(worker, options.path);
  await store.opened;
  return store;
}

class SqliteWorkerStore implements AuditStore {
  readonly kind = "sqlite";
  readonly description: string;
  readonly opened: Promise<void>;
  readonly #worker: Worker;
  readonly #calls = new Map<number, Call>();
  #nextId = 1;
  #stopped: AuditStoreError | undefined;

  constructor(worker: Worker, path: string) {
    this.#worker = worker;
    this.description = path;
    this.opened = new Promise<unknown>((resolve, reject) => this.#calls.set(0, { resolve, reject })).then(
      () => this.#idle(),
      (error: unknown) => {
        throw new AuditStoreError("sqlite", `could not open ${path}: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
    worker.on("message", (reply: SqliteReply) => this.#settle(reply));
    worker.on("error", (error) => this.#stop(`the audit worker failed: ${error.message}`));
    worker.on("exit", (code) => this.#stop(`the audit worker stopped (exit code ${code})`));
  }

  async insert(rows: readonly AuditRow[]): Promise<void> {
    await this.#call({ op: "insert", values: toSqliteValues(rows) });
  }

  async select(query: ResolvedQuery): Promise<StoredRow[]> {
    return (await this.#call({ op: "select", query })) as StoredRow[];
  }

  async deleteBefore(cutoffMs: number, chunk: number): Promise<number> {
    return (await this.#call({ op: "deleteBefore", cutoffMs, chunk })) as number;
  }

  async close(): Promise<void> {
    if (this.#stopped) return;
    const exited = new Promise<void>((resolve) => this.#worker.once("exit", () => resolve()));
    await this.#call({ op: "close" });
    this.#worker.ref();
    await exited;
  }

  #call(request: WithoutId<SqliteRequest>): Promise<unknown> {
    if (this.#stopped) return Promise.reject(this.#stopped);
    const id = this.#nextId++;
    // Keep the process alive while the worker holds accepted work, not while it idles.
    if (this.#calls.size === 0) this.#worker.ref();
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#worker.postMessage({ ...request, id });
    });
  }

  #settle(reply: SqliteReply): void {
    const call = this.#calls.get(reply.id);
    if (!call) return;
    this.#calls.delete(reply.id);
    this.#idle();
    if (reply.ok) call.resolve(reply.value);
    else call.reject(Object.assign(new Error(reply.error.message), reply.error.code === undefined ? {} : { code: reply.error.code }));
  }

  #idle(): void {
    if (this.#calls.size === 0) this.#worker.unref();
  }

  #stop(reason: string): void {
    this.#stopped ??= new AuditStoreError("sqlite", reason);
    for (const call of this.#calls.values()) call.reject(this.#stopped);
    this.#calls.clear();
  }
}
