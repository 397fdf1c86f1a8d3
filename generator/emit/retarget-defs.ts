import type { JsonObject } from "../openapi/load-document.ts";

/**
 * A copy of `schema` whose `#/$defs/<name>` references point where `target(name)` says: the
 * emitters move a tool's definitions elsewhere (openapi-typescript components, Ajv's shared
 * schemas) and references must follow. Values (examples, defaults, enums, consts) are kept as
 * they are, and keys such as "__proto__" stay keys.
 */
export function retargetDefs(schema: unknown, target: (name: string) => string): unknown {
  if (Array.isArray(schema)) return schema.map((item) => retargetDefs(item, target));
  if (typeof schema !== "object" || schema === null) return schema;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    const rewritten = key === "$ref" && typeof value === "string" && value.startsWith("#/$defs/") ? target(value.slice("#/$defs/".length)) : key === "examples" || key === "default" || key === "enum" || key === "const" ? value : retargetDefs(value, target);
    Object.defineProperty(out, key, { value: rewritten, enumerable: true, writable: true, configurable: true });
  }
  return out;
}
