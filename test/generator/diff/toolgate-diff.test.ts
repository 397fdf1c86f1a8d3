import { execFile, execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `toolgate diff` run as CI runs it, on copies of the golden fixture output with one change each.
const bin = fileURLToPath(new URL("../../../bin/toolgate.js", import.meta.url));
const golden = fileURLToPath(new URL("../golden/basic", import.meta.url));
const workspace = mkdtempSync(join(tmpdir(), "toolgate-diff-"));
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function toolgate(cwd: string, args: readonly string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

type Json = Record<string, any>;

function editJson(file: string, edit: (value: Json) => void): void {
  const value = JSON.parse(readFileSync(file, "utf8")) as Json;
  edit(value);
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

/** A project root holding a copy of the golden `generated/`, with `mutate` applied to it. */
function project(name: string, mutate: (generated: string) => void = () => {}): string {
  const root = join(workspace, name);
  cpSync(golden, join(root, "generated"), { recursive: true });
  mutate(join(root, "generated"));
  return root;
}

const addRequiredSku = (generated: string) =>
  editJson(join(generated, "tools/create_item.json"), (tool) => {
    tool.inputSchema.properties.sku = { type: "string" };
    tool.inputSchema.required.push("sku");
  });

interface Case {
  readonly name: string;
  readonly mutate: (generated: string) => void;
  readonly code: number;
  readonly want: readonly string[];
}

const cases: Case[] = [
  { name: "no change", mutate: () => {}, code: 0, want: ["no changes"] },
  { name: "a new required argument", mutate: addRequiredSku, code: 1, want: ['  BREAKING create_item: new required argument "sku"', "1 breaking change, 0 other changes"] },
  {
    name: "a description change only",
    mutate: (generated) => editJson(join(generated, "tools/list_items.json"), (tool) => void (tool.description = "Lists the items.")),
    code: 0,
    want: ["  info     list_items: description changed", "0 breaking changes, 1 other change"],
  },
  {
    name: "a renamed tool",
    mutate: (generated) => {
      renameSync(join(generated, "tools/get_item.json"), join(generated, "tools/fetch_item.json"));
      editJson(join(generated, "tools/fetch_item.json"), (tool) => void (tool.name = "fetch_item"));
      editJson(join(generated, "manifest.json"), (manifest) => void (manifest.tools.find((tool: Json) => tool.name === "get_item").name = "fetch_item"));
    },
    code: 1,
    want: ["  BREAKING fetch_item: renamed get_item → fetch_item (same backend operation)"],
  },
];

describe("toolgate diff <directory> --head <directory>", () => {
  const base = project("base");

  it.each(cases)("$name: exit $code", async ({ name, mutate, code, want }) => {
    const head = project(`head-${name.replaceAll(" ", "-")}`, mutate);
    const run = await toolgate(workspace, ["diff", base, "--head", head]);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(code);
    expect(run.stdout.split("\n")).toEqual(expect.arrayContaining([...want]));
  });

  it("reads a generated/ directory given directly, and --json is a report for machines", async () => {
    const head = project("head-json", addRequiredSku);
    const run = await toolgate(workspace, ["diff", join(base, "generated"), "--head", join(head, "generated"), "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ breaking: 1, info: 0, changes: [{ severity: "breaking", kind: "argument-required", tool: "create_item", argument: "sku", message: 'new required argument "sku"' }] });
  });

  it("compares with the working tree's generated/ by default", async () => {
    const head = project("head-default", addRequiredSku);
    const run = await toolgate(head, ["diff", base]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`Tool surface ${base} → generated\n`);
  });

  const usage: { name: string; args: string[]; stderr: string }[] = [
    { name: "no base", args: ["diff"], stderr: "toolgate diff: give exactly one base version" },
    { name: "a base that is neither a directory nor a git ref", args: ["diff", "no-such-thing"], stderr: 'toolgate diff: "no-such-thing" is neither a directory nor a git ref' },
    { name: "a directory without generated files", args: ["diff", "."], stderr: "no generated/manifest.json or manifest.json" },
    { name: "an unknown option", args: ["diff", "base", "--strict"], stderr: "Unknown option '--strict'" },
  ];
  it.each(usage)("exit 2: $name", async ({ args, stderr }) => {
    const run = await toolgate(workspace, args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(stderr);
  });
});

describe("toolgate diff <git ref>", () => {
  const repo = join(workspace, "repo");
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=toolgate", "-c", "user.email=toolgate@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, stdio: "pipe" });

  beforeAll(() => {
    mkdirSync(repo);
    git("init", "--quiet");
    cpSync(golden, join(repo, "generated"), { recursive: true });
    git("add", "generated");
    git("commit", "--quiet", "-m", "first");
    editJson(join(repo, "generated/tools/create_item.json"), (tool) => tool.inputSchema.required.push("price"));
    git("commit", "--quiet", "-am", "price required");
  });

  it("reads the base from a commit: exit 1 on a breaking change", async () => {
    const run = await toolgate(repo, ["diff", "HEAD~1"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('  BREAKING create_item: argument "price" became required\n');
  });

  it("compares two refs with --head", async () => {
    const run = await toolgate(repo, ["diff", "HEAD~1", "--head", "HEAD", "--json"]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ base: "HEAD~1", head: "HEAD", breaking: 1 });
  });

  it("exit 0 when the working tree has the committed surface", async () => {
    const run = await toolgate(repo, ["diff", "HEAD"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toContain("no changes");
  });

  it("sees an uncommitted change in the working tree", async () => {
    const manifest = join(repo, "generated/manifest.json");
    const committed = readFileSync(manifest, "utf8");
    editJson(manifest, (value) => void (value.tools = value.tools.filter((tool: Json) => tool.name !== "archive_item")));
    try {
      const run = await toolgate(repo, ["diff", "HEAD"]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("  BREAKING archive_item: tool removed\n");
    } finally {
      writeFileSync(manifest, committed);
    }
  });

  it("exit 2 for a commit without generated/", async () => {
    const run = await toolgate(repo, ["diff", "HEAD", "--generated", "elsewhere"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("toolgate diff: HEAD: cannot list elsewhere/ in that commit");
  });
});
