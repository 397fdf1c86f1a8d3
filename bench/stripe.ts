// Generator and runtime speed on the largest real document (Stripe, 468 operations), for
// `npm run bench` (alone: `BENCH_ONLY=stripe npm run bench`): generation time and peak memory,
// then start-up time with every tool loaded and tools/list latency. Every figure is the median
// of several runs, each in a fresh process (the machine is shared and noisy); one line per
// figure with its target and PASS or FAIL. Each process uses Node's compile cache as
// `bin/toolgate.js` does, in a directory of its own that starts empty: the first generation
// and the first start are cold, and are reported apart.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const stripe = join(root, "../shared/openapi-corpus/13-stripe-spec3-2023-08-16.yaml");
const generateRuns = Number(process.env.BENCH_STRIPE_GENERATE_RUNS ?? 3);
const startRuns = Number(process.env.BENCH_STRIPE_START_RUNS ?? 5);

interface GenerateRun {
  /** `generate()` itself, in a process that has already loaded the generator. */
  readonly seconds: number;
  /** The whole process, as `toolgate generate` takes it: start, loading the generator, generating. */
  readonly processSeconds: number;
  readonly peakMb: number;
  readonly tools: number;
}

interface ServeRun {
  readonly startSeconds: number;
  readonly listP50Ms: number;
  readonly firstPageBytes: number;
  readonly pages: number;
}

/** Runs the Stripe figures; resolves true when every target is met. */
export async function benchStripe(): Promise<boolean> {
  if (!existsSync(stripe)) {
    console.log(`\nStripe timings skipped: ${stripe} is not here`);
    return true;
  }
  const work = join(root, "bench/.tmp/stripe");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "specs/tools"), { recursive: true });
  writeFileSync(join(work, "specs/gateway.yaml"), `version: 1\nresource: http://127.0.0.1:3000/mcp\nbackends:\n  stripe:\n    openapi: ${JSON.stringify(stripe)}\n    base_url: http://127.0.0.1:9\n`);
  writeFileSync(join(work, "specs/tools/all.yaml"), "import:\n  - backend: stripe\n");
  // As bin/toolgate.js enables it; the environment variable also reaches generate's worker thread.
  const env = { ...process.env, NODE_COMPILE_CACHE: join(work, "compile-cache") };
  const generated: GenerateRun[] = [];
  for (let run = 0; run < generateRuns; run++) {
    // A fresh output directory each time: the first generation of a large API is what is measured.
    rmSync(join(work, "generated"), { recursive: true, force: true });
    const started = performance.now();
    const line = await runChild(["generate", work], env);
    generated.push({ ...(JSON.parse(line) as Omit<GenerateRun, "processSeconds">), processSeconds: (performance.now() - started) / 1000 });
  }
  const served: ServeRun[] = [];
  for (let run = 0; run < startRuns; run++) served.push(await serveAndMeasure(join(work, "generated"), env));

  const seconds = median(generated.map((run) => run.seconds));
  const processSeconds = median(generated.map((run) => run.processSeconds));
  const peakMb = median(generated.map((run) => run.peakMb));
  const startSeconds = median(served.map((run) => run.startSeconds));
  const listP50Ms = median(served.map((run) => run.listP50Ms));
  const verdict = (pass: boolean) => (pass ? "PASS" : "FAIL");
  const passes = [seconds < 5, peakMb < 1024, startSeconds < 1, listP50Ms < 2];
  console.log(`\nStripe, ${generated[0]!.tools} operations (issue 6 targets; medians of ${generateRuns} generations and ${startRuns} start-ups, each in a fresh process):`);
  console.log(`  generate: ${seconds.toFixed(2)} s (target < 5 s; first, compile cache cold: ${generated[0]!.seconds.toFixed(2)} s; the whole \`toolgate generate\` process ${processSeconds.toFixed(2)} s) → ${verdict(passes[0]!)}`);
  console.log(`  generate: peak memory ${peakMb.toFixed(0)} MB (target < 1024 MB) → ${verdict(passes[1]!)}`);
  console.log(`  runtime start with every tool loaded: ${startSeconds.toFixed(2)} s (target < 1 s; first, compile cache cold: ${served[0]!.startSeconds.toFixed(2)} s) → ${verdict(passes[2]!)}`);
  console.log(`  tools/list page: p50 ${listP50Ms.toFixed(2)} ms (target < 2 ms; first page ${(served[0]!.firstPageBytes / 1024).toFixed(0)} KiB of ${served[0]!.pages} pages) → ${verdict(passes[3]!)}`);
  console.log(`  runs: generate ${generated.map((run) => run.seconds.toFixed(2)).join(", ")} s; peak ${generated.map((run) => run.peakMb.toFixed(0)).join(", ")} MB; start ${served.map((run) => run.startSeconds.toFixed(2)).join(", ")} s; list p50 ${served.map((run) => run.listP50Ms.toFixed(2)).join(", ")} ms`);
  rmSync(work, { recursive: true, force: true });
  return passes.every(Boolean);
}

/** Starts a gateway on the generated Stripe tools in a fresh process, then times tools/list (every page, first page's figure reported). */
async function serveAndMeasure(generatedDir: string, env: NodeJS.ProcessEnv): Promise<ServeRun> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "serve", generatedDir], { stdio: ["ignore", "pipe", "inherit"], env: { ...env, TOOLGATE_AUDIT_DB: ":memory:", LOG_LEVEL: "warn" } });
  const line = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.trim());
    });
    child.once("exit", (code) => reject(new Error(`the Stripe gateway exited with ${code}`)));
  });
  const { url, startSeconds } = JSON.parse(line) as { url: string; startSeconds: number };
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  const list = async (cursor?: string) => {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list", ...(cursor ? { params: { cursor } } : {}) });
    return (await fetch(url, { method: "POST", headers, body })).text();
  };
  const first = await list();
  let pages = 1;
  for (let cursor = (JSON.parse(first) as { result: { nextCursor?: string } }).result.nextCursor; cursor !== undefined; pages++) {
    cursor = (JSON.parse(await list(cursor)) as { result: { nextCursor?: string } }).result.nextCursor;
  }
  const times: number[] = [];
  for (let index = 0; index < 300; index++) {
    const started = performance.now();
    await list();
    if (index >= 50) times.push(performance.now() - started);
  }
  child.removeAllListeners("exit");
  child.kill("SIGTERM");
  return { startSeconds, listP50Ms: median(times), firstPageBytes: Buffer.byteLength(first), pages };
}

/** Runs this file in a child process in `mode`; resolves with the last line it printed. */
async function runChild(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), ...args], { stdio: ["ignore", "pipe", "inherit"], env });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  const code = await new Promise((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`bench/stripe.ts ${args[0]} exited with ${code}`);
  return output.trim().split("\n").at(-1) ?? "{}";
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const [mode, directory] = process.argv.slice(2);
if (mode === "generate") {
  const { generate } = await import("../generator/index.ts");
  const started = performance.now();
  await generate({ root, specsDir: join(directory!, "specs"), outDir: join(directory!, "generated") });
  const seconds = (performance.now() - started) / 1000;
  const tools = (JSON.parse(readFileSync(join(directory!, "generated/manifest.json"), "utf8")) as { tools: unknown[] }).tools.length;
  process.stdout.write(`${JSON.stringify({ seconds, peakMb: process.resourceUsage().maxRSS / 1024, tools })}\n`);
} else if (mode === "serve") {
  const { createGateway, createLogger } = await import("../runtime/index.ts");
  const gateway = await createGateway({ generatedDir: directory!, dev: true, env: {}, logger: createLogger("error") });
  const { url } = await gateway.listen(0, "127.0.0.1");
  // From the process's start: Node itself, importing the runtime and generated/, building the gateway.
  process.stdout.write(`${JSON.stringify({ url, startSeconds: performance.now() / 1000 })}\n`);
  process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
}
