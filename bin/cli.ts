import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, relative } from "node:path";
import {
  checkGenerated,
  convertSwagger,
  defaultBackendName,
  DiffSourceError,
  diffSurfaces,
  formatDiffJson,
  formatDiffText,
  generate,
  hasBreakingChange,
  importOpenApi,
  readDirectorySurface,
  readSurface,
  SpecErrors,
} from "../generator/index.ts";

const usage = `toolgate — declarative MCP tool gateway

Usage:
  toolgate generate [--check] [--specs DIR] [--out DIR]   specs → generated/ (--check: fail on drift, write nothing)
  toolgate validate [--specs DIR] [--tool NAME]… [--quiet] [--json]
                                                          check the specs, then dry-run every tool: sample
                                                          arguments from its schema, checked by its validator,
                                                          and the backend request they build (nothing is sent)
  toolgate import <openapi> [--backend NAME] [--out FILE] [--include-tags a,b] [--include-paths GLOB]
                  [--methods GET,POST] [--prefix P] [--force]
                                                          write a tool spec with one tool per operation
                                                          (OpenAPI 3.0/3.1; Swagger 2.0 is converted first;
                                                          see docs/import.md)
  toolgate diff <base> [--head REF|DIR] [--generated DIR] [--json]
                                                          compare the tool surface of <base> (a git ref, or a
                                                          directory holding generated/) with the working tree's
                                                          generated/ (or --head); exit 1 on breaking changes
                                                          (see docs/pipeline.md)
  toolgate serve [--dev] [--port N] [--host H] [--generated DIR]
                                                          serve generated/ over MCP Streamable HTTP
  toolgate admin …                                        the admin API (run \`toolgate admin\` for its commands)

Options:
  --specs DIR       spec directory (default: specs)
  --out DIR         output directory (default: generated)
  --out FILE        (import) the tool spec to write (default: specs/tools/<backend>.yaml)
  --generated DIR   generated/ to serve; for diff, the head side and the path of generated/
                    inside a git ref (default: generated)
  --head REF|DIR    (diff) the version to compare with <base> instead of the working tree
  --json            (diff, validate) the report as JSON
  --tool NAME       (validate) dry-run only this tool; repeat for more
  --quiet           (validate) print only the summary and failures
  --dev             development mode: NO AUTHENTICATION, loopback only, fixed caller from gateway.yaml
  -h, --help        this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "admin") {
    const { adminCli } = await import("./admin-cli.ts");
    return adminCli(rest, resolve(process.cwd(), "generated"));
  }
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      check: { type: "boolean", default: false },
      specs: { type: "string", default: "specs" },
      out: { type: "string" },
      generated: { type: "string" },
      head: { type: "string" },
      json: { type: "boolean", default: false },
      dev: { type: "boolean", default: false },
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
      backend: { type: "string" },
      "include-tags": { type: "string" },
      "include-paths": { type: "string" },
      methods: { type: "string" },
      prefix: { type: "string" },
      force: { type: "boolean", default: false },
      tool: { type: "string", multiple: true, default: [] },
      quiet: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: command === "import" || command === "diff",
  });
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  const root = process.cwd();
  const paths = { root, specsDir: resolve(root, values.specs), outDir: resolve(root, values.out ?? "generated") };
  switch (command) {
    case "generate":
      return values.check ? runCheck(paths) : runGenerate(paths);
    case "validate": {
      const { validateCli } = await import("./validate-cli.ts");
      return validateCli(paths, { json: values.json, quiet: values.quiet, tools: values.tool });
    }
    case "import":
      return await runImport(root, positionals, values);
    case "diff":
      return runDiff(root, positionals, values);
    case "serve": {
      const { serveFromCli } = await import("../runtime/serve.ts");
      return serveFromCli({ generatedDir: resolve(root, values.generated ?? "generated"), dev: values.dev, port: values.port, host: values.host });
    }
    default:
      process.stderr.write(`toolgate: unknown command "${command}"\n\n${usage}`);
      return 2;
  }
}

async function runImport(
  root: string,
  positionals: readonly string[],
  values: { specs: string; out?: string | undefined; backend?: string | undefined; "include-tags"?: string | undefined; "include-paths"?: string | undefined; methods?: string | undefined; prefix?: string | undefined; force: boolean },
): Promise<number> {
  let [openapi, ...extra] = positionals;
  if (openapi === undefined || extra.length > 0) {
    process.stderr.write(`toolgate import: give exactly one OpenAPI document\n\n${usage}`);
    return 2;
  }
  const list = (text: string | undefined) => (text === undefined ? undefined : text.split(",").map((item) => item.trim()).filter(Boolean));
  const include = {
    ...(values["include-tags"] !== undefined ? { tags: list(values["include-tags"]) } : {}),
    ...(values["include-paths"] !== undefined ? { paths: list(values["include-paths"]) } : {}),
    ...(values.methods !== undefined ? { methods: list(values.methods)!.map((method) => method.toUpperCase()) } : {}),
  };
  const backend = values.backend ?? defaultBackendName(openapi);
  const out = resolve(root, values.out ?? join(values.specs, "tools", `${backend}.yaml`));
  // Swagger 2.0: converted to OpenAPI 3.0 first, into a file of its own that the spec then uses.
  const converted = await convertSwagger(resolve(root, openapi));
  if (converted) {
    const target = resolve(root, values.specs, "openapi", `${backend}.openapi.yaml`);
    if (existsSync(target) && !values.force) {
      process.stderr.write(`toolgate import: ${relative(root, target)} exists; pass --force to overwrite it\n`);
      return 1;
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, converted.yaml);
    process.stdout.write(`converted Swagger ${converted.from} to OpenAPI 3.0: wrote ${relative(root, target)} (${converted.operations} operations)\n`);
    openapi = relative(root, target);
  }
  const result = importOpenApi({ root, openapi, out, backend, ...(Object.keys(include).length > 0 ? { include } : {}), ...(values.prefix !== undefined ? { prefix: values.prefix } : {}) });
  if (existsSync(out) && !values.force) {
    process.stderr.write(`toolgate import: ${relative(root, out)} exists; pass --force to overwrite it, or --out FILE\n`);
    return 1;
  }
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, result.yaml);
  const indented = result.gatewayEntry.split("\n").map((line) => (line ? `  ${line}` : line)).join("\n");
  process.stdout.write(
    `wrote ${relative(root, out)}: ${result.tools} tool${result.tools === 1 ? "" : "s"} on backend "${result.backend}"\n\n` +
      `Add the backend to ${join(values.specs, "gateway.yaml")} (check base_url and credentials):\n\n${indented}\n` +
      "then run `toolgate generate` and review the diff of generated/.\n",
  );
  return 0;
}

// Exit codes: 0 no breaking change, 1 breaking changes, 2 bad usage or a version that cannot be read.
async function runDiff(root: string, positionals: readonly string[], values: { generated?: string | undefined; head?: string | undefined; json: boolean }): Promise<number> {
  const [base, ...extra] = positionals;
  if (base === undefined || extra.length > 0) {
    process.stderr.write(`toolgate diff: give exactly one base version (a git ref or a directory)\n\n${usage}`);
    return 2;
  }
  const generatedDir = values.generated ?? "generated";
  try {
    const before = await readSurface(base, { cwd: root, generatedDir });
    const after = values.head !== undefined ? await readSurface(values.head, { cwd: root, generatedDir }) : readDirectorySurface(resolve(root, generatedDir), generatedDir);
    const report = { base: before.label, head: after.label, changes: diffSurfaces(before, after) };
    process.stdout.write(values.json ? formatDiffJson(report) : formatDiffText(report));
    return hasBreakingChange(report) ? 1 : 0;
  } catch (error) {
    if (!(error instanceof DiffSourceError)) throw error;
    process.stderr.write(`toolgate diff: ${error.message}\n`);
    return 2;
  }
}

async function runGenerate(paths: { root: string; specsDir: string; outDir: string }): Promise<number> {
  const drift = await generate(paths);
  const count = drift.added.length + drift.changed.length + drift.removed.length;
  process.stdout.write(count === 0 ? "generated/ is up to date\n" : `generated/: ${drift.added.length} added, ${drift.changed.length} changed, ${drift.removed.length} removed\n`);
  return 0;
}

async function runCheck(paths: { root: string; specsDir: string; outDir: string }): Promise<number> {
  const drift = await checkGenerated(paths);
  const lines = [
    ...drift.changed.map((path) => `  changed: ${path}`),
    ...drift.added.map((path) => `  missing: ${path}`),
    ...drift.removed.map((path) => `  stale:   ${path}`),
  ];
  if (lines.length === 0) {
    process.stdout.write("generated/ matches the specs\n");
    return 0;
  }
  process.stderr.write(`generated/ has drifted from the specs:\n${lines.join("\n")}\nrun \`toolgate generate\` and commit the result\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof SpecErrors) {
      process.stderr.write(`${error.message}\n${error.errors.length} problem${error.errors.length === 1 ? "" : "s"} in the specs\n`);
      process.exitCode = 1;
    } else if (error instanceof Error && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS")) {
      process.stderr.write(`toolgate: ${error.message}\n\n${usage}`);
      process.exitCode = 2;
    } else if (error instanceof Error && error.name === "StartupError") {
      process.stderr.write(`toolgate: ${error.message}\n`);
      process.exitCode = 1;
    } else {
      process.stderr.write(`toolgate: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    }
  },
);
