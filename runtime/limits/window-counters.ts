import { RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { CounterLimit, CounterOutcome } from "./limit-store.ts";

export interface CounterOptions {
  readonly points: number;
  readonly duration: number;
  readonly keyPrefix: string;
}

/**
 * rate-limiter-flexible fixed-window counters, one instance per counter and limit value (an
 * instance's `points` is its limit; instances of one counter share its keys, so a changed
 * limit keeps the counts). `refundRefused`: the store counts a refused call's points
 * (RateLimiterMemory does), so they are given back at once.
 */
export class WindowCounters {
  readonly #create: (options: CounterOptions) => RateLimiterAbstract;
  readonly #prefix: string;
  readonly #refundRefused: boolean;
  readonly #limiters = new Map<string, RateLimiterAbstract>();
  /** The same, by the limit object itself: a call's lookup then builds no string. */
  readonly #byLimit = new WeakMap<CounterLimit, RateLimiterAbstract>();

  constructor(create: (options: CounterOptions) => RateLimiterAbstract, prefix: string, refundRefused: boolean) {
    this.#create = create;
    this.#prefix = prefix;
    this.#refundRefused = refundRefused;
  }

  async consume(limit: CounterLimit, key: string, points: number, durationSeconds: number): Promise<CounterOutcome> {
    const limiter = this.#limiter(limit);
    try {
      const result = await limiter.consume(key, points, { customDuration: durationSeconds });
      return { admitted: true, msBeforeNext: result.msBeforeNext };
    } catch (reason) {
      if (!(reason instanceof RateLimiterRes)) throw reason;
      if (this.#refundRefused) await limiter.reward(key, points, { customDuration: durationSeconds });
      return { admitted: false, msBeforeNext: reason.msBeforeNext };
    }
  }

  async giveBack(limit: CounterLimit, key: string, points: number, durationSeconds: number): Promise<void> {
    await this.#limiter(limit).reward(key, points, { customDuration: durationSeconds });
  }

  #limiter(limit: CounterLimit): RateLimiterAbstract {
    let limiter = this.#byLimit.get(limit);
    if (limiter !== undefined) return limiter;
    const id = `${limit.kind} ${limit.value}`;
    limiter = this.#limiters.get(id);
    if (limiter === undefined) {
      limiter = this.#create({ points: limit.value, duration: 60, keyPrefix: `${this.#prefix}${limit.kind}` });
      this.#limiters.set(id, limiter);
    }
    this.#byLimit.set(limit, limiter);
    return limiter;
  }
}
