import { readFileSync } from "node:fs";
import jsYaml from "js-yaml";
import { ErrorSink, SpecErrors, type SpecLocation } from "../errors.ts";
import { readYamlFile } from "../load/yaml-file.ts";

export type JsonObject = Record<string, unknown>;

/** An OpenAPI 3.0 or 3.1 document, parsed. */
export interface OpenApiDocument {
  /** The path shown in messages: relative to the project root. */
  readonly file: string;
  readonly root: JsonObject;
  readonly version: "3.0" | "3.1";
}

/**
 * Loads an OpenAPI document referenced by a gateway setting. `from` is where the reference
 * was written, so an unreadable or unsupported document is reported there.
 */
export function loadOpenApiDocument(absolutePath: string, file: string, from: SpecLocation): OpenApiDocument {
  let root: unknown;
  try {
    root = readDocumentValue(absolutePath, file);
  } catch (error) {
    if (error instanceof SpecErrors && error.errors[0]?.message === "cannot read file") {
      const sink = new ErrorSink();
      sink.add(from, `cannot read OpenAPI document ${file}`, "the path is relative to the file that names it");
      sink.throwIfAny();
    }
    throw error;
  }
  const sink = new ErrorSink();
  if (!isObject(root)) {
    sink.add(from, `${file} is not an OpenAPI document (expected a mapping at the top level)`);
    sink.throwIfAny();
  }
  const document = root as JsonObject;
  if (typeof document.swagger === "string") {
    sink.add(from, `${file} is a Swagger ${document.swagger} document; toolgate reads OpenAPI 3.0 and 3.1`, "convert it: `toolgate import <file>` writes an OpenAPI 3.0 copy under specs/openapi/ and a tool spec over it");
  } else if (typeof document.openapi !== "string" || !/^3\.[01]\.\d+/.test(document.openapi)) {
    sink.add(from, `${file} has unsupported openapi version ${JSON.stringify(document.openapi)}`, "toolgate reads OpenAPI 3.0.x and 3.1.x documents");
  } else if (!isObject(document.paths)) {
    sink.add(from, `${file} has no paths`);
  }
  sink.throwIfAny();
  return { file, root: document, version: (document.openapi as string).startsWith("3.0") ? "3.0" : "3.1" };
}

/**
 * The document's value. Only values are needed from an OpenAPI document (messages point at the
 * setting that names it), and documents are large (Stripe's: 4 MB of YAML, which the
 * position-keeping parser of spec files takes ~1.1 s to read and js-yaml ~0.1 s), so YAML 1.2
 * (core schema, as `yaml` reads it) is read by js-yaml, JSON by JSON.parse. A document either
 * refuses, or one that uses YAML aliases, is read by `readYamlFile` as spec files are: it
 * reports syntax errors with their line and column, and bounds alias expansion.
 */
function readDocumentValue(absolutePath: string, file: string): unknown {
  let source: string;
  try {
    source = readFileSync(absolutePath, "utf8");
  } catch {
    return readYamlFile(absolutePath, file).value; // reports "cannot read file"
  }
  try {
    const value = /\.json$/i.test(absolutePath) ? JSON.parse(source) : jsYaml.load(source, { schema: jsYaml.CORE_SCHEMA, filename: file });
    if (!hasSharedNodes(value)) return value;
  } catch {
    // read again below, for a located message
  }
  return readYamlFile(absolutePath, file).value;
}

/** Whether some object or array is reached twice: how js-yaml returns an alias (and a cycle). */
function hasSharedNodes(value: unknown): boolean {
  const seen = new Set<object>();
  const stack = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== "object" || node === null) continue;
    if (seen.has(node)) return true;
    seen.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (typeof child === "object" && child !== null) stack.push(child);
  }
  return false;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
