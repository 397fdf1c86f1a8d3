import { isObject, type JsonObject } from "./load-document.ts";
import { lookupPointer, RefError } from "./resolve-refs.ts";

export interface ConvertOptions {
  readonly version: "3.0" | "3.1";
  /** Input schemas drop readOnly properties; output schemas drop writeOnly ones. */
  readonly direction: "input" | "output";
}

/** Keywords kept in emitted schemas: JSON Schema 2020-12 validation and annotation vocabulary. */
const schemaKeywords = new Set([
  "type", "enum", "const", "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
  "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "maxContains", "minContains",
  "maxProperties", "minProperties", "required", "dependentRequired", "title", "description", "default",
  "deprecated", "readOnly", "writeOnly", "examples", "format",
]);
const subschemaKeywords = new Set(["not", "if", "then", "else", "items", "contains", "additionalProperties", "propertyNames", "unevaluatedItems", "unevaluatedProperties"]);
const subschemaListKeywords = new Set(["allOf", "anyOf", "oneOf", "prefixItems"]);
const subschemaMapKeywords = new Set(["properties", "patternProperties", "dependentSchemas"]);

/**
 * Turns an OpenAPI schema into a self-contained JSON Schema 2020-12: local `$ref`s inlined,
 * 3.0's `nullable`/boolean exclusive bounds/`example` rewritten, vendor extensions and
 * OpenAPI-only keywords dropped. A reference cycle is cut where it repeats, into a schema that
 * accepts any value and says so in its description.
 */
export function toJsonSchema(root: JsonObject, schema: unknown, options: ConvertOptions): JsonObject {
  return convert(root, schema, options, []);
}

function convert(root: JsonObject, schema: unknown, options: ConvertOptions, stack: readonly string[]): JsonObject {
  if (schema === true || schema === undefined) return {};
  if (schema === false) return { not: {} };
  if (!isObject(schema)) return {};
  if (typeof schema.$ref === "string") {
    const ref = schema.$ref;
    if (stack.includes(ref)) return { description: `(recursive ${ref.split("/").pop() ?? ref}: any value)` };
    const target = lookupPointer(root, ref);
    if (target === undefined) throw new RefError(`$ref ${ref} does not resolve`);
    const resolved = convert(root, target, options, [...stack, ref]);
    const { $ref: _ref, ...siblings } = schema;
    return Object.keys(siblings).length === 0 ? resolved : { ...resolved, ...convert(root, siblings, options, stack) };
  }
  const out: JsonObject = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (schemaKeywords.has(keyword)) out[keyword] = value;
    else if (subschemaKeywords.has(keyword)) {
      out[keyword] = typeof value === "boolean" ? value : convert(root, value, options, stack);
    } else if (subschemaListKeywords.has(keyword) && Array.isArray(value)) {
      out[keyword] = value.map((item) => convert(root, item, options, stack));
    } else if (subschemaMapKeywords.has(keyword) && isObject(value)) {
      out[keyword] = Object.fromEntries(Object.entries(value).map(([name, item]) => [name, convert(root, item, options, stack)]));
    }
  }
  if (options.version === "3.0") rewrite30(schema, out);
  dropDirectional(out, options.direction);
  return out;
}

function rewrite30(source: JsonObject, out: JsonObject): void {
  if (source.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  }
  if (source.exclusiveMaximum === true && typeof source.maximum === "number") {
    out.exclusiveMaximum = source.maximum;
    delete out.maximum;
  } else if (typeof source.exclusiveMaximum === "boolean") delete out.exclusiveMaximum;
  if (source.exclusiveMinimum === true && typeof source.minimum === "number") {
    out.exclusiveMinimum = source.minimum;
    delete out.minimum;
  } else if (typeof source.exclusiveMinimum === "boolean") delete out.exclusiveMinimum;
  if (source.example !== undefined && out.examples === undefined) out.examples = [source.example];
  if (Array.isArray(out.items)) {
    out.prefixItems = out.items;
    delete out.items;
  }
}

function dropDirectional(out: JsonObject, direction: "input" | "output"): void {
  if (!isObject(out.properties)) return;
  const drop = direction === "input" ? "readOnly" : "writeOnly";
  for (const [name, property] of Object.entries(out.properties)) {
    if (isObject(property) && property[drop] === true) {
      delete out.properties[name];
      if (Array.isArray(out.required)) out.required = out.required.filter((entry) => entry !== name);
    }
  }
}
