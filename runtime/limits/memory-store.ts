import { RateLimiterMemory } from "rate-limiter-flexible";
import type { LimitStore } from "./limit-store.ts";
import { WindowCounters } from "./window-counters.ts";

interface Lease {
  readonly expiresAt: number;
}

/** Limits counted in this process only: exact for one instance, per instance when there are several. */
export function createMemoryStore(prefix: string, slotExpirySeconds: number): LimitStore {
  const counters = new WindowCounters((options) => new RateLimiterMemory(options), prefix, true);
  // rate-limiter-flexible has no semaphore; in one process a set of leases per key is exact.
  const slots = new Map<string, Set<Lease>>();
  const slotExpiryMs = slotExpirySeconds * 1000;
  return {
    kind: "memory",
    ready: Promise.resolve(),
    consume: (limit, key, points, durationSeconds) => counters.consume(limit, key, points, durationSeconds),
    giveBack: (limit, key, points, durationSeconds) => counters.giveBack(limit, key, points, durationSeconds),
    async takeSlot(key, limit) {
      const now = Date.now();
      let leases = slots.get(key);
      if (leases === undefined) {
        leases = new Set();
        slots.set(key, leases);
      }
      if (leases.size >= limit) {
        // Only a full set is swept: a lease past its expiry was never released.
        for (const lease of leases) if (lease.expiresAt <= now) leases.delete(lease);
        if (leases.size >= limit) return undefined;
      }
      const lease: Lease = { expiresAt: now + slotExpiryMs };
      const held = leases;
      held.add(lease);
      return () => {
        held.delete(lease);
        if (held.size === 0 && slots.get(key) === held) slots.delete(key);
      };
    },
    async close() {},
  };
}
