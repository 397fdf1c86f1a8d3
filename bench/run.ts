// npm run bench: tools/call get_company through the gateway, against the sample backend called
// directly and against a minimal hand-written JSON-RPC proxy (the ceiling), measured in the
// same run and printed as ratios. Every server is a separate process on loopback.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runLoad, type LoadResult, type LoadTarget } from "./load.ts";

const { values } = parseArgs({ options: { seconds: { type: "string", default: "5" }, concurrency: { type: "string", default: "1,32" } } });
const seconds = Number(values.seconds);
const levels = values.concurrency.split(",").map(Number);
const root = fileURLToPath(new URL("../", import.meta.url));
const token = "bench-backend-token";
const children: ChildProcess[] = [];

async function main(): Promise<number> {
  const [backendPort, proxyPort, gatewayPort] = [await freePort(), await freePort(), await freePort()];
  const backend = `http://127.0.0.1:${backendPort}`;
  const env = { ...process.env, SAMPLE_BACKEND_TOKEN: token, LOG_LEVEL: "warn" };
  await start("sample backend", ["examples/sample-backend/server.ts"], { ...env, PORT: String(backendPort) }, "listening");
  await start("raw proxy", ["bench/raw-proxy.ts"], { ...env, PORT: String(proxyPort), BACKEND_URL: backend }, "listening");
  await start("gateway", ["bin/toolgate.js", "serve", "--dev", "--port", String(gatewayPort)], { ...env, TOOLGATE_BACKEND_CS_URL: `${backend}/tenants/{tenant}` }, "toolgate is serving MCP");

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
    "toolgate gateway": { origin: `http://127.0.0.1:${gatewayPort}`, method: "POST", path: "/mcp", headers: mcpHeaders(gatewayPort), body: call, verify: mcpVerify },
  };

  const results = new Map<string, LoadResult>();
  for (const concurrency of levels) {
    for (const [name, target] of Object.entries(targets)) {
      results.set(`${name}@${concurrency}`, await runLoad(target, concurrency, seconds));
    }
  }

  console.log(`\ntools/call get_company, ${seconds}s per run after 1s warm-up, loopback, ${levels.join(" and ")} concurrent callers\n`);
  console.log(`${"system".padEnd(30)} ${"conc".padStart(4)} ${"calls/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(6)}  ratio to ceiling`);
  let failed = false;
  for (const concurrency of levels) {
    const ceiling = results.get(`raw JSON-RPC proxy (ceiling)@${concurrency}`)!;
    for (const name of Object.keys(targets)) {
      const result = results.get(`${name}@${concurrency}`)!;
      const ratio = result.callsPerSecond / ceiling.callsPerSecond;
      failed ||= result.errors > 0;
      console.log(`${name.padEnd(30)} ${String(concurrency).padStart(4)} ${result.callsPerSecond.toFixed(0).padStart(9)} ${result.p50Ms.toFixed(2).padStart(8)} ${result.p99Ms.toFixed(2).padStart(8)} ${String(result.errors).padStart(6)}  ${ratio.toFixed(2)}`);
    }
  }
  const bar = levels.includes(32) ? results.get("toolgate gateway@32")!.callsPerSecond / results.get("raw JSON-RPC proxy (ceiling)@32")!.callsPerSecond : undefined;
  if (bar !== undefined) {
    const pass = bar >= 0.5;
    failed ||= !pass;
    console.log(`\nbar (issue 2): gateway ≥ 0.50 of the ceiling's throughput at concurrency 32: ${bar.toFixed(2)} → ${pass ? "PASS" : "FAIL"}`);
  }
  return failed ? 1 : 0;
}

function start(name: string, args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<void> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(ready)) resolve();
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${name} exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${name} did not start within 20 s:\n${output}`)), 20_000).unref();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
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
