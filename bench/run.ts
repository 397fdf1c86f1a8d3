// npm run bench: tools/call get_company through the gateway — bare, with limits and audit, with
// authentication too, and with limits in Redis — against the sample backend called directly and
// a minimal hand-written JSON-RPC proxy (the ceiling), measured in the same run and printed as
// ratios. Every server is a separate process on loopback. BENCH_SPLIT=1 adds limits-only and
// audit-only variants, to see which of the two costs what. Then the Stripe figures (generation,
// start-up and tools/list of a 468-tool API; bench/stripe.ts): BENCH_SKIP_STRIPE=1 leaves them
// out, BENCH_ONLY=stripe runs only them.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { runLoad, type LoadResult, type LoadTarget } from "./load.ts";
import { benchStripe } from "./stripe.ts";
// test/support/net.ts needs nothing but node:net, so the bench shares it.
import { freePort } from "../test/support/net.ts";
import { connect } from "node:net";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "3" }, rounds: { type: "string", default: "3" }, concurrency: { type: "string", default: "1,32" } } });
const seconds = Number(values.seconds);
const rounds = Number(values.rounds);
const levels = values.concurrency.split(",").map(Number);
const root = fileURLToPath(new URL("../", import.meta.url));
const token = "bench-backend-token";
const children: ChildProcess[] = [];
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const redisAvailable = await new Promise<boolean>((resolve) => {
  const { hostname, port } = new URL(redisUrl);
  const socket = connect({ host: hostname, port: Number(port) }, () => {
    socket.destroy();
    resolve(true);
  });
  socket.once("error", () => resolve(false));
});
const processes = new Map<string, ChildProcess>();

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(child: ChildProcess | undefined): number {
  try {
    const fields = readFileSync(`/proc/${child!.pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime and stime, in clock ticks (USER_HZ = 100)
  } catch {
    return NaN;
  }
}

async function main(): Promise<number> {
  if (process.env.BENCH_ONLY === "stripe") return (await benchStripe()) ? 0 : 1;
  const backendPort = await freePort();
  const proxyPort = await freePort();
  const backend = `http://127.0.0.1:${backendPort}`;
  const env = { ...process.env, SAMPLE_BACKEND_TOKEN: token, LOG_LEVEL: "warn", TOOLGATE_BACKEND_CS_URL: `${backend}/tenants/{tenant}` };
  await start("sample backend, direct", ["examples/sample-backend/server.ts"], { ...env, PORT: String(backendPort) }, "listening");
  await start("raw JSON-RPC proxy (ceiling)", ["bench/raw-proxy.ts"], { ...env, PORT: String(proxyPort), BACKEND_URL: backend }, "listening");
  const variants: { name: string; env: Record<string, string> }[] = [
    { name: "gateway", env: {} },
    { name: "gateway + limits + audit", env: { GUARDS: "on" } },
    ...(process.env.BENCH_SPLIT ? [{ name: "gateway + limits", env: { LIMITS: "on" } }, { name: "gateway + audit", env: { AUDIT: "on" } }] : []),
    { name: "gateway + auth + limits + audit", env: { GUARDS: "on", AUTH: "on" } },
    ...(redisAvailable ? [{ name: "gateway + limits (Redis) + audit", env: { GUARDS: "on", REDIS_URL: redisUrl } }] : []),
  ];
  const gatewayPorts = new Map<string, { port: number; token: string | undefined }>();
  for (const variant of variants) {
    const port = await freePort();
    const output = await start(variant.name, ["bench/gateway.ts"], { ...env, ...variant.env, PORT: String(port) }, "gateway listening");
    gatewayPorts.set(variant.name, { port, token: /^token (\S+)$/m.exec(output)?.[1] });
  }

  const list = await fetch(`${backend}/tenants/acme/companies?limit=1`, { headers: { authorization: `Bearer ${token}` } });
  const companyId = String(((await list.json()) as { data: { id: string }[] }).data[0]!.id);
  const call = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_company", arguments: { company_id: companyId } } });
  const mcpHeaders = (port: number) => ({ host: `127.0.0.1:${port}`, "content-type": "application/json", accept: "application/json, text/event-stream", "mcp-protocol-version": "2025-11-25" });
  const mcpVerify = (status: number, body: string) => status === 200 && body.includes(companyId) && body.includes('"structuredContent"') && !body.includes('"isError":true');
  const targets: Record<string, LoadTarget> = {
    "sample backend, direct": {
      origin: backend, method: "GET", path: `/tenants/acme/companies/${encodeURIComponent(companyId)}`,
      headers: { authorization: `Bearer ${token}`, accept: "application/json" }, verify: (status, body) => status === 200 && body.includes(companyId),
    },
    "raw JSON-RPC proxy (ceiling)": { origin: `http://127.0.0.1:${proxyPort}`, method: "POST", path: "/mcp", headers: mcpHeaders(proxyPort), body: call, verify: mcpVerify },
  };
  for (const [name, { port, token: accessToken }] of gatewayPorts) {
    targets[name] = { origin: `http://127.0.0.1:${port}`, method: "POST", path: "/mcp", headers: { ...mcpHeaders(port), ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) }, body: call, verify: mcpVerify };
  }

  // The machine is noisy and the systems share its two cores: run the systems in turn, several
  // rounds, and keep each system's median round, so no system always runs first or last.
  const results = new Map<string, LoadResult>();
  for (const concurrency of levels) {
    const samples = new Map<string, LoadResult[]>();
    for (let round = 0; round < rounds; round++) {
      for (const [name, target] of Object.entries(targets)) {
        const list = samples.get(name) ?? [];
        const server = processes.get(name);
        const before = cpuSeconds(server);
        const result = await runLoad(target, concurrency, seconds);
        // Approximate: the CPU of the whole run (warm-up included) over the measured calls' rate.
        const cpu = cpuSeconds(server) - before;
        list.push({ ...result, cpuMicrosPerCall: (cpu / (result.callsPerSecond * (seconds + 1))) * 1e6 } as LoadResult);
        samples.set(name, list);
      }
    }
    for (const [name, list] of samples) {
      const sorted = [...list].sort((a, b) => a.callsPerSecond - b.callsPerSecond);
      const errors = list.reduce((sum, result) => sum + result.errors, 0);
      results.set(`${name}@${concurrency}`, { ...sorted[Math.floor(sorted.length / 2)]!, errors });
    }
  }

  console.log(`\ntools/call get_company: median of ${rounds} rounds of ${seconds}s (after 1s warm-up each), loopback, ${levels.join(" and ")} concurrent callers\n`);
  console.log(`${"system".padEnd(30)} ${"conc".padStart(4)} ${"calls/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(6)} ${"CPU µs/call".padStart(11)}  ratio to ceiling`);
  let failed = false;
  for (const concurrency of levels) {
    const ceiling = results.get(`raw JSON-RPC proxy (ceiling)@${concurrency}`)!;
    for (const name of Object.keys(targets)) {
      const result = results.get(`${name}@${concurrency}`)!;
      const ratio = result.callsPerSecond / ceiling.callsPerSecond;
      failed ||= result.errors > 0;
      const cpu = (result as LoadResult & { cpuMicrosPerCall?: number }).cpuMicrosPerCall;
      const cpuText = cpu === undefined || Number.isNaN(cpu) ? "-" : cpu.toFixed(0);
      console.log(`${name.padEnd(30)} ${String(concurrency).padStart(4)} ${result.callsPerSecond.toFixed(0).padStart(9)} ${result.p50Ms.toFixed(2).padStart(8)} ${result.p99Ms.toFixed(2).padStart(8)} ${String(result.errors).padStart(6)} ${cpuText.padStart(11)}  ${ratio.toFixed(2)}`);
    }
  }
  if (levels.includes(32)) {
    const at32 = (name: string) => results.get(`${name}@32`)!;
    const bar = at32("gateway").callsPerSecond / at32("raw JSON-RPC proxy (ceiling)").callsPerSecond;
    const guardCost = 1 - at32("gateway + limits + audit").callsPerSecond / at32("gateway").callsPerSecond;
    const cpu = (name: string) => (at32(name) as LoadResult & { cpuMicrosPerCall?: number }).cpuMicrosPerCall ?? NaN;
    console.log(`\nbar (issue 2): gateway ≥ 0.50 of the ceiling's throughput at concurrency 32: ${bar.toFixed(2)} → ${bar >= 0.5 ? "PASS" : "FAIL"}`);
    console.log(`bar (issue 4): limits + audit (in process) cost ≤ 15% of the gateway's throughput at concurrency 32: ${(guardCost * 100).toFixed(1)}% (CPU per call ${cpu("gateway").toFixed(0)} → ${cpu("gateway + limits + audit").toFixed(0)} µs) → ${guardCost <= 0.15 ? "PASS" : "FAIL"}`);
    if (results.has("gateway + limits (Redis) + audit@32")) {
      const redisCost = 1 - at32("gateway + limits (Redis) + audit").callsPerSecond / at32("gateway").callsPerSecond;
      console.log(`reported: limits in Redis + audit cost ${(redisCost * 100).toFixed(1)}% of the gateway's throughput (CPU per call ${cpu("gateway + limits (Redis) + audit").toFixed(0)} µs)`);
    }
    failed ||= bar < 0.5 || guardCost > 0.15;
  }
  // Issue 6's generator and large-API targets.
  if (!process.env.BENCH_SKIP_STRIPE) failed = !(await benchStripe()) || failed;
  return failed ? 1 : 0;
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<string> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  processes.set(name, child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve(output);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${name} did not start within 20 s:\n${output}`)), 20_000).unref();
  });
}

main()
  .then((code) => (process.exitCode = code))
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill("SIGTERM");
  });
