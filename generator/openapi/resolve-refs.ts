import { isObject, type JsonObject } from "./load-document.ts";

/** Follows a local `$ref` chain (`#/components/...`) to the object it names; other values pass through. */
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

/** The value at a local reference `#/a/b`, or undefined. */
export function lookupPointer(root: JsonObject, ref: string): unknown {
  if (!ref.startsWith("#")) throw new RefError(`external $ref ${ref} is not supported; bundle the document into one file first`);
  if (ref === "#") return root;
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = root;
  for (const raw of ref.slice(2).split("/")) {
    const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObject(node)) node = node[part];
    else return undefined;
  }
  return node;
}
