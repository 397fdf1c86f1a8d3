import { isObject, type JsonObject } from "../openapi/load-document.ts";
import { didYouMean } from "../suggest.ts";
import type { PickTree } from "./types.ts";

export interface ShapeProblem {
  readonly message: string;
  readonly hint: string | undefined;
}

/** Splits an RFC 6901 pointer into its unescaped segments. */
export function pointerSegments(pointer: string): string[] {
  return pointer === "" ? [] : pointer.slice(1).split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** The schema of the value a pointer selects, or a problem naming the first segment that does not exist. */
export function schemaAtPointer(schema: JsonObject, segments: readonly string[], deref: Deref = same): JsonObject | ShapeProblem {
  let current = deref(schema);
  for (const [index, segment] of segments.entries()) {
    const properties = propertiesOf(current);
    if (properties && isObject(properties[segment])) {
      current = deref(properties[segment]);
    } else if (isArraySchema(current) && /^\d+$/.test(segment)) {
      current = isObject(current.items) ? deref(current.items) : {};
    } else {
      const at = "/" + segments.slice(0, index).join("/");
      return {
        message: `output.pointer: the response has no "${segment}" at ${at === "/" ? "its top level" : at}`,
        hint: properties ? (didYouMean(segment, Object.keys(properties)) ?? `fields there: ${Object.keys(properties).join(", ")}`) : undefined,
      };
    }
  }
  return current;
}

/** Builds the pick tree for dotted field paths, checking each against the schema. */
export function buildPickTree(schema: JsonObject, fields: readonly string[], deref: Deref = same): { tree: PickTree; schema: JsonObject } | ShapeProblem {
  const tree: Record<string, true | PickTree> = {};
  for (const field of fields) {
    let node = tree;
    let current = elementSchema(schema, deref);
    const parts = field.split(".");
    for (const [index, part] of parts.entries()) {
      const properties = propertiesOf(current);
      if (!properties || !isObject(properties[part])) {
        const known = properties ? Object.keys(properties) : [];
        const prefix = parts.slice(0, index).join(".");
        return {
          message: `output.pick: the response has no field "${[...parts.slice(0, index), part].join(".")}"`,
          hint: didYouMean(part, known) ?? (known.length > 0 ? `fields${prefix ? ` of ${prefix}` : ""}: ${known.join(", ")}` : undefined),
        };
      }
      current = elementSchema(properties[part], deref);
      const existing = Object.hasOwn(node, part) ? node[part] : undefined;
      if (index === parts.length - 1) Object.defineProperty(node, part, { value: true, enumerable: true, writable: true, configurable: true });
      else if (existing === true) break;
      else {
        if (existing === undefined) Object.defineProperty(node, part, { value: {}, enumerable: true, writable: true, configurable: true });
        node = node[part] as Record<string, true | PickTree>;
      }
    }
  }
  return { tree, schema: pickSchema(schema, tree, deref) };
}

/** Replaces a schema that is only a `$ref` to a shared definition by the definition. */
export type Deref = (schema: JsonObject) => JsonObject;
const same: Deref = (schema) => schema;

function pickSchema(input: JsonObject, tree: PickTree, deref: Deref): JsonObject {
  const schema = deref(input);
  if (isArraySchema(schema) && isObject(schema.items)) return { ...schema, items: pickSchema(schema.items, tree, deref) };
  const properties = propertiesOf(schema) ?? {};
  const kept: JsonObject = {};
  for (const [name, sub] of Object.entries(tree)) {
    const property = properties[name];
    if (!isObject(property)) continue;
    Object.defineProperty(kept, name, { value: sub === true ? property : pickSchema(property, sub, deref), enumerable: true, writable: true, configurable: true });
  }
  const required = Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === "string" && name in kept) : [];
  const { properties: _properties, required: _required, ...rest } = schema;
  return { ...rest, properties: kept, ...(required.length > 0 ? { required } : {}) };
}

function propertiesOf(schema: JsonObject): JsonObject | undefined {
  return isObject(schema.properties) ? schema.properties : undefined;
}

function isArraySchema(schema: JsonObject): boolean {
  return schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array"));
}

/** Picking goes through arrays: the fields of a list are the fields of its items. */
function elementSchema(input: JsonObject, deref: Deref): JsonObject {
  const schema = deref(input);
  return isArraySchema(schema) && isObject(schema.items) ? elementSchema(schema.items, deref) : schema;
}

/** Whether a schema describes only objects (MCP structured content must be an object). */
export function isObjectSchema(schema: JsonObject): boolean {
  return schema.type === "object" || (schema.type === undefined && isObject(schema.properties));
}
