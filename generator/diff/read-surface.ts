import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { readDirectorySurface } from "./read-directory.ts";
import { readGitSurface } from "./read-git-ref.ts";
import type { Surface } from "./types.ts";

/** Where `toolgate diff` looks for a version. */
export interface ReadSurfaceOptions {
  /** The project root: relative directories and the git repository are resolved from it. */
  readonly cwd: string;
  /** For a git ref: the `generated/` directory in the commit, relative to `cwd` (default `generated`). */
  readonly generatedDir?: string;
}

/**
 * Reads one version's tool surface. `version` is a directory when one exists at that path (a
 * project root or a `generated/` directory), otherwise a git ref. Throws `DiffSourceError` when it
 * is neither, or when what it names holds no generated tools.
 */
export async function readSurface(version: string, options: ReadSurfaceOptions): Promise<Surface> {
  const directory = resolve(options.cwd, version);
  if (existsSync(directory) && statSync(directory).isDirectory()) return readDirectorySurface(directory, version);
  return readGitSurface({ cwd: options.cwd, ref: version, ...(options.generatedDir !== undefined ? { generatedDir: options.generatedDir } : {}) });
}
