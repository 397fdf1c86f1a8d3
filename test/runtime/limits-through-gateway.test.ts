import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, createLogger, loadGenerated, type Gateway } from "../../runtime/index.ts";
import { postRaw } from "../support/mcp-client.ts";
import { startRecordingBackend } from "../support/recording-backend.ts";
import { redisUrl, serviceAvailable } from "../support/services.ts";

const golden = fileURLToPath(new URL("../generator/golden/basic/", import.meta.url));
const headers = { "mcp-protocol-version": "2025-11-25" };
const call = (id: number, name = "get_item") => JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: { item_id: "i1" } } });

let backend: Awaited<ReturnType<typeof startRecordingBackend>>;
beforeAll(async () => {
  backend = await startRecordingBackend(() => ({ body: { id: "i1", name: "Lamp" } }));
});
afterAll(async () => {
  await backend?.close();
});

describe("limits on tools/call", () => {
  let gateway: Gateway;
  let url: string;
  beforeAll(async () => {
    gateway = await createGateway({
      bundle: await loadGenerated(golden),
      dev: true,
      env: { SHOP_TOKEN: "s" },
      backendUrls: { shop: backend.url },
      limits: { default: { callsPerMinute: 3, writesPerMinute: 1 }, tenants: {}, apps: {}, onStoreError: "open" },
      logger: createLogger("silent"),
    });
    ({ url } = await gateway.listen(0, "127.0.0.1"));
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it("over the limit: HTTP 429, Retry-After, and a JSON-RPC error naming the limit and its reset", async () => {
    for (let id = 1; id <= 3; id++) expect((await postRaw(url, call(id), headers)).status).toBe(200);
    const refused = await postRaw(url, call(4), headers);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = refused.json() as { id: number; error: { code: number; message: string; data: { limit: string; scope: string; value: number; retry_after_seconds: number; resets_at: string } } };
    expect(body.id).toBe(4);
    expect(body.error.code).toBe(-32000);
    expect(body.error.message).toMatch(/tenant acme .*3 calls per minute/);
    expect(body.error.data).toMatchObject({ limit: "calls_per_minute", scope: "tenant", value: 3 });
    expect(Date.parse(body.error.data.resets_at)).toBeGreaterThan(Date.now());
  });

  it("counts refusals in the metrics", async () => {
    const metrics = await (await fetch(new URL("/metrics", url))).text();
    expect(metrics).toMatch(/toolgate_limit_rejections_total\{kind="calls_per_minute",scope="tenant"\} [1-9]/);
    expect(metrics).toMatch(/toolgate_tool_calls_total\{tool="get_item",tenant="acme",outcome="limited"\} [1-9]/);
  });
});

const available = await serviceAvailable("Redis", redisUrl);

describe.skipIf(!available)("two gateway processes sharing Redis", () => {
  const children: ChildProcess[] = [];
  const prefix = `toolgate-test-${randomUUID()}:`;
  afterAll(async () => {
    for (const child of children) child.kill("SIGTERM");
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 100 })) if (keys.length) await redis.del(keys);
    await redis.quit();
  });

  it.each([
    { name: "calls per minute", limits: { default: { callsPerMinute: 25 } }, n: 25 },
    { name: "concurrent calls", limits: { default: { concurrent: 4 } }, n: 4, slow: true },
  ])("admit exactly N under concurrent load: $name", async ({ limits, n, slow }) => {
    const slowBackend = await startRecordingBackend(() => (slow ? { hang: true } : { body: { id: "i1", name: "Lamp" } }));
    const urls = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(process.execPath, [fileURLToPath(new URL("../support/gateway-process.ts", import.meta.url))], {
              env: { ...process.env, BACKEND_URL: slowBackend.url, REDIS_URL: redisUrl, TOOLGATE_REDIS_PREFIX: `${prefix}${n}:`, LIMITS: JSON.stringify({ tenants: {}, apps: {}, onStoreError: "closed", ...limits }) },
              stdio: ["ignore", "pipe", "pipe"],
            });
            children.push(child);
            let output = "";
            child.stdout!.on("data", (chunk) => {
              output += chunk;
              if (output.includes("\n")) resolve(output.trim());
            });
            child.stderr!.on("data", (chunk) => (output += chunk));
            child.once("exit", (code) => reject(new Error(`gateway exited with ${code}: ${output}`)));
          }),
      ),
    );
    const attempts = 40;
    const statuses = await Promise.all(
      Array.from({ length: attempts }, (_, index) => {
        const controller = new AbortController();
        // Admitted calls of the slow backend hang; they are counted once the others have answered.
        const request = fetch(urls[index % 2]!, { method: "POST", signal: controller.signal, headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers }, body: call(index) })
          .then((response) => response.status)
          .catch(() => 200);
        if (slow) setTimeout(() => controller.abort(), 3_000);
        return request;
      }),
    );
    await slowBackend.close();
    expect(statuses.filter((status) => status === 200)).toHaveLength(n);
    expect(statuses.filter((status) => status === 429)).toHaveLength(attempts - n);
  });
});
