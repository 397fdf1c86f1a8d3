import { relative } from "node:path";
import { dryRun, resolveSpecs, type GenerateOptions, type ToolDryRun } from "../generator/index.ts";

export interface ValidateOptions {
  /** Machine output: one JSON document on stdout. */
  readonly json: boolean;
  /** Only the summary (and the failures, on stderr). */
  readonly quiet: boolean;
  /** Limit the dry run to these tools (empty: every tool). */
  readonly tools: readonly string[];
}

/**
 * `toolgate validate`: checks the specs, then dry-runs every tool (see `dryRun`) and prints the
 * request each would send. Exit 1 when a tool's sample arguments fail its validation or its
 * request cannot be built, 2 for an unknown `--tool`.
 */
export async function validateCli(paths: GenerateOptions, options: ValidateOptions): Promise<number> {
  const model = resolveSpecs(paths);
  const known = new Set(model.tools.map((tool) => tool.name));
  const unknown = options.tools.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    process.stderr.write(`toolgate validate: no tool named ${unknown.map((name) => JSON.stringify(name)).join(", ")} in ${relative(paths.root, paths.specsDir) || "."}\n`);
    return 2;
  }
  const report = await dryRun(paths, model, options.tools.length > 0 ? new Set(options.tools) : undefined);
  const failed = report.tools.filter((tool) => tool.problems.length > 0);
  const where = (tool: ToolDryRun) => `${tool.source.file}:${tool.source.line}`;
  if (options.json) {
    const tools = report.tools.map((tool) => ({ ...tool, source: where(tool), request: tool.request ? { ...tool.request, body: tool.request.body ?? null } : null }));
    process.stdout.write(`${JSON.stringify({ ok: failed.length === 0, caller: report.caller, tools, summary: { tools: report.tools.length, failed: failed.length } }, null, 2)}\n`);
    return failed.length === 0 ? 0 : 1;
  }
  if (!options.quiet) for (const tool of report.tools) process.stdout.write(`${block(tool, where(tool))}\n`);
  for (const tool of failed) process.stderr.write(`toolgate validate: ${tool.name} (${where(tool)}): ${tool.problems.join("; ")}\n`);
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;
  process.stdout.write(
    failed.length === 0
      ? `specs are valid: ${count(model.tools.length, "tool")} on ${count(model.gateway.backends.length, "backend")}; ${count(report.tools.length, "sample request")} built, none sent (caller tenant "${report.caller.tenant}")\n`
      : `dry run failed for ${failed.length} of ${count(report.tools.length, "tool")}: ${failed.map((tool) => tool.name).join(", ")}\n`,
  );
  return failed.length === 0 ? 0 : 1;
}

/** One tool: its arguments, then the request as sent (request line, headers, body), then any notes and problems. */
function block(tool: ToolDryRun, where: string): string {
  const lines = [`${tool.name}  (${where})`, `  arguments: ${JSON.stringify(tool.arguments)}`];
  if (tool.request) {
    lines.push(`  ${tool.request.method} ${tool.request.url}`);
    for (const [name, value] of Object.entries(tool.request.headers)) lines.push(`  ${name}: ${value}`);
    const body = tool.request.body;
    if (body !== undefined && body.includes("\n")) lines.push("  body:", ...body.replace(/\r\n/g, "\n").replace(/\n$/, "").split("\n").map((line) => `    ${line}`));
    else if (body !== undefined) lines.push(`  body: ${body}`);
  }
  for (const note of tool.notes) lines.push(`  note: ${note}`);
  for (const problem of tool.problems) lines.push(`  ✗ ${problem}`);
  return `${lines.join("\n")}\n`;
}
