import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { DiffSourceError } from "./diff-source-error.ts";
import { surfaceFromFiles } from "./surface-from-files.ts";
import type { Surface } from "./types.ts";

/**
 * Reads the tool surface of a directory: a project root holding `generated/`, or a `generated/`
 * directory itself. Throws `DiffSourceError` when neither holds a manifest.
 */
export function readDirectorySurface(directory: string, label: string = directory): Surface {
  const generated = existsSync(join(directory, "generated", "manifest.json")) ? join(directory, "generated") : directory;
  if (!existsSync(join(generated, "manifest.json"))) {
    throw new DiffSourceError(`${label}: no generated/manifest.json or manifest.json in ${directory}; run \`toolgate generate\` first`);
  }
  const files = new Map<string, string>([["manifest.json", readFileSync(join(generated, "manifest.json"), "utf8")]]);
  const tools = join(generated, "tools");
  if (existsSync(tools) && statSync(tools).isDirectory()) {
    for (const name of readdirSync(tools)) {
      if (name.endsWith(".json")) files.set(`tools/${name}`, readFileSync(join(tools, name), "utf8"));
    }
  }
  return surfaceFromFiles(label, generated, files);
}
