#!/usr/bin/env node
// toolgate is written in TypeScript and run by Node's own type stripping (on by default from
// Node 22.18 and in Node 24). On an older Node 22, re-run this command with the flag that enables it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

if (process.features.typescript) {
  await import("./cli.ts");
} else {
  const flags = ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"];
  const result = spawnSync(process.execPath, [...flags, fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: "inherit" });
  process.exit(result.status ?? 1);
}
