import { AuditClosedError } from "./audit-errors.ts";

interface Waiting<T> {
  readonly item: T;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions<T> {
  /** Most items written together. */
  readonly maxBatch: number;
  /** Longest wait for more items before a batch that is not full is written. */
  readonly maxDelayMs: number;
  /** Writes one batch durably; throwing fails every item of that batch (and only those). */
  readonly write: (items: readonly T[]) => Promise<void>;
}

/**
 * Group commit: `add` buffers an item and resolves once the batch holding it is written. One batch
 * is written at a time; items arriving meanwhile form the next batch, written as soon as the
 * previous one ends. A batch starts when it is full or `maxDelayMs` after its first item (with
 * 0, at the end of the current event-loop turn).
 */
export class GroupCommitQueue<T> {
  readonly #options: GroupCommitOptions<T>;
  #buffer: Waiting<T>[] = [];
  #writing = 0;
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
    return this.#buffer.length + this.#writing;
  }

  add(item: T): Promise<void> {
    if (this.#closed) return Promise.reject(new AuditClosedError());
    return new Promise<void>((resolve, reject) => {
      this.#buffer.push({ item, resolve, reject });
      if (this.#draining) return;
      // With no delay (the default), a batch is whatever arrived during this turn of the event
      // loop, plus everything that arrives while the previous batch is being written.
      if (this.#buffer.length >= this.#options.maxBatch || this.#options.maxDelayMs === 0) this.#drainSoon();
      else if (this.#immediate === undefined) this.#timer ??= setTimeout(() => this.#drainSoon(), this.#options.maxDelayMs);
    });
  }

  /** Refuses new items; resolves once every item already added is written (or failed). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.pending === 0) return;
    const idle = new Promise<void>((resolve) => this.#idle.push(resolve));
    if (!this.#draining) this.#drainSoon();
    await idle;
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
    while (this.#buffer.length > 0) {
      const batch = this.#buffer.splice(0, this.#options.maxBatch);
      this.#writing = batch.length;
      try {
        await this.#options.write(batch.map((waiting) => waiting.item));
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
      this.#writing = 0;
      // Let requests run between batches (the SQLite write is synchronous), and let them add to the next batch.
      if (this.#buffer.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    this.#draining = false;
    for (const resolve of this.#idle.splice(0)) resolve();
  }
}
