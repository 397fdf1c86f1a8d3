import { ErrorSink, SpecErrors, type SpecLocation } from "../errors.ts";
import { readYamlFile, type YamlFile } from "../load/yaml-file.ts";

export type JsonObject = Record<string, unknown>;

/** An OpenAPI 3.0 or 3.1 document, parsed. */
export interface OpenApiDocument {
  readonly yaml: YamlFile;
  readonly root: JsonObject;
  readonly version: "3.0" | "3.1";
}

/**
 * Loads an OpenAPI document referenced by a gateway setting. `from` is where the reference
 * was written, so an unreadable or unsupported document is reported there.
 */
export function loadOpenApiDocument(absolutePath: string, file: string, from: SpecLocation): OpenApiDocument {
  let yaml: YamlFile;
  try {
    yaml = readYamlFile(absolutePath, file);
  } catch (error) {
    if (error instanceof SpecErrors && error.errors[0]?.message === "cannot read file") {
      const sink = new ErrorSink();
      sink.add(from, `cannot read OpenAPI document ${file}`, "the path is relative to the file that names it");
      sink.throwIfAny();
    }
    throw error;
  }
  const root = yaml.value;
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
  return { yaml, root: document, version: (document.openapi as string).startsWith("3.0") ? "3.0" : "3.1" };
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
