import { createServer } from "node:net";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { createLimiter, type Limiter, type LimitsModel } from "../../../runtime/limits/index.ts";
import { redisUrl, serviceAvailable } from "../../support/services.ts";
import { deleteKeys, readKey, uniquePrefix } from "./fixtures/redis-keys.ts";
import { TcpProxy } from "./fixtures/tcp-proxy.ts";

const available = await serviceAvailable("Redis", redisUrl);
const subject = { tenant: "acme", client: "claude", user: "ann" };
const tool = { cost: 1, write: true };
const limitsWith = (onStoreError: "open" | "closed", values = { callsPerMinute: 2, concurrent: 1 }): LimitsModel => ({ default: values, tenants: {}, apps: {}, onStoreError });

/** A Redis URL on a port where nothing listens: every connection is refused. */
async function refusingUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `redis://127.0.0.1:${port}`;
}

function recorder() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino(new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) }));
  const errors: Error[] = [];
  return { logger, lines, errors, onStoreError: (error: Error) => errors.push(error) };
}

const waitFor = async (condition: () => Promise<boolean> | boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > until) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

describe("createLimiter with Redis unreachable", () => {
  const opened: Limiter[] = [];
  afterEach(async () => {
    for (const limiter of opened.splice(0)) await limiter.close();
  });

  it.each([
    { onStoreError: "open" as const, want: { admitted: true } },
    { onStoreError: "closed" as const, want: { admitted: false, storeError: true, limit: "calls_per_minute", scope: "tenant", value: 2, retryAfterSeconds: 5 } },
  ])("onStoreError $onStoreError: decides at once, never throws, logs and reports once per outage", async ({ onStoreError, want }) => {
    const record = recorder();
    const limiter = createLimiter({ limits: limitsWith(onStoreError), redisUrl: await refusingUrl(), prefix: uniquePrefix("down"), logger: record.logger, onStoreError: record.onStoreError });
    opened.push(limiter);
    expect(limiter.kind).toBe("redis");
    await limiter.ready;
    const started = performance.now();
    const admissions = await Promise.all(Array.from({ length: 20 }, () => limiter.acquire(subject, tool)));
    for (let index = 0; index < 20; index++) admissions.push(await limiter.acquire(subject, tool));
    expect(performance.now() - started).toBeLessThan(500);
    for (const admission of admissions) expect(admission).toMatchObject(want);
    if (!admissions[0]!.admitted) expect(admissions[0]!.message).toMatch(/cannot check its rate limits/);
    for (const admission of admissions) if (admission.admitted) admission.release();
    // The client keeps trying to reconnect meanwhile; that is still the same outage.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(record.errors).toHaveLength(1);
    expect(record.lines.filter((line) => line.level >= 50)).toHaveLength(1);
    expect(record.lines[0]!.msg).toMatch(onStoreError === "open" ? /admitted without limits/ : /refused/);
  });

  it("closes promptly while Redis is unreachable", async () => {
    const limiter = createLimiter({ limits: limitsWith("open"), redisUrl: await refusingUrl() });
    await limiter.ready;
    const started = performance.now();
    await limiter.close();
    expect(performance.now() - started).toBeLessThan(200);
  });
});

describe.skipIf(!available)("createLimiter when Redis goes away and comes back", () => {
  const cleanup: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });
  const start = async (onStoreError: "open" | "closed", values?: { callsPerMinute: number; concurrent: number }) => {
    const proxy = new TcpProxy(redisUrl);
    await proxy.start();
    const prefix = uniquePrefix("outage");
    const record = recorder();
    const limiter = createLimiter({ limits: limitsWith(onStoreError, values), redisUrl: proxy.url, prefix, storeTimeoutMs: 150, logger: record.logger, onStoreError: record.onStoreError });
    cleanup.push(() => deleteKeys(redisUrl, prefix), () => proxy.stop(), () => limiter.close());
    await limiter.ready;
    return { proxy, prefix, record, limiter };
  };

  it("refuses while it is down (closed), then counts again once it is back", async () => {
    const { proxy, record, limiter } = await start("closed");
    const first = await limiter.acquire(subject, tool);
    expect(first.admitted).toBe(true);
    // Released as Redis goes away: the release is lost with the connection, sent again once
    // Redis is back (else the only slot, concurrent: 1, would stay taken until its expiry).
    if (first.admitted) first.release();

    await proxy.stop();
    await waitFor(async () => {
      const admission = await limiter.acquire(subject, tool);
      return !admission.admitted && admission.storeError === true;
    }, 2_000);
    expect(record.errors).toHaveLength(1);

    await proxy.start();
    await waitFor(async () => (await limiter.acquire(subject, tool)).admitted, 5_000);
    // The window kept its count through the outage: 2 calls per minute, both now used.
    const third = await limiter.acquire(subject, tool);
    expect(third).toMatchObject({ admitted: false, limit: "calls_per_minute" });
    expect(record.lines.some((line) => line.msg === "limits: the limit store is back")).toBe(true);

    // A second outage is reported again.
    await proxy.stop();
    await waitFor(() => record.errors.length === 2, 2_000);
  });

  it("decides within storeTimeoutMs when Redis stops answering, and gives back what the late answers took", async () => {
    const { proxy, prefix, record, limiter } = await start("closed", { callsPerMinute: 10, concurrent: 10 });
    const held = await limiter.acquire(subject, tool);
    expect(held.admitted).toBe(true);

    proxy.pause();
    const started = performance.now();
    const stalled = await Promise.all(Array.from({ length: 3 }, () => limiter.acquire(subject, tool)));
    expect(performance.now() - started).toBeLessThan(1_000);
    for (const admission of stalled) expect(admission).toMatchObject({ admitted: false, storeError: true });
    expect(record.errors[0]?.message).toMatch(/did not answer within 150 ms/);

    proxy.resume();
    // The late answers counted 3 calls and took 3 slots; all are given back.
    await waitFor(async () => (await readKey(redisUrl, `${prefix}calls_per_minute:t:acme`)) === "1", 2_000);
    const admissions = await Promise.all(Array.from({ length: 12 }, () => limiter.acquire(subject, tool)));
    expect(admissions.filter((admission) => admission.admitted)).toHaveLength(9);
  });
});
