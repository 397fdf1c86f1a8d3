/** What a store answers for one window counter. */
export interface CounterOutcome {
  readonly admitted: boolean;
  /** Time until the window resets (rate-limiter-flexible's `msBeforeNext`). */
  readonly msBeforeNext: number;
}

/** A window counter and its limit; stores key their rate-limiter-flexible instances by this object. */
export interface CounterLimit {
  /** The counter's name, the middle of its keys (e.g. "calls_per_minute"). */
  readonly kind: string;
  readonly value: number;
}

/**
 * Where the limits are counted: this process, or Redis. Every method rejects on a store failure;
 * the limiter decides what a failure means (`onStoreError`).
 */
export interface LimitStore {
  readonly kind: "memory" | "redis";
  readonly ready: Promise<void>;
  /**
   * Adds `points` to the counter `key` of a window of `durationSeconds` (started by its first
   * call), unless that would take it over its limit: a refused call counts nothing.
   */
  consume(limit: CounterLimit, key: string, points: number, durationSeconds: number): Promise<CounterOutcome>;
  /** Takes back points that `consume` counted for a call another limit then refused. */
  giveBack(limit: CounterLimit, key: string, points: number, durationSeconds: number): Promise<void>;
  /** Takes one of `limit` concurrency slots; resolves to the function that frees it, or undefined when all are taken. */
  takeSlot(key: string, limit: number): Promise<(() => void) | undefined>;
  close(): Promise<void>;
}
