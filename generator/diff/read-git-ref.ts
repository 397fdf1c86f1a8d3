import { execFile } from "node:child_process";
import { relative, resolve, sep } from "node:path";
import { DiffSourceError } from "./diff-source-error.ts";
import { surfaceFromFiles } from "./surface-from-files.ts";
import type { Surface } from "./types.ts";

/** Where to find the `generated/` directory of a commit. */
export interface GitSurfaceOptions {
  /** A directory inside the repository; `generatedDir` is relative to it. */
  readonly cwd: string;
  /** Any commit-ish git understands: `main`, `origin/main`, `HEAD~1`, a commit id, a tag. */
  readonly ref: string;
  /** The `generated/` directory, relative to `cwd` (default `generated`). */
  readonly generatedDir?: string;
}

/**
 * Reads the tool surface committed at a git ref, without checking it out: `git ls-tree` lists the
 * generated files and one `git cat-file --batch` reads them all (git is run directly, no shell).
 */
export async function readGitSurface({ cwd, ref, generatedDir = "generated" }: GitSurfaceOptions): Promise<Surface> {
  if (ref.startsWith("-") || ref.includes("\n")) throw new DiffSourceError(`"${ref}" is neither a directory nor a git ref`);
  const commit = (await git(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`]).catch((error: unknown) => {
    throw new DiffSourceError(`"${ref}" is neither a directory nor a git ref${gitDetail(error)}`);
  }))
    .toString("utf8")
    .trim();
  const directory = relative(cwd, resolve(cwd, generatedDir)).split(sep).join("/");
  // `<commit>:./path` is relative to the working directory (gitrevisions(7)), like generatedDir.
  const tree = `${commit}:${directory.startsWith("../") || directory === ".." ? directory : `./${directory}`}`;
  const listing = await git(cwd, ["ls-tree", "-z", "-r", tree]).catch((error: unknown) => {
    throw new DiffSourceError(`${ref}: cannot list ${directory || "."}/ in that commit${gitDetail(error)}`);
  });
  const wanted = generatedBlobs(listing.toString("utf8"));
  if (!wanted.some((blob) => blob.path === "manifest.json")) throw new DiffSourceError(`${ref}: ${directory || "."}/manifest.json is not in that commit; was generated/ committed?`);
  const contents = parseBatch(await git(cwd, ["cat-file", "--batch"], `${wanted.map((blob) => blob.oid).join("\n")}\n`));
  const files = new Map(wanted.map((blob, index) => [blob.path, contents[index]!] as const));
  return surfaceFromFiles(ref, `${ref}:${directory}`, files);
}

interface Blob {
  readonly oid: string;
  readonly path: string;
}

// `ls-tree -z` lines: "<mode> SP <type> SP <oid> TAB <path>" ended by NUL.
function generatedBlobs(listing: string): Blob[] {
  const blobs: Blob[] = [];
  for (const line of listing.split("\0")) {
    const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(line);
    if (match && (match[2] === "manifest.json" || /^tools\/[^/]+\.json$/.test(match[2]!))) blobs.push({ oid: match[1]!, path: match[2]! });
  }
  return blobs;
}

// `cat-file --batch` answers each object as "<oid> SP <type> SP <size> LF <content> LF".
function parseBatch(output: Buffer): string[] {
  const contents: string[] = [];
  let at = 0;
  while (at < output.length) {
    const end = output.indexOf(0x0a, at);
    const header = output.toString("utf8", at, end);
    const size = Number(header.split(" ")[2]);
    if (end < 0 || !Number.isInteger(size)) throw new DiffSourceError(`git cat-file gave an unexpected answer: ${header}`);
    contents.push(output.toString("utf8", end + 1, end + 1 + size));
    at = end + 1 + size + 1;
  }
  return contents;
}

class GitFailure extends Error {
  readonly stderr: string;

  constructor(message: string, stderr: string) {
    super(message);
    this.name = "GitFailure";
    this.stderr = stderr;
  }
}

function gitDetail(error: unknown): string {
  const text = error instanceof GitFailure ? error.stderr.trim().split("\n")[0] : undefined;
  return text ? ` (git: ${text})` : "";
}

function git(cwd: string, args: readonly string[], input?: string): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const child = execFile("git", args, { cwd, encoding: "buffer", maxBuffer: 1 << 30 }, (error, stdout, stderr) => {
      if (error && (error as NodeJS.ErrnoException).code === "ENOENT") reject(new DiffSourceError("git is not installed (or not on PATH); give a directory instead of a git ref"));
      else if (error) reject(new GitFailure(error.message, stderr.toString("utf8")));
      else resolvePromise(stdout);
    });
    // git may exit without reading its input (a bad ref); its exit status tells, not EPIPE.
    child.stdin?.on("error", () => {});
    if (input === undefined) child.stdin?.end();
    else child.stdin?.end(input);
  });
}
