/**
 * What openapi-typescript is given, so that the types it writes say what the schemas say: it
 * misreads a few shapes that real documents use, and generated handlers are type-checked
 * against its types. Each rewrite touches only a shape it misreads: the types then still admit
 * every value the schema admits, and no type openapi-typescript gets right changes.
 */
import { isObject, type JsonObject } from "../openapi/load-document.ts";
import { lookupPointer, withPointerRefs } from "../openapi/resolve-refs.ts";

/**
 * A copy of a backend's OpenAPI document for openapi-typescript: `$ref`s as JSON pointers
 * (`withPointerRefs`), component aliases flattened (`flattenComponentAliases`) and `anyOf`
 * branches without a type of their own left out (`dropUntypedAnyOfBranches`).
 */
export function backendTypesDocument(document: JsonObject): JsonObject {
  const copy = withPointerRefs(document);
  flattenComponentAliases(copy);
  dropUntypedAnyOfBranches(copy);
  return copy;
}

/** Components that openapi-typescript transforms without looking for a `$ref` first. */
const aliasableComponents = ["requestBodies", "responses", "parameters", "headers"];

/**
 * A request body (response, parameter, header) component that is only a `$ref` to another one
 * (`NestedRef: { $ref: "#/components/requestBodies/ARequestBody" }`) is typed by openapi-typescript
 * as a request body of its own with no content (`{ content: { "*\/*"?: never } }`), and an
 * operation that refers to it gets that type. Each such component becomes a copy of what its
 * `$ref` chain ends at, with the alias's own `summary` and `description`, which OpenAPI says
 * override the target's. A chain that does not resolve, or loops, is left as written.
 */
function flattenComponentAliases(document: JsonObject): void {
  const components = isObject(document.components) ? document.components : {};
  for (const kind of aliasableComponents) {
    const entries = components[kind];
    if (!isObject(entries)) continue;
    for (const [name, entry] of Object.entries(entries)) {
      const target = chainEnd(document, entry);
      if (target === undefined || !isObject(entry)) continue;
      const own = Object.fromEntries(["summary", "description"].filter((key) => typeof entry[key] === "string").map((key) => [key, entry[key]]));
      Object.defineProperty(entries, name, { value: { ...structuredClone(target), ...own }, enumerable: true, writable: true, configurable: true });
    }
  }
}

/** What a `$ref` chain starting at `node` ends at; undefined when `node` is no reference, or the chain breaks or loops. */
function chainEnd(document: JsonObject, node: unknown): JsonObject | undefined {
  const seen = new Set<string>();
  let current = node;
  while (isObject(current) && typeof current.$ref === "string") {
    if (seen.has(current.$ref)) return undefined;
    seen.add(current.$ref);
    try {
      current = lookupPointer(document, current.$ref);
    } catch {
      return undefined;
    }
  }
  return seen.size > 0 && isObject(current) ? current : undefined;
}

/** Keywords from which openapi-typescript writes a type; a schema with none of them becomes `unknown`. */
const typingKeywords = ["$ref", "const", "enum", "type", "properties", "additionalProperties", "patternProperties", "allOf", "anyOf", "oneOf"];

/** Keys under which a document holds values (or extensions) rather than schemas, except as names in a `namedMaps` map. */
const isValueKey = (key: string) => key === "example" || key === "examples" || key === "default" || key === "enum" || key === "const" || key.startsWith("x-");

/** Maps whose keys are names (a property called `default`, the `default` response), not keywords. */
const namedMaps = new Set(["properties", "patternProperties", "dependentSchemas", "$defs", "definitions", "schemas", "responses", "requestBodies", "parameters", "headers", "pathItems", "callbacks", "webhooks", "paths", "content", "encoding", "links"]);

/**
 * openapi-typescript types a schema with `anyOf` as the union of its own type and its branches'.
 * A branch with no type of its own (Intercom's `anyOf: [{ required: [id] }, { required: [email] }]`,
 * saying which properties must be there) becomes `unknown`, and so does the whole union: a
 * request body of that schema could not be built typed. Beside a type of the schema's own, such
 * a branch adds nothing to the union (whatever matches the schema and the branch has the schema's
 * own type), so it is left out; an `anyOf` left empty goes. Without a type of the schema's own,
 * the branches are the whole type and stay.
 */
function dropUntypedAnyOfBranches(document: JsonObject): void {
  const visit = (node: unknown, named: boolean): void => {
    if (Array.isArray(node)) return node.forEach((item) => visit(item, false));
    if (!isObject(node)) return;
    if (!named) dropUntypedBranches(node);
    for (const [key, value] of Object.entries(node)) if (named || !isValueKey(key)) visit(value, !named && namedMaps.has(key));
  };
  visit(document, false);
}

/** `dropUntypedAnyOfBranches` of one schema, in place. */
function dropUntypedBranches(schema: JsonObject): void {
  if (!Array.isArray(schema.anyOf) || !hasOwnType(schema)) return;
  const typed = schema.anyOf.filter((branch) => isObject(branch) && typingKeywords.some((keyword) => Object.hasOwn(branch, keyword)));
  if (typed.length === 0) delete schema.anyOf;
  else schema.anyOf = typed;
}

/** Whether openapi-typescript writes a type for `schema` from its own keywords, beside any `anyOf`. */
function hasOwnType(schema: JsonObject): boolean {
  const nonEmpty = (value: unknown) => isObject(value) && Object.keys(value).length > 0;
  const types = typeof schema.type === "string" ? [schema.type] : Array.isArray(schema.type) ? schema.type : [];
  return (
    (types.length > 0 && !types.includes("object")) ||
    nonEmpty(schema.properties) ||
    nonEmpty(schema.patternProperties) ||
    nonEmpty(schema.additionalProperties) ||
    schema.additionalProperties === true ||
    (Array.isArray(schema.allOf) && schema.allOf.length > 0)
  );
}

/** Annotations kept on a schema that accepts no value, for the comment openapi-typescript writes. */
const annotations = ["title", "description", "deprecated"];

/**
 * A copy of a tool's JSON Schema for openapi-typescript, in which every schema that accepts no
 * value (`not: {}`, which the generator writes for an empty `enum`, as JSON Schema requires a
 * non-empty one) is written `enum: []`: openapi-typescript ignores `not` and would type it by its
 * other keywords (Discord's `action` as its enum's strings), but types an empty `enum` `never`,
 * as the backend's own type of that field is.
 */
export function toolTypesSchema(schema: unknown): unknown {
  const copy = (node: unknown, named: boolean): unknown => {
    if (Array.isArray(node)) return node.map((item) => copy(item, false));
    if (!isObject(node)) return node;
    if (!named && (node.not === true || (isObject(node.not) && Object.keys(node.not).length === 0))) {
      // A string `type` other than "object" only shapes the comment (`@enum {string}`); a list
      // of types with "null" would make the type `null`, and "object" would skip the `enum`.
      const type = typeof node.type === "string" && node.type !== "object" ? { type: node.type } : {};
      return { ...Object.fromEntries(annotations.filter((key) => Object.hasOwn(node, key)).map((key) => [key, node[key]])), ...type, enum: [] };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const next = !named && isValueKey(key) ? value : copy(value, !named && namedMaps.has(key));
      Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    if (!named) dropUntypedBranches(out);
    return out;
  };
  return copy(schema, false);
}
