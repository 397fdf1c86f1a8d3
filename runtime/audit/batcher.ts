import { AuditClosedError } from "./audit-errors.ts";

/** The items written together, and the one promise every `add` of them returns. */
interface Batch<T> {
  readonly items: T[];
  readonly written: Promise<void>;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions<T> {
  /** Most items written together. */
  readonly maxBatch: number;
  /** Longest wait for more items before a batch that is not full is written. */
  readonly maxDelayMs: number;
  /** Writes and commits one batch; throwing fails every item of that batch (and only those). */
  readonly write: (items: readonly T[]) => Promise<void>;
}

/**
 * Group commit: `add` buffers an item and resolves once the batch holding it is written. One batch
 * is written at a time; items arriving meanwhile form the next batch, written as soon as the
 * previous one ends. A batch starts when it is full or `maxDelayMs` after its first item (with
 * 0, at the end of the current event-loop turn).
 *
 * Every item of a batch shares one promise: one allocation and one settlement per batch instead
 * of a promise and two closures per item (measured in the gateway's audit path).
 */
export class GroupCommitQueue<T> {
  readonly #options: GroupCommitOptions<T>;
  /** Batches not yet written, oldest first; only the last one takes new items. */
  #batches: Batch<T>[] = [];
  /** The batch being written, closed to new items. */
  #writing: Batch<T> | undefined;
  #count = 0;
  #draining = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #immediate: NodeJS.Immediate | undefined;
  #idle: (() => void)[] = [];

  constructor(options: GroupCommitOptions<T>) {
    this.#options = options;
  }

  /** Items added but not yet written. */
  get pending(): number {
    return this.#count;
  }

  add(item: T): Promise<void> {
    if (this.#closed) return Promise.reject(new AuditClosedError());
    const last = this.#batches.at(-1);
    const batch = last !== undefined && last !== this.#writing && last.items.length < this.#options.maxBatch ? last : this.#newBatch();
    batch.items.push(item);
    this.#count++;
    if (!this.#draining) {
      // With no delay (the default), a batch is whatever arrived during this turn of the event
      // loop, plus everything that arrives while the previous batch is being written.
      if (this.#count >= this.#options.maxBatch || this.#options.maxDelayMs === 0) this.#drainSoon();
      else if (this.#immediate === undefined) this.#timer ??= setTimeout(() => this.#drainSoon(), this.#options.maxDelayMs);
    }
    return batch.written;
  }

  /** Refuses new items; resolves once every item already added is written (or failed). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.pending === 0) return;
    const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
    if (!this.#draining) this.#drainSoon();
    await idle;
  }

  #newBatch(): Batch<T> {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const written = new Promise<void>((onWritten, onFailed) => {
      resolve = onWritten;
      reject = onFailed;
    });
    const batch = { items: [], written, resolve, reject };
    this.#batches.push(batch);
    return batch;
  }

  #drainSoon(): void {
    if (this.#draining) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // setImmediate, not a direct call: a synchronous store (SQLite) must not write inside add().
    this.#immediate ??= setImmediate(() => void this.#drain());
  }

  async #drain(): Promise<void> {
    this.#immediate = undefined;
    if (this.#draining) return;
    this.#draining = true;
    for (let batch = this.#batches[0]; batch !== undefined; batch = this.#batches[0]) {
      this.#writing = batch;
      try {
        await this.#options.write(batch.items);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
      this.#batches.shift();
      this.#writing = undefined;
      this.#count -= batch.items.length;
      // Let requests run between batches (the SQLite write is synchronous), and let them add to the next batch.
      if (this.#batches.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#draining = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
