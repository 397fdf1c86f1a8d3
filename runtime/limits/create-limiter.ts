import { currentPeriod, dayOf, monthOf } from "./calendar-periods.ts";
import { describeRefusal, storeErrorMessage } from "./describe-refusal.ts";
import type { LimitStore } from "./limit-store.ts";
import { createMemoryStore } from "./memory-store.ts";
import { createRedisStore } from "./redis-store.ts";
import { resolveLimits, type Check } from "./resolve-limits.ts";
import type { Admission, Admitted, Limiter, LimiterOptions, Refused, Subject, ToolCost } from "./types.ts";

/** What a caller refused because the store failed ("closed") is told to wait. */
const storeErrorRetrySeconds = 5;

const admittedFreely: Admitted = Object.freeze({ admitted: true as const, release() {} });

/** One limit applied to one call: the counter's key and what the call adds to it. */
interface Step {
  readonly check: Check;
  readonly key: string;
  readonly points: number;
  readonly durationSeconds: number;
  /** When a quota's calendar period ends; the window's own expiry otherwise. */
  readonly endsAt?: number;
}

type Outcome =
  | { readonly step: Step; readonly state: "admitted"; readonly free: (() => void) | undefined }
  | { readonly step: Step; readonly state: "refused"; readonly msBeforeNext: number }
  | { readonly step: Step; readonly state: "failed"; readonly error: Error };

/**
 * Per-tenant, per-app and per-user limits on tool calls: calls and writes per minute, calls in
 * flight, daily and monthly quotas. In this process by default; with `redisUrl`, shared
 * exactly by every instance. Bad limits throw a TypeError naming the setting.
 */
export function createLimiter(options: LimiterOptions): Limiter {
  const { limits: model, redisUrl, prefix = "toolgate:limits:", storeTimeoutMs = 500, slotExpirySeconds = 300, logger, onStoreError, onRejected } = options;
  if (typeof prefix !== "string") throw new TypeError("limits: prefix must be a string");
  if (!(Number.isSafeInteger(storeTimeoutMs) && storeTimeoutMs > 0)) throw new TypeError(`limits: storeTimeoutMs must be a positive integer, not ${storeTimeoutMs}`);
  if (!(Number.isSafeInteger(slotExpirySeconds) && slotExpirySeconds > 0)) throw new TypeError(`limits: slotExpirySeconds must be a positive integer, not ${slotExpirySeconds}`);
  const limits = resolveLimits(model);

  // One log line and one onStoreError per outage, not per call.
  let down = false;
  const storeFailed = (error: Error) => {
    if (down) return;
    down = true;
    logger?.error({ err: error.message }, `limits: the limit store is unreachable; calls are ${limits.onStoreError === "open" ? "admitted without limits" : "refused"} until it is back`);
    try {
      onStoreError?.(error);
    } catch {
      // a metric callback must not break a call
    }
  };
  const storeBack = () => {
    if (!down) return;
    down = false;
    logger?.info("limits: the limit store is back");
  };

  const store: LimitStore =
    redisUrl === undefined
      ? createMemoryStore(prefix, slotExpirySeconds)
      : createRedisStore({ url: redisUrl, prefix, timeoutMs: storeTimeoutMs, slotExpirySeconds, onError: storeFailed, onReady: storeBack });
  const today = currentPeriod(dayOf);
  const thisMonth = currentPeriod(monthOf);

  async function run(step: Step): Promise<Outcome> {
    const { check } = step;
    try {
      if (check.kind === "concurrent") {
        const free = await store.takeSlot(step.key, check.value);
        return free === undefined ? { step, state: "refused", msBeforeNext: 1_000 } : { step, state: "admitted", free };
      }
      const outcome = await store.consume(check, step.key, step.points, step.durationSeconds);
      return outcome.admitted ? { step, state: "admitted", free: undefined } : { step, state: "refused", msBeforeNext: outcome.msBeforeNext };
    } catch (error) {
      return { step, state: "failed", error: error instanceof Error ? error : new Error(String(error)) };
    }
  }

  /**
   * Redis steps, bounded by one timer for the call: past `storeTimeoutMs` the call is decided as
   * a store failure, and whatever the late answers took is given back when they come.
   */
  async function runWithin(steps: readonly Step[]): Promise<readonly Outcome[]> {
    const all = Promise.all(steps.map(run));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<undefined>((resolve) => {
      timer = setTimeout(resolve, storeTimeoutMs, undefined);
    });
    const outcomes = await Promise.race([all, late]);
    clearTimeout(timer);
    if (outcomes !== undefined) return outcomes;
    void all.then(undo);
    const error = new Error(`the limit store did not answer within ${storeTimeoutMs} ms`);
    return steps.map((step) => ({ step, state: "failed", error }));
  }

  /** Gives back what the admitted steps of a refused call took, so refused calls eat no quota. */
  function undo(outcomes: readonly Outcome[]): void {
    for (const outcome of outcomes) {
      if (outcome.state !== "admitted") continue;
      if (outcome.free !== undefined) outcome.free();
      else {
        const { check, key, points, durationSeconds } = outcome.step;
        store.giveBack(check, key, points, durationSeconds).catch(storeFailed);
      }
    }
  }

  function stepsOf(subject: Subject, tool: ToolCost, now: number): Step[] {
    const steps: Step[] = [];
    const add = (checks: readonly Check[], key: string) => {
      for (const check of checks) {
        switch (check.kind) {
          case "concurrent":
            steps.push({ check, key, points: 1, durationSeconds: 0 });
            break;
          case "writes_per_minute":
            if (tool.write && tool.cost > 0) steps.push({ check, key, points: tool.cost, durationSeconds: 60 });
            break;
          case "calls_per_minute":
            if (tool.cost > 0) steps.push({ check, key, points: tool.cost, durationSeconds: 60 });
            break;
          default: {
            if (tool.cost === 0) break;
            // Quotas are calendar periods: the key names the period and expires when it ends.
            const period = check.kind === "backend_calls_per_day" ? today(now) : thisMonth(now);
            steps.push({ check, key: `${key}:${period.id}`, points: tool.cost, durationSeconds: Math.max(1, Math.ceil((period.endsAt - now) / 1_000)), endsAt: period.endsAt });
          }
        }
      }
    };
    const tenantChecks = limits.tenant(subject.tenant);
    if (tenantChecks.length > 0) add(tenantChecks, `t:${subject.tenant}`);
    // Lengths make the keys unambiguous whatever the ids contain.
    const appChecks = limits.app(subject.client);
    if (appChecks.length > 0) add(appChecks, `a:${subject.tenant.length}:${subject.tenant}:${subject.client}`);
    if (limits.user.length > 0) add(limits.user, `u:${subject.tenant.length}:${subject.tenant}:${subject.user}`);
    return steps;
  }

  function refusal(outcome: Extract<Outcome, { state: "refused" }>, subject: Subject, tool: ToolCost, now: number): Refused {
    const { check, endsAt } = outcome.step;
    const waitMs = endsAt === undefined ? Math.max(outcome.msBeforeNext, 0) : endsAt - now;
    const resetsAt = new Date(now + waitMs).toISOString();
    onRejected?.(check.kind, check.scope);
    return {
      admitted: false,
      limit: check.kind,
      scope: check.scope,
      value: check.value,
      retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1_000)),
      resetsAt,
      message: describeRefusal(check, subject, resetsAt, tool.cost),
    };
  }

  return {
    kind: store.kind,
    ready: store.ready,
    async acquire(subject: Subject, tool: ToolCost): Promise<Admission> {
      if (!(Number.isSafeInteger(tool.cost) && tool.cost >= 0)) throw new TypeError(`limits: a tool's cost must be a non-negative integer, not ${tool.cost}`);
      if (!limits.any) return admittedFreely;
      const now = Date.now();
      const steps = stepsOf(subject, tool, now);
      if (steps.length === 0) return admittedFreely;
      const outcomes = await (store.kind === "memory" ? Promise.all(steps.map(run)) : runWithin(steps));

      let refused: Extract<Outcome, { state: "refused" }> | undefined;
      let failed: Extract<Outcome, { state: "failed" }> | undefined;
      for (const outcome of outcomes) {
        // When several limits refuse, the caller must wait for the one that frees last.
        if (outcome.state === "refused" && (refused === undefined || outcome.msBeforeNext > refused.msBeforeNext)) refused = outcome;
        else if (outcome.state === "failed") failed ??= outcome;
      }
      if (refused !== undefined) {
        undo(outcomes);
        return refusal(refused, subject, tool, now);
      }
      if (failed !== undefined) {
        storeFailed(failed.error);
        if (limits.onStoreError === "closed") {
          undo(outcomes);
          const { check } = failed.step;
          onRejected?.(check.kind, check.scope);
          return {
            admitted: false,
            limit: check.kind,
            scope: check.scope,
            value: check.value,
            retryAfterSeconds: storeErrorRetrySeconds,
            resetsAt: new Date(now + storeErrorRetrySeconds * 1_000).toISOString(),
            message: storeErrorMessage,
            storeError: true,
          };
        }
      } else storeBack();
      return admitted(outcomes);
    },
    close: () => store.close(),
  };
}

function admitted(outcomes: readonly Outcome[]): Admitted {
  let frees: (() => void)[] | undefined;
  for (const outcome of outcomes) if (outcome.state === "admitted" && outcome.free !== undefined) (frees ??= []).push(outcome.free);
  if (frees === undefined) return admittedFreely;
  let released = false;
  return {
    admitted: true,
    release() {
      if (released) return;
      released = true;
      for (const free of frees) free();
    },
  };
}
