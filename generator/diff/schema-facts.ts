import type { Change, JsonSchema } from "./types.ts";

/** A JSON Schema object (booleans turned into their object form). */
export type SchemaObject = { readonly [keyword: string]: unknown };

/** A numeric bound: `minimum` / `maximum` (inclusive) or `exclusiveMinimum` / `exclusiveMaximum`. */
export interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
}

/** The object form of a schema: `true` accepts anything (`{}`), `false` nothing (`{ not: {} }`). */
export function schemaObject(schema: unknown): SchemaObject {
  if (schema === false) return { not: {} };
  return typeof schema === "object" && schema !== null && !Array.isArray(schema) ? (schema as SchemaObject) : {};
}

/**
 * Follows a local `$ref` (`#/$defs/Node`) within `root`, keeping the keywords beside it; returns
 * the schema unchanged when it has no local reference or the reference does not resolve.
 */
export function dereference(schema: JsonSchema, root: JsonSchema): { readonly schema: SchemaObject; readonly ref: string | undefined } {
  const object = schemaObject(schema);
  const ref = object.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#")) return { schema: object, ref: undefined };
  let target: unknown = root;
  for (const token of ref.slice(1).split("/").slice(1)) {
    const key = decodeURIComponent(token).replaceAll("~1", "/").replaceAll("~0", "~");
    target = typeof target === "object" && target !== null ? (target as Record<string, unknown>)[key] : undefined;
  }
  if (target === undefined) return { schema: object, ref: undefined };
  const { $ref: _ignored, ...siblings } = object;
  return { schema: { ...schemaObject(target), ...siblings }, ref };
}

/** The state of one walk over a pair of schemas: both roots, the `$ref` pairs already compared, what was found. */
export interface SchemaWalk {
  readonly tool: string;
  readonly beforeRoot: JsonSchema;
  readonly afterRoot: JsonSchema;
  readonly seen: Set<string>;
  readonly changes: Change[];
}

/**
 * Both schemas of a pair with their local references followed, or undefined when this pair of
 * references was compared already (recursive schemas end there).
 */
export function enterPair(walk: SchemaWalk, beforeSchema: JsonSchema, afterSchema: JsonSchema): { readonly b: SchemaObject; readonly a: SchemaObject } | undefined {
  const before = dereference(beforeSchema, walk.beforeRoot);
  const after = dereference(afterSchema, walk.afterRoot);
  if (before.ref !== undefined && after.ref !== undefined) {
    const pair = `${before.ref}\0${after.ref}`;
    if (walk.seen.has(pair)) return undefined;
    walk.seen.add(pair);
  }
  return { b: before.schema, a: after.schema };
}

/** The JSON types a schema allows, or `undefined` when it does not say (any type). */
export function typeSet(schema: SchemaObject): ReadonlySet<string> | undefined {
  if (typeof schema.type === "string") return new Set([schema.type]);
  if (Array.isArray(schema.type)) return new Set(schema.type.filter((type): type is string => typeof type === "string"));
  return undefined;
}

/** Whether a type set lets a value of `type` through (`number` includes `integer`). */
export function allowsType(types: ReadonlySet<string> | undefined, type: string): boolean {
  return types === undefined || types.has(type) || (type === "integer" && types.has("number"));
}

/** The types of `from` that `to` no longer allows (all of `from` being "any type"). */
export function typesLost(from: ReadonlySet<string> | undefined, to: ReadonlySet<string> | undefined): string[] {
  if (to === undefined) return [];
  if (from === undefined) return ["any type"];
  return [...from].filter((type) => !allowsType(to, type));
}

/** `string|null`, or `any` for no type constraint. */
export function formatTypes(types: ReadonlySet<string> | undefined): string {
  return types === undefined ? "any" : [...types].join("|");
}

/** The tightest lower bound of a number schema, from `minimum` and `exclusiveMinimum`. */
export function lowerBound(schema: SchemaObject): Bound | undefined {
  return tightest(schema.minimum, schema.exclusiveMinimum, (a, b) => a > b);
}

/** The tightest upper bound of a number schema, from `maximum` and `exclusiveMaximum`. */
export function upperBound(schema: SchemaObject): Bound | undefined {
  return tightest(schema.maximum, schema.exclusiveMaximum, (a, b) => a < b);
}

function tightest(inclusive: unknown, exclusive: unknown, tighter: (a: number, b: number) => boolean): Bound | undefined {
  const bounds: Bound[] = [];
  // OpenAPI 3.0 / draft 4 wrote `exclusiveMinimum: true` next to `minimum`.
  if (typeof inclusive === "number") bounds.push({ value: inclusive, exclusive: exclusive === true });
  if (typeof exclusive === "number") bounds.push({ value: exclusive, exclusive: true });
  return bounds.reduce<Bound | undefined>((best, bound) => (best === undefined || isTighter(bound, best, tighter) ? bound : best), undefined);
}

/** Whether bound `a` rejects more than bound `b` (`tighter` says which direction is tighter). */
export function isTighter(a: Bound, b: Bound, tighter: (a: number, b: number) => boolean): boolean {
  return tighter(a.value, b.value) || (a.value === b.value && a.exclusive && !b.exclusive);
}

/** `>= 1`, `> 0`, `<= 100`. */
export function formatBound(bound: Bound | undefined, side: "lower" | "upper"): string {
  if (bound === undefined) return "none";
  return `${side === "lower" ? ">" : "<"}${bound.exclusive ? "" : "="} ${bound.value}`;
}

/** The schemas of an object schema's `properties`. */
export function propertiesOf(schema: SchemaObject): Readonly<Record<string, JsonSchema>> {
  const properties = schema.properties;
  return typeof properties === "object" && properties !== null && !Array.isArray(properties) ? (properties as Record<string, JsonSchema>) : {};
}

/** An object schema's `required` names. */
export function requiredOf(schema: SchemaObject): ReadonlySet<string> {
  return new Set(Array.isArray(schema.required) ? schema.required.filter((name): name is string => typeof name === "string") : []);
}

/** A JSON text of `value` with object keys sorted, so equal schemas compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === "object" && item !== null && !Array.isArray(item) ? Object.fromEntries(Object.entries(item).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : item,
  );
}

/** The path of a property below `path`: `filter.status`. */
export function propertyPath(path: string, name: string): string {
  return path === "" ? name : `${path}.${name}`;
}

const annotationKeywords = new Set(["title", "description", "default", "examples", "example", "deprecated", "readOnly", "writeOnly", "$comment"]);

/**
 * The schema inside a nullable wrapper, `{ anyOf: [X, { type: "null" }] }` (how the generator
 * writes OpenAPI 3.0's `nullable` beside `$ref` or a composition), or `undefined` for any other
 * schema. Lets `X` → wrapper read as "now also accepts null" rather than as a new composition.
 */
export function nullableInner(schema: SchemaObject): JsonSchema | undefined {
  const keyword = Array.isArray(schema.anyOf) ? "anyOf" : Array.isArray(schema.oneOf) ? "oneOf" : undefined;
  if (keyword === undefined || Object.keys(schema).some((key) => key !== keyword && !annotationKeywords.has(key))) return undefined;
  const branches = schema[keyword] as unknown[];
  const isNull = (branch: unknown) => canonical(branch) === canonical({ type: "null" });
  const others = branches.filter((branch) => !isNull(branch));
  return others.length === 1 && others.length < branches.length ? (others[0] as JsonSchema) : undefined;
}

/** Whether the schema has an `anyOf`, `oneOf` or `allOf`. */
export function hasComposition(schema: SchemaObject): boolean {
  return ["anyOf", "oneOf", "allOf"].some((keyword) => Array.isArray(schema[keyword]));
}

/** Whether `null` passes the schema's `type` and `enum`. */
export function allowsNull(schema: SchemaObject): boolean {
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) return false;
  if ("const" in schema && schema.const !== null) return false;
  return allowsType(typeSet(schema), "null");
}
