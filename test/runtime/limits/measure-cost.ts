/**
 * Measures what the limiter costs per call (acquire + release): not a test, run by hand:
 *   node test/runtime/limits/measure-cost.ts [redis://127.0.0.1:6379]
 * Memory: sequential calls, µs each. Redis: 64 calls in flight, µs of this process's CPU per
 * call and calls/s (the round trip is Redis's, not CPU).
 */
import { createLimiter, type LimitsModel } from "../../../runtime/limits/index.ts";

const limits: LimitsModel = {
  default: { callsPerMinute: 1e12, writesPerMinute: 1e12, concurrent: 1e6, backendCallsPerDay: 1e12, backendCallsPerMonth: 1e12 },
  tenants: {},
  apps: { claude: { callsPerMinute: 1e12 } },
  users: { callsPerMinute: 1e12 },
  onStoreError: "open",
};
const typical: LimitsModel = { default: { callsPerMinute: 1e12, writesPerMinute: 1e12, concurrent: 1e6 }, tenants: {}, apps: {}, onStoreError: "open" };

async function measure(name: string, model: LimitsModel, redisUrl: string | undefined, calls: number, inFlight: number): Promise<void> {
  const prefix = `toolgate-measure:${process.pid}:`;
  const limiter = createLimiter({ limits: model, redisUrl, prefix });
  await limiter.ready;
  const tool = { cost: 1, write: true };
  const one = async (i: number) => {
    const admission = await limiter.acquire({ tenant: `t${i % 50}`, client: "claude", user: `u${i % 500}` }, tool);
    if (admission.admitted) admission.release();
    else throw new Error(admission.message);
  };
  const round = async (n: number) => {
    let next = 0;
    await Promise.all(Array.from({ length: inFlight }, async () => {
      while (next < n) await one(next++);
    }));
  };
  await round(Math.min(calls, 20_000));
  const cpu = process.cpuUsage();
  const start = performance.now();
  await round(calls);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  console.log(`${name}: ${((ms * 1000) / calls).toFixed(2)} µs wall, ${((used.user + used.system) / calls).toFixed(2)} µs CPU per acquire+release; ${Math.round(calls / (ms / 1000))} calls/s`);
  await limiter.close();
}

const redisUrl = process.argv[2];
await measure("memory, 3 limits (calls, writes, concurrent)", typical, undefined, 500_000, 1);
await measure("memory, 8 limits (tenant all 5 + app + user)", limits, undefined, 500_000, 1);
if (redisUrl !== undefined) {
  await measure("redis, 3 limits", typical, redisUrl, 50_000, 64);
  await measure("redis, 8 limits", limits, redisUrl, 30_000, 64);
  const { createClient } = await import("redis");
  const client = createClient({ url: redisUrl });
  await client.connect();
  for await (const keys of client.scanIterator({ MATCH: `toolgate-measure:${process.pid}:*`, COUNT: 1000 })) if (keys.length > 0) await client.del(keys);
  await client.close();
}
