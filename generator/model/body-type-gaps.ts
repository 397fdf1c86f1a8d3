import { isObject, type JsonObject } from "../openapi/load-document.ts";
import { lookupPointer } from "../openapi/resolve-refs.ts";
import { collectDefRefs } from "../openapi/to-json-schema.ts";

/**
 * Why the argument type of one JSON body field differs by design from openapi-typescript's type
 * of the same field in the backend's request body, which generated handlers check it against.
 * - `read-only`: somewhere inside, a readOnly property is required. OpenAPI's `required` on a
 *   readOnly property "takes effect on the response only", so input schemas drop it; the backend's
 *   type still requires it.
 * - `discriminator`: somewhere inside is a schema that openapi-typescript gives a required
 *   discriminator property (a `oneOf` member or mapping target of a discriminator, or an `allOf`
 *   child of a schema with one), which the document itself need not require.
 * - `not-described`: part of the field's schema is too large for the tool's input schema, which
 *   accepts any value there (see `ConvertOptions.defsLimit`).
 */
export type BodyTypeGap = "read-only" | "discriminator" | "not-described";

const subschemaKeys = ["items", "additionalProperties", "not", "if", "then", "else", "contains", "propertyNames", "unevaluatedItems", "unevaluatedProperties"];
const subschemaListKeys = ["allOf", "anyOf", "oneOf", "prefixItems", "items"];
const subschemaMapKeys = ["properties", "patternProperties", "dependentSchemas"];

/**
 * The `read-only` and `discriminator` gaps of one body field, found in the OpenAPI document:
 * `schema` is the field's schema as the document writes it, `$ref`s unresolved.
 */
export function documentGaps(root: JsonObject, schema: unknown): BodyTypeGap[] {
  const targets = discriminatorTargets(root);
  const found = new Set<BodyTypeGap>();
  const visited = new Set<string>();
  const resolve = (ref: string): unknown => {
    try {
      return lookupPointer(root, ref);
    } catch {
      return undefined;
    }
  };
  const isReadOnly = (property: unknown): boolean => {
    const seen = new Set<string>();
    for (let node = property; isObject(node); ) {
      if (node.readOnly === true) return true;
      if (typeof node.$ref !== "string" || seen.has(node.$ref)) return false;
      seen.add(node.$ref);
      node = resolve(node.$ref);
    }
    return false;
  };
  const hasDiscriminator = (item: unknown): boolean => {
    const target = isObject(item) && typeof item.$ref === "string" ? resolve(item.$ref) : undefined;
    return isObject(target) && isObject(target.discriminator);
  };
  const pending: unknown[] = [schema];
  while (pending.length > 0) {
    const node = pending.pop();
    if (!isObject(node)) continue;
    if (typeof node.$ref === "string" && !visited.has(node.$ref)) {
      visited.add(node.$ref);
      if (targets.has(node.$ref)) found.add("discriminator");
      pending.push(resolve(node.$ref));
    }
    // An `allOf` child of a schema with a discriminator gets the discriminator property, required.
    if (Array.isArray(node.allOf) && node.allOf.some(hasDiscriminator)) found.add("discriminator");
    if (Array.isArray(node.required) && isObject(node.properties)) {
      const properties = node.properties;
      if (node.required.some((name) => typeof name === "string" && Object.hasOwn(properties, name) && isReadOnly(properties[name]))) found.add("read-only");
    }
    for (const key of subschemaKeys) pending.push(node[key]);
    for (const key of subschemaListKeys) if (Array.isArray(node[key])) pending.push(...node[key]);
    for (const key of subschemaMapKeys) if (isObject(node[key])) pending.push(...Object.values(node[key]));
  }
  return [...found].sort();
}

/**
 * Whether the `not-described` gap applies: `field` is an argument's schema as converted, before
 * `SchemaConverter.withDefs` bounded the input schema into `bounded`, replacing the definitions it
 * left out by schemas that accept any value.
 */
export function isPartlyUndescribed(field: unknown, bounded: JsonObject): boolean {
  const described = isObject(bounded.$defs) ? bounded.$defs : {};
  return [...collectDefRefs(field)].some((name) => !Object.hasOwn(described, name));
}

const targetsCache = new WeakMap<JsonObject, ReadonlySet<string>>();

/**
 * The `$ref`s openapi-typescript rewrites for a discriminator (its `scanDiscriminators`): the
 * `oneOf` members of a schema with a discriminator, and its mapping's targets.
 */
function discriminatorTargets(root: JsonObject): ReadonlySet<string> {
  const cached = targetsCache.get(root);
  if (cached) return cached;
  const targets = new Set<string>();
  const visit = (node: unknown) => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (!isObject(node)) return;
    const discriminator = node.discriminator;
    if (isObject(discriminator) && typeof discriminator.propertyName === "string") {
      if (Array.isArray(node.oneOf)) for (const item of node.oneOf) if (isObject(item) && typeof item.$ref === "string") targets.add(item.$ref);
      // A mapping value is a reference, or the name of a schema under components.
      if (isObject(discriminator.mapping)) for (const value of Object.values(discriminator.mapping)) if (typeof value === "string") targets.add(value.includes("#") || value.includes("/") ? value : `#/components/schemas/${value}`);
    }
    for (const [key, value] of Object.entries(node)) if (key !== "examples" && key !== "example" && key !== "default" && key !== "enum" && key !== "const") visit(value);
  };
  visit(root);
  targetsCache.set(root, targets);
  return targets;
}
