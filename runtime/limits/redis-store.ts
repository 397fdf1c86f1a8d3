import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { createClient as CreateClient } from "redis";
import { RateLimiterRedis } from "rate-limiter-flexible";
import type { LimitStore } from "./limit-store.ts";
import { WindowCounters } from "./window-counters.ts";

// redis is required on first use: loading it is a sixth of the runtime's start-up, and it is only
// needed when REDIS_URL is set.
const require = createRequire(import.meta.url);

/**
 * Replaces rate-limiter-flexible's INCRBY script (its `customIncrTtlLuaScript` option, same
 * arguments: points, window seconds, limit): a call that would take the counter over the limit
 * is refused without being counted, so a refused call never eats quota and never needs a
 * compensating write; a give-back (negative points) never creates a key nor goes below zero,
 * so one that lands after its window ended cannot credit the next window.
 */
const consumeScript = `
local points = tonumber(ARGV[1])
local ttl = redis.call('pttl', KEYS[1])
if points < 0 then
  if ttl <= 0 then return {0, 0} end
  local left = redis.call('incrby', KEYS[1], points)
  if left < 0 then
    redis.call('set', KEYS[1], 0, 'KEEPTTL')
    left = 0
  end
  return {left, ttl}
end
local fresh = ttl <= 0
local used = 0
if fresh then ttl = 1000 * tonumber(ARGV[2]) else used = tonumber(redis.call('get', KEYS[1])) end
local total = used + points
if total > tonumber(ARGV[3]) then return {total, ttl} end
if fresh then
  redis.call('set', KEYS[1], points, 'EX', ARGV[2])
else
  redis.call('incrby', KEYS[1], points)
end
return {total, ttl}
`;

/**
 * A semaphore with leases (rate-limiter-flexible has none): one sorted set per key, a member per
 * call in flight scored by its expiry, so a slot whose release never comes (a crashed
 * instance) frees itself, and one call's expiry never forgets the others. Redis's own clock
 * keeps instances' clocks out of it.
 */
const takeSlotScript = `
local now = redis.call('time')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('zremrangebyscore', KEYS[1], '-inf', ms)
if redis.call('zcard', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('zadd', KEYS[1], ms + tonumber(ARGV[3]), ARGV[2])
redis.call('pexpire', KEYS[1], ARGV[3])
return 1
`;

export interface RedisStoreOptions {
  readonly url: string;
  readonly prefix: string;
  /** How long connecting may take. */
  readonly timeoutMs: number;
  readonly slotExpirySeconds: number;
  /** Connection errors (also reported by the failing calls); the limiter logs once per outage. */
  readonly onError: (error: Error) => void;
  readonly onReady: () => void;
}

/** Limits shared exactly by every instance: each decision is one atomic script in Redis. */
export function createRedisStore(options: RedisStoreOptions): LimitStore {
  const { url, prefix, timeoutMs, slotExpirySeconds, onError, onReady } = options;
  const { createClient } = require("redis") as { createClient: typeof CreateClient };
  const client = createClient({
    url,
    // Fail fast while disconnected instead of queueing calls until Redis is back.
    disableOfflineQueue: true,
    // No per-command timeout (node-redis's default is 5 s): it makes an AbortSignal per command,
    // which took a third of the client's CPU per call; the limiter bounds each call's wait with
    // one timer instead.
    commandOptions: { timeout: 0 },
    commandsQueueMaxLength: 10_000,
    socket: { connectTimeout: Math.max(timeoutMs, 1_000), reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 2_000) },
  });
  // Releases that failed (Redis away) are sent again once it is back (ZREM is idempotent), so a
  // short outage does not hold slots until their expiry; past this many, the expiry frees them.
  const unsent: (readonly [string, string])[] = [];
  const maxUnsent = 10_000;
  const release = (slotKey: string, lease: string) => {
    client.zRem(slotKey, lease).catch(() => {
      if (unsent.length < maxUnsent) unsent.push([slotKey, lease]);
    });
  };
  client.on("error", onError);
  client.on("ready", () => {
    for (const [slotKey, lease] of unsent.splice(0)) release(slotKey, lease);
    onReady();
  });
  let closed = false;
  const ready = new Promise<void>((resolve) => {
    client.once("ready", resolve);
    client.once("error", () => resolve());
    client.connect().catch((error: Error) => {
      resolve();
      if (!closed) onError(error);
    });
  });
  const counters = new WindowCounters(
    (counter) => new RateLimiterRedis({ ...counter, storeClient: client, useRedisPackage: true, rejectIfRedisNotReady: true, customIncrTtlLuaScript: consumeScript }),
    prefix,
    false,
  );
  const instance = randomUUID();
  let leases = 0;
  const slotExpiryMs = String(slotExpirySeconds * 1000);
  return {
    kind: "redis",
    ready,
    consume: (limit, key, points, durationSeconds) => counters.consume(limit, key, points, durationSeconds),
    giveBack: (limit, key, points, durationSeconds) => counters.giveBack(limit, key, points, durationSeconds),
    async takeSlot(key, limit) {
      const slotKey = `${prefix}concurrent:${key}`;
      const lease = `${instance}:${++leases}`;
      const taken = await client.eval(takeSlotScript, { keys: [slotKey], arguments: [String(limit), lease, slotExpiryMs] });
      if (taken !== 1) return undefined;
      return () => release(slotKey, lease);
    },
    async close() {
      closed = true;
      client.off("error", onError);
      client.on("error", () => undefined);
      if (client.isReady) await client.close().catch(() => client.destroy());
      else if (client.isOpen) client.destroy();
    },
  };
}
