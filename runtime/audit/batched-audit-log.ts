import type { Logger } from "pino";
import { AuditClosedError, AuditStoreError } from "./audit-errors.ts";
import { fromStoredRow, toAuditRow, type AuditRow } from "./audit-row.ts";
import type { AuditStore } from "./audit-store.ts";
import { GroupCommitQueue } from "./batcher.ts";
import { encodeCursor } from "./cursor.ts";
import type { AuditLog, AuditPage, AuditQuery, AuditRecord } from "./index.ts";
import { resolveQuery } from "./query-filter.ts";

export interface BatchedAuditLogSettings {
  readonly retentionDays: number;
  readonly batchSize: number;
  readonly flushDelayMs: number;
  readonly purgeIntervalMs: number;
  readonly maxArgumentsLength: number;
  readonly logger: Logger | undefined;
}

const day = 86_400_000;
const firstPurgeDelayMs = 60_000;
// Rows per DELETE: short enough that SQLite (synchronous) never blocks requests for long.
const purgeChunk = 5_000;
const failureLogIntervalMs = 10_000;

/** The audit log over one store: group commit for appends, checked queries, chunked purges. */
export class BatchedAuditLog implements AuditLog {
  readonly kind: "sqlite" | "postgres";
  readonly #store: AuditStore;
  readonly #settings: BatchedAuditLogSettings;
  readonly #queue: GroupCommitQueue<AuditRow>;
  readonly #failures = { batches: 0, lastLoggedAt: Number.NEGATIVE_INFINITY };
  #closed = false;
  #closing: Promise<void> | undefined;
  #purging: Promise<number> = Promise.resolve(0);
  #purgeTimer: NodeJS.Timeout | undefined;

  constructor(store: AuditStore, settings: BatchedAuditLogSettings) {
    this.kind = store.kind;
    this.#store = store;
    this.#settings = settings;
    this.#queue = new GroupCommitQueue({ maxBatch: settings.batchSize, maxDelayMs: settings.flushDelayMs, write: (rows) => this.#write(rows) });
    this.#schedulePurges();
  }

  get pending(): number {
    return this.#queue.pending;
  }

  append(record: AuditRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new AuditClosedError());
    try {
      return this.#queue.add(toAuditRow(record, this.#settings.maxArgumentsLength));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async query(query: AuditQuery): Promise<AuditPage> {
    if (this.#closed) throw new AuditClosedError();
    const resolved = resolveQuery(query);
    const rows = await this.#store.select({ ...resolved, limit: resolved.limit + 1 }).catch((error: unknown) => {
      throw storeError(this.kind, "could not query", error);
    });
    const records = rows.slice(0, resolved.limit).map(fromStoredRow);
    const last = records.at(-1);
    const nextCursor = rows.length > resolved.limit && last ? encodeCursor({ timeMs: Date.parse(last.time), id: last.id }) : null;
    return { records, nextCursor };
  }

  purge(now: Date = new Date()): Promise<number> {
    if (this.#closed) return Promise.reject(new AuditClosedError());
    // One purge at a time: a second waits for the first, then deletes what is left.
    const run = this.#purging.catch(() => 0).then(() => this.#purgeBefore(now.getTime() - this.#settings.retentionDays * day));
    this.#purging = run;
    return run;
  }

  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#purgeTimer);
    await this.#queue.close();
    await this.#purging.catch(() => 0);
    await this.#store.close();
  }

  async #write(rows: readonly AuditRow[]): Promise<void> {
    try {
      await this.#store.insert(rows);
    } catch (error) {
      const failure = storeError(this.kind, `could not write ${rows.length} record(s)`, error);
      this.#logFailure(failure);
      throw failure;
    }
    if (this.#failures.batches > 0) this.#logRecovery();
  }

  async #purgeBefore(cutoffMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const deleted = await this.#store.deleteBefore(cutoffMs, purgeChunk).catch((error: unknown) => {
        throw storeError(this.kind, "could not purge", error);
      });
      total += deleted;
      if (deleted < purgeChunk || this.#closed) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (total > 0) this.#settings.logger?.info({ store: this.kind, deleted: total, before: new Date(cutoffMs).toISOString() }, "audit records purged");
    return total;
  }

  #schedulePurges(): void {
    const interval = this.#settings.purgeIntervalMs;
    if (interval === 0) return;
    const run = (delay: number) => {
      this.#purgeTimer = setTimeout(() => {
        if (this.#closed) return;
        this.purge().catch((error: unknown) => this.#settings.logger?.warn({ store: this.kind, err: error }, "audit purge failed"));
        run(interval);
      }, delay);
      this.#purgeTimer.unref();
    };
    run(Math.min(firstPurgeDelayMs, interval));
  }

  // During an outage every batch fails: one log line per interval, with the count, not one per batch.
  #logFailure(failure: AuditStoreError): void {
    this.#failures.batches++;
    const now = Date.now();
    if (now - this.#failures.lastLoggedAt < failureLogIntervalMs) return;
    this.#failures.lastLoggedAt = now;
    this.#settings.logger?.error({ store: this.kind, failedBatches: this.#failures.batches, err: failure }, "audit records could not be written; their appends were rejected");
  }

  #logRecovery(): void {
    this.#settings.logger?.warn({ store: this.kind, failedBatches: this.#failures.batches }, "audit log writes again");
    this.#failures.batches = 0;
    this.#failures.lastLoggedAt = Number.NEGATIVE_INFINITY;
  }
}

/** Wraps a driver error; its message is kept, minus anything that looks like credentials in a URL. */
function storeError(store: "sqlite" | "postgres", doing: string, error: unknown): AuditStoreError {
  if (error instanceof AuditStoreError) return error;
  const detail = error instanceof Error ? `${error.message}${"code" in error && typeof error.code === "string" ? ` (${error.code})` : ""}` : String(error);
  return new AuditStoreError(store, `${doing}: ${detail.replace(/\/\/([^/@\s:]*):[^/@\s]*@/g, "//$1:***@")}`);
}
