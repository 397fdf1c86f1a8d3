import { existsSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { StartupError } from "../errors.ts";
import type { GeneratedPrompt, GeneratedTool, Manifest, Policy } from "../handler-api.ts";

/** What `generated/index.js` exports. */
export interface GeneratedBundle {
  readonly manifest: Manifest;
  readonly policy: Policy;
  readonly tools: readonly GeneratedTool[];
  readonly prompts: readonly GeneratedPrompt[];
}

/** Imports `generated/` once. The runtime never reads specs or OpenAPI documents. */
export async function loadGenerated(directory: string): Promise<GeneratedBundle> {
  const entry = join(directory, "index.js");
  if (!existsSync(entry)) throw new StartupError(`${entry} not found: run \`toolgate generate\` first`);
  const bundle = (await import(pathToFileURL(entry).href)) as GeneratedBundle;
  if (bundle.manifest?.formatVersion !== 1) throw new StartupError(`${entry} was made by an incompatible toolgate version: run \`toolgate generate\` again`);
  return bundle;
}
