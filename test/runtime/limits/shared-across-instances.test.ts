import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { LimitsModel } from "../../../runtime/limits/index.ts";
import { redisUrl, serviceAvailable } from "../../support/services.ts";
import { deleteKeys, uniquePrefix } from "./fixtures/redis-keys.ts";

const available = await serviceAvailable("Redis", redisUrl);
const child = fileURLToPath(new URL("./fixtures/acquire-in-child.ts", import.meta.url));

interface ChildResult {
  readonly admitted: number;
  readonly refused: number;
  readonly errors: number;
}

/** Starts `count` instances, lets them all fire at once, and collects what each admitted. */
async function runInstances(count: number, config: { prefix: string; limits: LimitsModel; calls: number; tenant: string }): Promise<ChildResult[]> {
  const children = Array.from({ length: count }, () => spawn(process.execPath, [child, JSON.stringify({ ...config, redisUrl })], { stdio: ["pipe", "pipe", "inherit"] }));
  const lines = children.map((process) => createInterface({ input: process.stdout })[Symbol.asyncIterator]());
  const next = async (index: number) => {
    const line = await lines[index]!.next();
    if (line.done === true) throw new Error(`instance ${index} exited early`);
    return line.value;
  };
  await Promise.all(children.map(async (_, index) => expect(await next(index)).toBe("ready")));
  for (const process of children) process.stdin.write("go\n");
  const results = await Promise.all(children.map(async (_, index) => JSON.parse(await next(index)) as ChildResult));
  await Promise.all(children.map((process) => new Promise((resolve) => (process.exitCode === null ? process.once("exit", resolve) : resolve(undefined)))));
  return results;
}

describe.skipIf(!available)("limits shared by two instances through Redis", () => {
  const prefixes: string[] = [];
  afterAll(async () => {
    for (const prefix of prefixes) await deleteKeys(redisUrl, prefix);
  });

  it.each([
    { name: "calls per minute", limits: { callsPerMinute: 37 }, want: 37 },
    { name: "writes per minute", limits: { writesPerMinute: 41 }, want: 41 },
    { name: "concurrent", limits: { concurrent: 33 }, want: 33 },
    { name: "backend calls per day", limits: { backendCallsPerDay: 45 }, want: 45 },
    { name: "calls per minute and concurrent together", limits: { callsPerMinute: 50, concurrent: 34 }, want: 34 },
  ])("$name: exactly N admitted in total, each instance firing at once", async ({ limits, want }) => {
    // Each instance fires 30 calls and N > 30, so neither can reach N alone: a total of exactly
    // N means both counted against one shared limit, and none got past it.
    const prefix = uniquePrefix("shared");
    prefixes.push(prefix);
    const results = await runInstances(2, { prefix, limits: { default: limits, tenants: {}, apps: {}, onStoreError: "closed" }, calls: 30, tenant: "acme" });
    expect(results.map((result) => result.errors)).toEqual([0, 0]);
    expect(results.reduce((sum, result) => sum + result.admitted, 0)).toBe(want);
    expect(results.reduce((sum, result) => sum + result.refused, 0)).toBe(60 - want);
  });
});
