import { readFileSync } from "node:fs";
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import { SpecError, SpecErrors, type SpecLocation } from "../errors.ts";

/** A parsed YAML (or JSON) file that can still tell where each value came from. */
export interface YamlFile {
  /** The path shown in messages: relative to the project root. */
  readonly file: string;
  readonly absolutePath: string;
  readonly value: unknown;
  readonly document: Document;
  readonly lineCounter: LineCounter;
}

export type PathSegment = string | number;

/** Reads and parses a YAML file; syntax errors are reported with their position. */
export function readYamlFile(absolutePath: string, file: string): YamlFile {
  let source: string;
  try {
    source = readFileSync(absolutePath, "utf8");
  } catch {
    throw new SpecErrors([new SpecError({ file, line: 1, col: 1 }, "cannot read file", "check that the path exists and is readable")]);
  }
  return parseYaml(source, absolutePath, file);
}

export function parseYaml(source: string, absolutePath: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(source, { lineCounter, uniqueKeys: true, prettyErrors: false });
  if (document.errors.length > 0) {
    throw new SpecErrors(
      document.errors.map((error) => {
        const { line, col } = lineCounter.linePos(error.pos[0]);
        return new SpecError({ file, line, col }, `YAML syntax error: ${firstLine(error.message)}`, yamlHint(error.code));
      }),
    );
  }
  return { file, absolutePath, value: document.toJS({ maxAliasCount: 100 }), document, lineCounter };
}

/**
 * Where the value at `path` starts (or its key, with `at: "key"`). A path that does not exist
 * resolves to the deepest node that does, so a message about a missing key points at its parent.
 */
export function locate(yaml: YamlFile, path: readonly PathSegment[], at: "key" | "value" = "value"): SpecLocation {
  let node: unknown = yaml.document.contents;
  let offset = rangeStart(node) ?? 0;
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment));
      if (!pair) break;
      if (last && at === "key") {
        offset = rangeStart(pair.key) ?? offset;
        break;
      }
      node = pair.value;
      offset = rangeStart(node) ?? rangeStart(pair.key) ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(node) ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = yaml.lineCounter.linePos(offset);
  return { file: yaml.file, line, col };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.replace(/ at line \d+, column \d+:?$/, "") ?? message;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case "DUPLICATE_KEY":
      return "each key may appear once in a mapping; remove or rename the repeated one";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return "check the indentation: nested keys need more spaces than their parent, and use spaces, not tabs";
    default:
      return "YAML needs `key: value` pairs and consistent indentation; quote values that contain `: ` or start with `{`, `[`, `*` or `&`";
  }
}
