import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { JsonObject } from "../openapi/load-document.ts";
import { sampleMatching } from "./sample-pattern.ts";

export interface SampleOptions {
  /**
   * Take what the schema documents (`const`, `examples`, `default`, the first `enum` value)
   * before making a value up. Off, every value is synthesised from the constraints: the fallback
   * when a document's own example does not satisfy its schema.
   */
  readonly documented?: boolean;
  /** Also fill optional properties of nested objects (to this depth below the arguments), not only required ones. */
  readonly optionalDepth?: number;
}

/**
 * Arguments for a tool, made from its input schema: every argument (required or not, so each
 * binding shows in the request), each a value the schema documents or the smallest value that
 * satisfies its type, format and bounds. Nested objects get their required properties.
 */
export function sampleArguments(inputSchema: JsonObject, options: SampleOptions = {}): Record<string, unknown> {
  const sampler = new Sampler(inputSchema, options);
  const value = sampler.sample(inputSchema, "", 0, true);
  return isRecord(value) ? value : {};
}

/** Deeper than this, a value is cut short (recursive schemas whose recursion is required cannot be satisfied anyway). */
const maxDepth = 12;

class Sampler {
  readonly #root: JsonObject;
  readonly #documented: boolean;
  readonly #optionalDepth: number;
  #ajv: Ajv2020 | undefined;
  // By the schema's text: flattening makes new objects for the same schema.
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(root: JsonObject, options: SampleOptions) {
    this.#root = root;
    this.#documented = options.documented ?? true;
    this.#optionalDepth = options.optionalDepth ?? 0;
  }

  sample(raw: unknown, name: string, depth: number, allProperties = false): unknown {
    if (raw === true || raw === undefined) return name || "sample";
    if (!isRecord(raw)) return null;
    const schema = this.#flatten(raw, depth);
    if (schema.const !== undefined) return schema.const;
    if (this.#documented) {
      if (Array.isArray(schema.examples) && schema.examples.length > 0) return schema.examples[0];
      if (schema.default !== undefined) return schema.default;
    }
    if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum.find((value) => value !== null) ?? schema.enum[0];
    if (depth > maxDepth) return null;
    if (Array.isArray(schema.oneOf)) return this.#oneOf(schema, name, depth, allProperties);
    switch (typeOf(schema)) {
      case "null":
        return null;
      case "boolean":
        return true;
      case "integer":
        return sampleNumber(schema, true);
      case "number":
        return sampleNumber(schema, false);
      case "array":
        return this.#array(schema, name, depth);
      case "object":
        return this.#object(schema, depth, allProperties || depth < this.#optionalDepth);
      default:
        return sampleString(schema, name);
    }
  }

  #array(schema: JsonObject, name: string, depth: number): unknown[] {
    const prefix = Array.isArray(schema.prefixItems) ? schema.prefixItems : [];
    const min = typeof schema.minItems === "number" ? schema.minItems : 0;
    const max = typeof schema.maxItems === "number" ? schema.maxItems : Infinity;
    // One item at least, so the way arrays are serialised shows in the request.
    const count = Math.min(Math.max(min, prefix.length, 1), max);
    const items: unknown[] = [];
    for (let index = 0; index < count; index++) {
      const itemSchema = index < prefix.length ? prefix[index] : schema.items;
      const item = isRecord(itemSchema) ? this.#flatten(itemSchema, depth + 1) : itemSchema;
      // Distinct enum values where there are enough, so uniqueItems holds.
      if (isRecord(item) && Array.isArray(item.enum) && item.enum.length > index && item.const === undefined) items.push(item.enum[index]);
      else items.push(this.#distinct(this.sample(itemSchema, singular(name), depth + 1), items, schema.uniqueItems === true ? itemSchema : undefined));
    }
    return items;
  }

  /** Under `uniqueItems`, a value that repeats an earlier item is varied (a number counted up, a string suffixed) while its schema still accepts it. */
  #distinct(value: unknown, before: readonly unknown[], itemSchema: unknown): unknown {
    const text = JSON.stringify(value);
    if (itemSchema === undefined || !before.some((item) => JSON.stringify(item) === text)) return value;
    for (let step = 1; step <= before.length + 1; step++) {
      const candidate = typeof value === "number" ? value + step : typeof value === "string" ? (/^\d+$/.test(value) ? String(BigInt(value) + BigInt(step)) : `${value}${step}`) : undefined;
      if (candidate === undefined) return value;
      if (!before.some((item) => item === candidate) && (!isRecord(itemSchema) || this.#accepts(itemSchema, candidate))) return candidate;
    }
    return value;
  }

  #object(schema: JsonObject, depth: number, allProperties: boolean): Record<string, unknown> {
    const properties = isRecord(schema.properties) ? schema.properties : {};
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === "string") : []);
    const out: Record<string, unknown> = {};
    for (const [key, property] of Object.entries(properties)) {
      if (!allProperties && !required.has(key)) continue;
      // Reading only: a required read-only property is what the backend sends, not what it takes.
      if (isRecord(property) && property.readOnly === true && !required.has(key)) continue;
      Object.defineProperty(out, key, { value: this.sample(property, key, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    const extra = isRecord(schema.additionalProperties) ? schema.additionalProperties : schema.additionalProperties === false ? undefined : {};
    for (const key of required) {
      if (Object.hasOwn(out, key)) continue;
      Object.defineProperty(out, key, { value: this.sample(extra, key, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    // minProperties: the optional properties first, then made-up keys where more are allowed.
    const minimum = typeof schema.minProperties === "number" ? schema.minProperties : 0;
    for (const [key, property] of Object.entries(properties)) {
      if (Object.keys(out).length >= minimum) break;
      if (!Object.hasOwn(out, key)) Object.defineProperty(out, key, { value: this.sample(property, key, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    const names = isRecord(schema.propertyNames) ? this.#flatten(schema.propertyNames, depth + 1) : {};
    for (let index = 0; Object.keys(out).length < minimum && extra !== undefined && index < minimum + 8; index++) {
      const key = Array.isArray(names.enum) ? String(names.enum[index] ?? `key${index}`) : typeof names.pattern === "string" ? (this.#distinct(sampleMatching(names.pattern) ?? `key${index}`, Object.keys(out), names) as string) : `key${index}`;
      if (!Object.hasOwn(out, key)) Object.defineProperty(out, key, { value: this.sample(extra, key, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }

  /**
   * The first branch of a `oneOf` whose value matches that branch alone: with only the required
   * properties, else with every property. Branches often overlap (two objects whose properties
   * are all optional), so the value is checked against the whole `oneOf`, with Ajv.
   */
  #oneOf(schema: JsonObject, name: string, depth: number, allProperties: boolean): unknown {
    const { oneOf, ...rest } = schema;
    const branches = (oneOf as unknown[]).filter(isRecord);
    // Null-only branches last: a value shows more than null does, but null may be the only value that fits one branch alone.
    const ordered = branches.map((branch) => merge(rest, this.#flatten(branch, depth + 1))).sort((a, b) => Number(isNullOnly(a)) - Number(isNullOnly(b)));
    let first: unknown;
    for (const merged of ordered) {
      for (const all of allProperties ? [true] : [false, true]) {
        const value = this.sample(merged, name, depth, all);
        first ??= value;
        // Most branches differ by type (`null` or an object, say): then only one can match, and
        // Ajv need not be asked; it is when types overlap that a value may match two.
        const typed = ordered.filter((other) => admitsTypeOf(other, value));
        if ((typed.length === 1 && typed[0] === merged) || this.#accepts(schema, value)) return value;
      }
    }
    return first ?? null;
  }

  #accepts(schema: JsonObject, value: unknown): boolean {
    const key = JSON.stringify(schema);
    let validate = this.#compiled.get(key);
    if (!validate) {
      if (!this.#ajv) {
        this.#ajv = new Ajv2020({ strict: false, logger: false, allErrors: false });
        addFormats.default(this.#ajv);
      }
      try {
        validate = this.#ajv.compile({ ...schema, $defs: this.#root.$defs ?? {} });
      } catch {
        return true;
      }
      this.#compiled.set(key, validate);
    }
    return validate(value);
  }

  /**
   * One schema with `$ref`, `allOf` and the first branch of `anyOf` folded in (a branch that is
   * only `null` is passed over when another exists, so a value shows). `oneOf` is left to `sample`.
   */
  #flatten(schema: JsonObject, depth: number): JsonObject {
    if (depth > maxDepth * 4) return {};
    let current = schema;
    for (let guard = 0; guard < 64; guard++) {
      if (typeof current.$ref === "string") {
        const { $ref, ...rest } = current;
        const target = this.#resolve($ref);
        current = merge(isRecord(target) ? target : {}, rest);
        continue;
      }
      if (Array.isArray(current.allOf)) {
        const { allOf, ...rest } = current;
        current = allOf.filter(isRecord).reduce((merged: JsonObject, part) => merge(merged, this.#flatten(part, depth + 1)), rest);
        continue;
      }
      if (Array.isArray(current.anyOf)) {
        const { anyOf, ...rest } = current;
        const options = anyOf.filter(isRecord);
        const chosen = options.find((option) => !isNullOnly(this.#flatten(option, depth + 1))) ?? options[0] ?? {};
        current = merge(rest, this.#flatten(chosen, depth + 1));
        continue;
      }
      return current;
    }
    return current;
  }

  #resolve(ref: string): unknown {
    if (ref === "#") return this.#root;
    if (!ref.startsWith("#/")) return undefined;
    let node: unknown = this.#root;
    for (const raw of ref.slice(2).split("/")) {
      const part = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
      if (!isRecord(node) || !Object.hasOwn(node, part)) return undefined;
      node = node[part];
    }
    return node;
  }
}

/** `b` over `a`, with properties merged and required lists joined. */
function merge(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = { ...a, ...b };
  if (isRecord(a.properties) && isRecord(b.properties)) out.properties = { ...a.properties, ...b.properties };
  if (Array.isArray(a.required) && Array.isArray(b.required)) out.required = [...new Set([...a.required, ...b.required])];
  for (const key of ["minimum", "exclusiveMinimum", "minLength", "minItems"] as const) {
    if (typeof a[key] === "number" && typeof b[key] === "number") out[key] = Math.max(a[key], b[key]);
  }
  for (const key of ["maximum", "exclusiveMaximum", "maxLength", "maxItems"] as const) {
    if (typeof a[key] === "number" && typeof b[key] === "number") out[key] = Math.min(a[key], b[key]);
  }
  if (a.type !== undefined && b.type !== undefined) {
    const left = Array.isArray(a.type) ? a.type : [a.type];
    const right = Array.isArray(b.type) ? b.type : [b.type];
    const both = left.filter((type) => right.includes(type) || (type === "integer" && right.includes("number")));
    const fromRight = right.filter((type) => type === "integer" && left.includes("number"));
    out.type = [...new Set([...both, ...fromRight])];
  }
  return out;
}

/** Whether a (flattened) schema's declared type, if any, admits the value's JSON type. */
function admitsTypeOf(schema: JsonObject, value: unknown): boolean {
  if (schema.type === undefined) return true;
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  const actual = value === null ? "null" : Array.isArray(value) ? "array" : typeof value === "number" ? (Number.isInteger(value) ? "integer" : "number") : typeof value;
  return types.includes(actual) || (actual === "integer" && types.includes("number"));
}

function isNullOnly(schema: JsonObject): boolean {
  return schema.type === "null" || (Array.isArray(schema.type) && schema.type.length === 1 && schema.type[0] === "null");
}

type JsonType = "null" | "boolean" | "integer" | "number" | "string" | "array" | "object";

/** The type to make a value of: the first non-null one declared, else what the keywords imply. */
function typeOf(schema: JsonObject): JsonType | undefined {
  const declared = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((type): type is JsonType => typeof type === "string");
  const chosen = declared.find((type) => type !== "null") ?? declared[0];
  if (chosen) return chosen;
  if (schema.properties !== undefined || schema.additionalProperties !== undefined || schema.required !== undefined) return "object";
  if (schema.items !== undefined || schema.prefixItems !== undefined) return "array";
  if (typeof schema.minimum === "number" || typeof schema.maximum === "number" || typeof schema.multipleOf === "number") return "number";
  return undefined;
}

function sampleNumber(schema: JsonObject, integer: boolean): number {
  const step = typeof schema.multipleOf === "number" && schema.multipleOf > 0 ? schema.multipleOf : integer ? 1 : undefined;
  let low = -Infinity;
  let lowOpen = false;
  if (typeof schema.minimum === "number") low = schema.minimum;
  if (typeof schema.exclusiveMinimum === "number" && schema.exclusiveMinimum >= low) {
    low = schema.exclusiveMinimum;
    lowOpen = true;
  }
  let high = Infinity;
  if (typeof schema.maximum === "number") high = schema.maximum;
  if (typeof schema.exclusiveMaximum === "number" && schema.exclusiveMaximum <= high) high = schema.exclusiveMaximum - (step ?? Number.EPSILON * Math.max(1, Math.abs(schema.exclusiveMaximum)));
  // 1 reads as a real value (0 often means "unset"); otherwise the lowest the bounds allow.
  let value = low === -Infinity ? Math.min(1, high) : lowOpen ? low + (step ?? 1) : low;
  if (step !== undefined) value = Math.ceil(value / step) * step;
  if (value > high && step !== undefined) value = Math.floor(high / step) * step;
  return integer ? Math.round(value) : value;
}

const formats: Readonly<Record<string, string>> = {
  date: "2024-01-31",
  "date-time": "2024-01-31T12:00:00Z",
  time: "12:00:00Z",
  duration: "P1D",
  email: "user@example.com",
  "idn-email": "user@example.com",
  hostname: "example.com",
  "idn-hostname": "example.com",
  ipv4: "192.0.2.1",
  ipv6: "2001:db8::1",
  uri: "https://example.com/",
  url: "https://example.com/",
  "uri-reference": "https://example.com/",
  iri: "https://example.com/",
  "iri-reference": "https://example.com/",
  "uri-template": "https://example.com/{id}",
  uuid: "123e4567-e89b-42d3-a456-426614174000",
  "json-pointer": "/a",
  "relative-json-pointer": "0",
  regex: "^a$",
  byte: "c2FtcGxl",
  password: "secret",
};

/** A string of the schema's format, or matching its pattern, or the argument's name fitted to the length bounds. */
function sampleString(schema: JsonObject, name: string): string {
  const format = typeof schema.format === "string" ? formats[schema.format] : undefined;
  if (format !== undefined) return format;
  if (typeof schema.pattern === "string") {
    const matching = sampleMatching(schema.pattern);
    if (matching !== undefined) return matching;
  }
  const min = typeof schema.minLength === "number" ? schema.minLength : 0;
  const max = typeof schema.maxLength === "number" ? schema.maxLength : Infinity;
  let text = name.replace(/[^A-Za-z0-9_-]/g, "") || "sample";
  if (text.length < min) text = text + "x".repeat(min - text.length);
  return text.slice(0, max);
}

function singular(name: string): string {
  return name.length > 3 && name.endsWith("s") ? name.slice(0, -1) : name;
}

function isRecord(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
