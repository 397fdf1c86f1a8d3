import { isObject, type JsonObject } from "./load-document.ts";

/** Follows a `$ref` chain (`#/components/...`, or an `$id`/`$anchor` URI) to the object it names; other values pass through. */
export function resolveRef(root: JsonObject, value: unknown): unknown {
  let current = value;
  for (let hops = 0; isObject(current) && typeof current.$ref === "string"; hops++) {
    if (hops > 32) throw new RefError(`$ref chain too long at ${current.$ref}`);
    const target = lookupPointer(root, current.$ref);
    if (target === undefined) throw new RefError(`$ref ${current.$ref} does not resolve`);
    current = target;
  }
  return current;
}

/** Raised for a `$ref` that does not resolve within the document. */
export class RefError extends Error {
  override name = "RefError";
}

/**
 * The value a reference names, or undefined. `#/a/b` is a JSON pointer into the document (the
 * document root, even inside a schema with its own `$id`: that is what authors mean, and what
 * every OpenAPI tool but strict JSON Schema resolvers does). Other references are looked up
 * among the document's `$id`s and `$anchor`s (OpenAPI 3.1, e.g. `/schemas/pet#pet_id`).
 */
export function lookupPointer(root: JsonObject, ref: string): unknown {
  if (ref === "#") return root;
  if (ref.startsWith("#/")) return followPointer(root, ref.slice(1));
  const target = identifiers(root).get(ref);
  if (target !== undefined) return target;
  const hash = ref.indexOf("#");
  const base = hash < 0 ? ref : ref.slice(0, hash);
  const fragment = hash < 0 ? "" : ref.slice(hash + 1);
  const resource = base === "" ? root : identifiers(root).get(base);
  if (resource === undefined) {
    if (!ref.startsWith("#")) throw new RefError(`external $ref ${ref} is not supported; bundle the document into one file first`);
    return undefined;
  }
  return fragment.startsWith("/") ? followPointer(resource, fragment) : fragment === "" ? resource : undefined;
}

function followPointer(start: unknown, pointer: string): unknown {
  let node: unknown = start;
  for (const raw of pointer.slice(1).split("/")) {
    const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = Object.hasOwn(node, part) ? node[part] : undefined;
    else return undefined;
  }
  return node;
}

const identifierIndex = new WeakMap<JsonObject, Map<string, JsonObject>>();

/**
 * Every `$id`, `$id#anchor` and `#anchor` of a document, to the schema it names. Relative
 * `$id`s are indexed as written and resolved against an enclosing `$id`, which covers how
 * real documents use them.
 */
function identifiers(root: JsonObject): Map<string, JsonObject> {
  let index = identifierIndex.get(root);
  if (index) return index;
  index = new Map();
  const found = index;
  const visit = (node: unknown, base: string) => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item, base);
      return;
    }
    if (!isObject(node)) return;
    let here = base;
    if (typeof node.$id === "string" && !node.$id.startsWith("#")) {
      here = resolveUri(node.$id, base);
      for (const key of new Set([node.$id, here])) if (!found.has(key)) found.set(key, node);
    }
    for (const keyword of ["$anchor", "$dynamicAnchor"] as const) {
      const anchor = node[keyword];
      if (typeof anchor !== "string") continue;
      for (const key of [`${here}#${anchor}`, ...(here === base ? [] : [`${base}#${anchor}`])]) if (!found.has(key)) found.set(key, node);
    }
    for (const value of Object.values(node)) if (typeof value === "object" && value !== null) visit(value, here);
  };
  visit(root, "");
  identifierIndex.set(root, index);
  return index;
}

function resolveUri(ref: string, base: string): string {
  try {
    return new URL(ref, base || "toolgate:/").href.replace(/^toolgate:/, "");
  } catch {
    return ref;
  }
}

/**
 * A copy of the document in which every `$ref` by `$id` or `$anchor` is rewritten as the JSON
 * pointer of what it names, for tools that resolve only pointers (openapi-typescript). A
 * reference that does not resolve is left as written; a `$ref` that is not a string (an
 * unquoted `$ref: #/…` is a YAML comment, so `null`) is dropped, as the schema converter
 * ignores it too. The document itself is not changed.
 */
export function withPointerRefs(root: JsonObject): JsonObject {
  const pointers = new Map<unknown, string>();
  const record = (node: unknown, pointer: string) => {
    if (typeof node !== "object" || node === null || pointers.has(node)) return;
    pointers.set(node, pointer);
    for (const [key, value] of Object.entries(node)) record(value, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`);
  };
  record(root, "#");
  const copy = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(copy);
    if (!isObject(node)) return node;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value !== "string") continue;
      let next = copy(value);
      if (key === "$ref" && typeof value === "string" && !value.startsWith("#")) {
        let found: unknown;
        try {
          found = lookupPointer(root, value);
        } catch {
          found = undefined;
        }
        const pointer = pointers.get(found);
        if (pointer !== undefined) next = pointer === "#" ? "#" : pointer;
      }
      Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return copy(root) as JsonObject;
}
