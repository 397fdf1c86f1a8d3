import { isObject, type JsonObject } from "./load-document.ts";
import { lookupPointer, RefError } from "./resolve-refs.ts";

export interface ConvertOptions {
  readonly version: "3.0" | "3.1";
  /** Input schemas drop readOnly properties; output schemas drop writeOnly ones. */
  readonly direction: "input" | "output";
  /**
   * A referenced schema whose JSON form is longer than this many characters is not inlined but
   * shared through `$defs` (default `defaultInlineLimit`). Inlining keeps small schemas easy
   * to read; sharing keeps large APIs (Discord, Stripe) from growing with every use of a
   * schema: inlined, Discord's output schemas alone come to 19 MB.
   */
  readonly inlineLimit?: number;
  /**
   * How many characters of `$defs` one emitted schema may carry (default `defaultDefsLimit`).
   * A reference whose definition, with everything it refers to in turn, would go over is
   * replaced by a schema that accepts any value and says why. Stripe's expandable objects
   * all reach one another: without a limit every tool would carry most of the API.
   */
  readonly defsLimit?: number;
}

/** See `ConvertOptions.defsLimit`. */
export const defaultDefsLimit = 32_768;

/** See `ConvertOptions.inlineLimit`. */
export const defaultInlineLimit = 2048;

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

/** Where the definitions of recursive schemas live in an emitted schema. */
const defsPrefix = "#/$defs/";

/**
 * Turns OpenAPI schemas into self-contained JSON Schema 2020-12: `$ref`s inlined, 3.0's
 * `nullable`/boolean exclusive bounds/`example` rewritten, vendor extensions, `$id`/`$anchor`
 * and OpenAPI-only keywords dropped. A schema that takes part in a reference cycle, or is
 * larger than `inlineLimit`, is not inlined: it becomes a `$ref` to `#/$defs/<name>`, and
 * `withDefs` adds, at the root of the schema that uses them, the definitions it needs, so
 * recursion stays described and finite and nothing escapes the schema.
 *
 * One converter serves one document and direction; what it converts is cached (large
 * documents refer to the same schemas thousands of times). Results are shared: callers copy
 * before changing them.
 */
export class SchemaConverter {
  readonly #root: JsonObject;
  readonly #options: ConvertOptions;
  readonly #recursive: ReadonlySet<string>;
  readonly #defNames: Map<string, string>;
  readonly #inlineLimit: number;
  readonly #defsLimit: number;
  readonly #closures = new Map<string, { names: string[]; size: number }>();
  readonly #sizes = new Map<string, number>();
  readonly #inlined = new Map<string, JsonObject>();
  readonly #shared = new Set<string>();
  readonly #defs = new Map<string, JsonObject>();

  constructor(root: JsonObject, options: ConvertOptions) {
    this.#root = root;
    this.#options = options;
    const analysis = analyseRefs(root);
    this.#recursive = analysis.recursive;
    this.#defNames = analysis.names;
    this.#inlineLimit = options.inlineLimit ?? defaultInlineLimit;
    this.#defsLimit = options.defsLimit ?? defaultDefsLimit;
  }

  /**
   * The JSON Schema of one OpenAPI schema (which may hold `$ref`s to `#/$defs/…`; see
   * `withDefs`). Its top level is never such a `$ref`: callers look at its type and properties.
   */
  convert(schema: unknown): JsonObject {
    return this.deref(this.#convert(schema));
  }

  /** A schema that is only a `$ref` to a definition, replaced by (a copy of) the definition; anything else as is. */
  deref(schema: JsonObject): JsonObject {
    if (typeof schema.$ref !== "string" || !schema.$ref.startsWith(defsPrefix)) return schema;
    const definition = this.#defs.get(schema.$ref.slice(defsPrefix.length));
    if (!definition) return schema;
    const { $ref: _ref, ...siblings } = schema;
    return { ...definition, ...siblings };
  }

  /**
   * `schema` with the `$defs` its `#/$defs/…` references need (the schema itself when none).
   * A definition comes with everything it refers to, or not at all (see `defsLimit`), so a
   * definition is the same in every schema that carries it.
   */
  withDefs(schema: JsonObject): JsonObject {
    const included = new Set<string>();
    let size = 0;
    const dropped = new Set<string>();
    for (const name of collectDefRefs(schema)) {
      if (included.has(name)) continue;
      const closure = this.#closure(name);
      const extra = closure.names.filter((member) => !included.has(member));
      const extraSize = extra.length === closure.names.length ? closure.size : extra.reduce((total, member) => total + this.#size(member), 0);
      if (size + extraSize > this.#defsLimit) {
        dropped.add(name);
        continue;
      }
      size += extraSize;
      for (const member of extra) included.add(member);
    }
    const body = dropped.size === 0 ? schema : stubRefs(schema, dropped);
    if (included.size === 0) return body;
    const { $defs: _existing, ...rest } = body;
    const defs: JsonObject = {};
    for (const name of [...included].sort()) defs[name] = this.#defs.get(name)!;
    return { ...rest, $defs: defs };
  }

  #size(name: string): number {
    let size = this.#sizes.get(name);
    if (size === undefined) {
      size = JSON.stringify(this.#defs.get(name)).length;
      this.#sizes.set(name, size);
    }
    return size;
  }

  /** A definition and every definition it reaches, with their total JSON size. */
  #closure(name: string): { names: string[]; size: number } {
    const cached = this.#closures.get(name);
    if (cached) return cached;
    const names = new Set<string>([name]);
    const queue = [name];
    let size = 0;
    while (queue.length > 0) {
      const current = queue.pop()!;
      const definition = this.#defs.get(current);
      if (!definition) throw new Error(`internal: no definition ${current}`);
      size += this.#size(current);
      for (const next of collectDefRefs(definition)) {
        if (!names.has(next)) {
          names.add(next);
          queue.push(next);
        }
      }
    }
    const closure = { names: [...names], size };
    this.#closures.set(name, closure);
    return closure;
  }

  #convert(schema: unknown): JsonObject {
    if (schema === true || schema === undefined) return {};
    if (schema === false) return { not: {} };
    if (!isObject(schema)) return {};
    if (typeof schema.$ref === "string") {
      const resolved = this.#reference(schema.$ref);
      const { $ref: _ref, ...siblings } = schema;
      if (this.#options.version === "3.0" && siblings.nullable === true) {
        // 3.0 ignores keywords beside $ref, but `nullable` there is common and meant.
        const { nullable: _nullable, ...rest } = siblings;
        const inner = hasSchemaKeyword(rest) ? this.#convert({ ...rest, $ref: schema.$ref }) : resolved;
        return { anyOf: [inner, { type: "null" }] };
      }
      if (!hasSchemaKeyword(siblings)) return { ...resolved };
      // OpenAPI 3.1 allows keywords beside $ref (a description, readOnly, …): they apply too.
      const own = this.#convert(siblings);
      if (typeof resolved.$ref === "string") return { ...own, $ref: resolved.$ref };
      return { ...resolved, ...own };
    }
    const out: JsonObject = {};
    for (const [keyword, value] of Object.entries(schema)) {
      if (schemaKeywords.has(keyword)) out[keyword] = value;
      else if (subschemaKeywords.has(keyword)) {
        out[keyword] = typeof value === "boolean" ? value : this.#convert(value);
      } else if (subschemaListKeywords.has(keyword) && Array.isArray(value)) {
        out[keyword] = value.map((item) => this.#convert(item));
      } else if (subschemaMapKeywords.has(keyword) && isObject(value)) {
        const map: JsonObject = {};
        for (const [name, item] of Object.entries(value)) Object.defineProperty(map, name, { value: this.#convert(item), enumerable: true, writable: true, configurable: true });
        out[keyword] = map;
      }
    }
    if (this.#options.version === "3.0") rewrite30(schema, out);
    else rewrite31(out);
    if (this.#options.version === "3.0" && schema.nullable === true && out.type === undefined && !Array.isArray(out.enum) && hasComposition(out)) {
      // 3.0's `nullable` beside allOf/anyOf/oneOf (Stripe: 1,761 of them) allows null whatever the branches say.
      dropDirectional(out, this.#options.direction);
      return { anyOf: [out, { type: "null" }] };
    }
    if (Array.isArray(out.enum) && out.enum.length === 0) {
      // An empty enum allows no value; JSON Schema requires a non-empty one, so say it with `not`.
      delete out.enum;
      out.not = {};
    }
    dropDirectional(out, this.#options.direction);
    return out;
  }

  #reference(ref: string): JsonObject {
    const name = this.#defNames.get(ref);
    if (name !== undefined && this.#recursive.has(ref)) {
      if (!this.#defs.has(name)) {
        this.#defs.set(name, {}); // placeholder: the cycle comes back here
        this.#defs.set(name, this.#convert(target(this.#root, ref)));
      }
      return { $ref: `${defsPrefix}${name}` };
    }
    let inlined = this.#inlined.get(ref);
    if (!inlined) {
      inlined = this.#convert(target(this.#root, ref));
      this.#inlined.set(ref, inlined);
      if (name !== undefined && JSON.stringify(inlined).length > this.#inlineLimit) {
        this.#shared.add(ref);
        this.#defs.set(name, inlined);
      }
    }
    return this.#shared.has(ref) ? { $ref: `${defsPrefix}${name}` } : inlined;
  }
}

/** Converts one schema with no definitions shared across calls (convenience for small uses). */
export function toJsonSchema(root: JsonObject, schema: unknown, options: ConvertOptions): JsonObject {
  const converter = new SchemaConverter(root, options);
  return converter.withDefs(converter.convert(schema));
}

function target(root: JsonObject, ref: string): unknown {
  const found = lookupPointer(root, ref);
  if (found === undefined) throw new RefError(`$ref ${ref} does not resolve`);
  return found;
}

function hasComposition(schema: JsonObject): boolean {
  return schema.allOf !== undefined || schema.anyOf !== undefined || schema.oneOf !== undefined || schema.$ref !== undefined;
}

function hasSchemaKeyword(schema: JsonObject): boolean {
  return Object.keys(schema).some((key) => schemaKeywords.has(key) || subschemaKeywords.has(key) || subschemaListKeywords.has(key) || subschemaMapKeywords.has(key) || key === "$ref");
}

/** A copy of `schema` in which references to the `dropped` definitions accept any value, and say why. */
function stubRefs(schema: unknown, dropped: ReadonlySet<string>): JsonObject {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (!isObject(node)) return node;
    if (typeof node.$ref === "string" && node.$ref.startsWith(defsPrefix) && dropped.has(node.$ref.slice(defsPrefix.length))) {
      const { $ref: _ref, ...siblings } = node;
      const name = node.$ref.slice(defsPrefix.length);
      return { ...walk(siblings) as JsonObject, ...(siblings.description === undefined ? { description: `${name} (not described here: its schema is too large; see the OpenAPI document)` } : {}) };
    }
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(node)) {
      const next = key === "examples" || key === "default" || key === "enum" || key === "const" ? value : walk(value);
      Object.defineProperty(out, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    return out;
  };
  return walk(schema) as JsonObject;
}

/** Names of the `#/$defs/…` definitions a schema refers to (outside its own `$defs`). */
export function collectDefRefs(schema: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) for (const item of schema) collectDefRefs(item, into);
  else if (isObject(schema)) {
    for (const [key, value] of Object.entries(schema)) {
      if (key === "$ref" && typeof value === "string" && value.startsWith(defsPrefix)) into.add(value.slice(defsPrefix.length));
      else if (key !== "$defs" && key !== "examples" && key !== "default" && key !== "enum" && key !== "const" && typeof value === "object" && value !== null) collectDefRefs(value, into);
    }
  }
  return into;
}

const analyses = new WeakMap<JsonObject, { recursive: Set<string>; names: Map<string, string> }>();

/**
 * Which `$ref`s take part in a reference cycle (Tarjan's strongly connected components over
 * the graph "schema → the refs it holds"), and a stable, unique `$defs` name for each.
 */
function analyseRefs(root: JsonObject): { recursive: Set<string>; names: Map<string, string> } {
  const cached = analyses.get(root);
  if (cached) return cached;
  const edges = new Map<string, string[]>();
  const refsIn = (node: unknown, into: Set<string>) => {
    if (Array.isArray(node)) for (const item of node) refsIn(item, into);
    else if (isObject(node)) {
      for (const [key, value] of Object.entries(node)) {
        if (key === "$ref" && typeof value === "string") into.add(value);
        else if (key !== "examples" && key !== "example" && key !== "default" && key !== "enum" && key !== "const" && typeof value === "object" && value !== null) refsIn(value, into);
      }
    }
  };
  const pending: string[] = [];
  const discover = (ref: string) => {
    if (edges.has(ref)) return;
    let found: unknown;
    try {
      found = lookupPointer(root, ref);
    } catch {
      found = undefined;
    }
    const out = new Set<string>();
    if (found !== undefined) refsIn(found, out);
    edges.set(ref, [...out]);
    pending.push(...out);
  };
  const start = new Set<string>();
  refsIn(root, start);
  for (const ref of start) discover(ref);
  while (pending.length > 0) discover(pending.pop()!);

  // Tarjan, iterative (documents nest deeply enough to overflow a recursive one).
  const recursive = new Set<string>();
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  let counter = 0;
  for (const startRef of [...edges.keys()].sort()) {
    if (index.has(startRef)) continue;
    const work: { ref: string; next: number }[] = [{ ref: startRef, next: 0 }];
    index.set(startRef, counter);
    low.set(startRef, counter++);
    stack.push(startRef);
    onStack.add(startRef);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const successors = edges.get(frame.ref) ?? [];
      if (frame.next < successors.length) {
        const successor = successors[frame.next++]!;
        if (!index.has(successor)) {
          index.set(successor, counter);
          low.set(successor, counter++);
          stack.push(successor);
          onStack.add(successor);
          work.push({ ref: successor, next: 0 });
        } else if (onStack.has(successor)) low.set(frame.ref, Math.min(low.get(frame.ref)!, index.get(successor)!));
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.ref, Math.min(low.get(parent.ref)!, low.get(frame.ref)!));
      if (low.get(frame.ref) === index.get(frame.ref)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.ref);
        if (component.length > 1 || (edges.get(frame.ref) ?? []).includes(frame.ref)) for (const ref of component) recursive.add(ref);
      }
    }
  }

  // Names (of every ref: any may be shared): the ref's last segment, made safe; clashes get more of the path.
  const names = new Map<string, string>();
  const used = new Set<string>();
  for (const ref of [...edges.keys()].sort()) {
    const parts = ref.replace(/^[^#]*#\/?/, "").split("/").map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~").replace(/[^A-Za-z0-9_.-]+/g, "_")).filter(Boolean);
    let name = "";
    for (let take = 1; take <= parts.length && (name === "" || used.has(name)); take++) name = parts.slice(-take).join(".");
    for (let suffix = 2; name === "" || used.has(name); suffix++) name = `${parts.at(-1) ?? "schema"}_${suffix}`;
    used.add(name);
    names.set(ref, name);
  }
  const result = { recursive, names };
  analyses.set(root, result);
  return result;
}

function rewrite30(source: JsonObject, out: JsonObject): void {
  if (source.nullable === true) {
    if (typeof out.type === "string") out.type = [out.type, "null"];
    else if (Array.isArray(out.type) && !out.type.includes("null")) out.type = [...out.type, "null"];
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

/** 3.1 documents are JSON Schema already; only values Ajv would refuse to compile are fixed. */
function rewrite31(out: JsonObject): void {
  if (out.examples !== undefined && !Array.isArray(out.examples)) out.examples = [out.examples];
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
