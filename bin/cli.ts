import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkGenerated, generate, resolveSpecs, SpecErrors } from "../generator/index.ts";

const usage = `toolgate — declarative MCP tool gateway

Usage:
  toolgate generate [--check] [--specs DIR] [--out DIR]   specs → generated/ (--check: fail on drift, write nothing)
  toolgate validate [--specs DIR]                         check the specs and list the tools they define
  toolgate serve [--dev] [--port N] [--host H] [--generated DIR]
                                                          serve generated/ over MCP Streamable HTTP
  toolgate admin …                                        the admin API (run \`toolgate admin\` for its commands)

Options:
  --specs DIR       spec directory (default: specs)
  --out DIR         output directory (default: generated)
  --dev             development mode: NO AUTHENTICATION, loopback only, fixed caller from gateway.yaml
  -h, --help        this text
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "admin") {
    const { adminCli } = await import("./admin-cli.ts");
    return adminCli(rest, resolve(process.cwd(), "generated"));
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      check: { type: "boolean", default: false },
      specs: { type: "string", default: "specs" },
      out: { type: "string", default: "generated" },
      generated: { type: "string", default: "generated" },
      dev: { type: "boolean", default: false },
      port: { type: "string" },
      host: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (values.help || command === undefined || command === "help") {
    process.stdout.write(usage);
    return command === undefined ? 2 : 0;
  }
  const root = process.cwd();
  const paths = { root, specsDir: resolve(root, values.specs), outDir: resolve(root, values.out) };
  switch (command) {
    case "generate":
      return values.check ? runCheck(paths) : runGenerate(paths);
    case "validate": {
      const model = resolveSpecs(paths);
      for (const tool of model.tools) process.stdout.write(`${tool.name.padEnd(32)} ${tool.method} ${tool.path}  (${tool.source.file}:${tool.source.line})\n`);
      process.stdout.write(`specs are valid: ${model.tools.length} tools on ${model.gateway.backends.length} backend(s)\n`);
      return 0;
    }
    case "serve": {
      const { serveFromCli } = await import("../runtime/serve.ts");
      return serveFromCli({ generatedDir: resolve(root, values.generated), dev: values.dev, port: values.port, host: values.host });
    }
    default:
      process.stderr.write(`toolgate: unknown command "${command}"\n\n${usage}`);
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
