#!/usr/bin/env node
// toolgate is written in TypeScript and run by Node's own type stripping (on by default from
// Node 22.18 and in Node 24). On an older Node 22, re-run this command with the flag that enables it.
import { spawnSync } from "node:child_process";
import module from "node:module";
import { fileURLToPath } from "node:url";

// Node's compile cache (in os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE): a run after
// the first skips stripping and compiling the modules that did not change, the runtime's and
// generated/'s at start-up (Stripe: ~0.95 s -> ~0.65 s of CPU) and TypeScript's 9 MB in
// generate's worker thread, which inherits it through the environment. It never fails a run.
const compileCache = module.enableCompileCache?.();
if (compileCache?.directory) process.env.NODE_COMPILE_CACHE ??= compileCache.directory;

if (process.features.typescript) {
  await import("./cli.ts");
} else {
  const flags = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"];
  const result = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
