// Generator and runtime speed on the largest real document (Stripe, 468 operations), for
// `npm run bench`: generation time and peak memory, then (in a fresh process) start-up time
// with every tool loaded and tools/list latency. Prints one line per figure with its target.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../generator/index.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const stripe = join(root, "../shared/openapi-corpus/13-stripe-spec3-2023-08-16.yaml");

/** Generation, measured in this process; the runtime part runs in a child (see `serve` below). */
export async function benchStripe(): Promise<void> {
  if (!existsSync(stripe)) {
    console.log(`\nStripe timings skipped: ${stripe} is not here`);
    return;
  }
  const work = join(root, "bench/.tmp/stripe");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "specs/tools"), { recursive: true });
  writeFileSync(join(work, "specs/gateway.yaml"), `version: 1\nresource: http://127.0.0.1:3000/mcp\nbackends:\n  stripe:\n    openapi: ${JSON.stringify(stripe)}\n    base_url: http://127.0.0.1:9\n`);
  writeFileSync(join(work, "specs/tools/all.yaml"), "import:\n  - backend: stripe\n");
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "generate", work], { stdio: ["ignore", "pipe", "inherit"] });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  await new Promise((resolve) => child.once("exit", resolve));
  const generated = JSON.parse(output.trim().split("\n").at(-1) ?? "{}") as { seconds?: number; peakMb?: number; tools?: number };
  const served = await serveAndMeasure(join(work, "generated"));
  console.log(`\nStripe, ${generated.tools} operations (issue 6 targets, reported):`);
  console.log(`  generate: ${generated.seconds?.toFixed(1)} s, peak memory ${generated.peakMb?.toFixed(0)} MB (targets < 5 s, < 1024 MB) → ${(generated.seconds ?? Infinity) < 5 && (generated.peakMb ?? Infinity) < 1024 ? "PASS" : "FAIL"}`);
  console.log(`  runtime start with every tool loaded: ${served.startSeconds.toFixed(2)} s (target < 1 s) → ${served.startSeconds < 1 ? "PASS" : "FAIL"}`);
  console.log(`  tools/list page: p50 ${served.listP50Ms.toFixed(2)} ms (target < 2 ms) → ${served.listP50Ms < 2 ? "PASS" : "FAIL"}`);
  rmSync(work, { recursive: true, force: true });
}

/** Starts a gateway on the generated Stripe tools in a fresh process, then times tools/list. */
async function serveAndMeasure(generatedDir: string): Promise<{ startSeconds: number; listP50Ms: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), "serve", generatedDir], { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, TOOLGATE_AUDIT_DB: ":memory:", LOG_LEVEL: "warn" } });
  const line = await new Promise<string>((resolve) => {
    let text = "";
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (text.includes("\n")) resolve(text.trim());
    });
  });
  const { url, startSeconds } = JSON.parse(line) as { url: string; startSeconds: number };
  const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" });
  const headers = { "content-type": "application/json", accept: "application/json, text/event-stream" };
  const times: number[] = [];
  for (let index = 0; index < 300; index++) {
    const started = performance.now();
    await (await fetch(url, { method: "POST", headers, body })).text();
    if (index >= 50) times.push(performance.now() - started);
  }
  child.kill("SIGTERM");
  times.sort((a, b) => a - b);
  return { startSeconds, listP50Ms: times[Math.floor(times.length / 2)]! };
}

const [mode, directory] = process.argv.slice(2);
if (mode === "generate") {
  const started = performance.now();
  await generate({ root, specsDir: join(directory!, "specs"), outDir: join(directory!, "generated") });
  const seconds = (performance.now() - started) / 1000;
  const { loadGenerated } = await import("../runtime/index.ts");
  const tools = (await loadGenerated(join(directory!, "generated"))).tools.length;
  process.stdout.write(`${JSON.stringify({ seconds, peakMb: process.resourceUsage().maxRSS / 1024, tools })}\n`);
} else if (mode === "serve") {
  const { createGateway, createLogger } = await import("../runtime/index.ts");
  const gateway = await createGateway({ generatedDir: directory!, dev: true, env: {}, logger: createLogger("error") });
  const { url } = await gateway.listen(0, "127.0.0.1");
  process.stdout.write(`${JSON.stringify({ url, startSeconds: performance.now() / 1000 })}\n`);
  process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
}
