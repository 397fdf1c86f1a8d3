import { keywordChecks } from "./input-keyword-checks.ts";
import {
  allowsNull,
  canonical,
  enterPair,
  type SchemaWalk,
  hasComposition,
  nullableInner,
  propertiesOf,
  propertyPath,
  requiredOf,
  type SchemaObject,
} from "./schema-facts.ts";
import type { Change, ChangeKind, JsonSchema, Severity } from "./types.ts";

// Recursive schemas ($defs) are cut at a repeated pair of references; this bounds the rest.
const maxDepth = 32;

/** Keywords whose changes this walk cannot judge; adding or changing one counts as breaking. */
const unjudgedKeywords = [
  "not",
  "if",
  "then",
  "else",
  "dependentRequired",
  "dependentSchemas",
  "propertyNames",
  "patternProperties",
  "prefixItems",
  "contains",
  "minContains",
  "maxContains",
  "unevaluatedItems",
  "unevaluatedProperties",
];

type InputWalk = SchemaWalk;

/**
 * Compares a tool's input schemas from the caller's side: a change is breaking when a call that
 * was valid before may now be rejected (a new required argument, a narrower type or range, a
 * removed enum value, an argument removed where no additional properties are allowed, …), and
 * informational when the schema only accepts more. Walks nested properties, array items and
 * local `$ref`s.
 */
export function diffInputSchema(tool: string, before: JsonSchema, after: JsonSchema): Change[] {
  const walk: InputWalk = { tool, beforeRoot: before, afterRoot: after, seen: new Set(), changes: [] };
  compare(walk, before, after, "", 0);
  return walk.changes;
}

function compare(walk: InputWalk, beforeSchema: JsonSchema, afterSchema: JsonSchema, path: string, depth: number): void {
  if (depth > maxDepth) return;
  const entered = enterPair(walk, beforeSchema, afterSchema);
  if (!entered) return;
  const { b, a } = entered;
  if (afterSchema === false && beforeSchema !== false) {
    note(walk, "argument-narrowed", path, `${where(path)} accepts no value any more`);
    return;
  }
  if (unwrapNullable(walk, b, a, path, depth)) return;
  for (const check of keywordChecks) {
    for (const finding of check(b, a)) note(walk, finding.narrows ? "argument-narrowed" : "argument-widened", path, `${where(path)}: ${finding.text}`);
  }
  compareObject(walk, b, a, path, depth);
  compareArray(walk, b, a, path, depth);
  compareCompositions(walk, b, a, path, depth);
  compareUnjudged(walk, b, a, path);
  if (path !== "" && (b.description ?? "") !== (a.description ?? "")) note(walk, "description-changed", path, `${where(path)}: description changed`);
  if (path !== "" && "default" in a && canonical(b.default) !== canonical(a.default)) {
    note(walk, "argument-default-changed", path, `${where(path)}: default ${"default" in b ? `changed from ${JSON.stringify(b.default)} to` : "now"} ${JSON.stringify(a.default)}`);
  }
}

// `X` ↔ `{ anyOf: [X, { type: "null" }] }` is X compared with X, plus null gained or lost.
function unwrapNullable(walk: InputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): boolean {
  const [innerBefore, innerAfter] = [nullableInner(b), nullableInner(a)];
  if (innerBefore !== undefined && innerAfter === undefined && !hasComposition(a)) {
    compare(walk, innerBefore, a, path, depth + 1);
    if (!allowsNull(a)) note(walk, "argument-narrowed", path, `${where(path)}: null no longer accepted`);
    return true;
  }
  if (innerAfter !== undefined && innerBefore === undefined && !hasComposition(b)) {
    compare(walk, b, innerAfter, path, depth + 1);
    if (!allowsNull(b)) note(walk, "argument-widened", path, `${where(path)}: null now accepted`);
    return true;
  }
  return false;
}

function compareObject(walk: InputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): void {
  const [propertiesBefore, propertiesAfter] = [propertiesOf(b), propertiesOf(a)];
  const [requiredBefore, requiredAfter] = [requiredOf(b), requiredOf(a)];
  for (const name of requiredAfter) {
    if (requiredBefore.has(name)) continue;
    const argument = propertyPath(path, name);
    note(walk, "argument-required", argument, name in propertiesBefore ? `argument "${argument}" became required` : `new required argument "${argument}"`);
  }
  for (const name of requiredBefore) {
    if (!requiredAfter.has(name) && name in propertiesAfter) note(walk, "argument-optional", propertyPath(path, name), `argument "${propertyPath(path, name)}" is now optional`);
  }
  for (const [name, schema] of Object.entries(propertiesBefore)) {
    const argument = propertyPath(path, name);
    if (name in propertiesAfter) compare(walk, schema, propertiesAfter[name]!, argument, depth + 1);
    else removedArgument(walk, schema, a, argument, depth);
  }
  for (const name of Object.keys(propertiesAfter)) {
    if (!(name in propertiesBefore) && !requiredAfter.has(name)) note(walk, "argument-added", propertyPath(path, name), `new optional argument "${propertyPath(path, name)}"`);
  }
  compareAdditionalProperties(walk, b, a, path, depth);
}

// A removed argument that callers still send is rejected only when the schema now refuses
// properties it does not name; otherwise it must at least match `additionalProperties`.
function removedArgument(walk: InputWalk, schema: JsonSchema, a: SchemaObject, argument: string, depth: number): void {
  const extra = a.additionalProperties ?? (a.unevaluatedProperties === false ? false : undefined);
  if (extra === false) {
    note(walk, "argument-removed", argument, `argument "${argument}" removed (calls that still send it are rejected: no additional properties allowed)`);
    return;
  }
  note(walk, "argument-removed", argument, `argument "${argument}" removed (still accepted as an additional property)`, "info");
  if (typeof extra === "object" && extra !== null) compare(walk, schema, extra as JsonSchema, argument, depth + 1);
}

function compareAdditionalProperties(walk: InputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): void {
  const [from, to] = [b.additionalProperties, a.additionalProperties];
  const refuses = (value: unknown) => value === false;
  const isSchema = (value: unknown) => typeof value === "object" && value !== null;
  if (refuses(to) && !refuses(from)) note(walk, "argument-narrowed", path, `${where(path)} no longer accepts additional properties`);
  else if (refuses(from) && !refuses(to)) note(walk, "argument-widened", path, `${where(path)} now accepts additional properties`);
  else if (isSchema(from) || isSchema(to)) {
    if (!refuses(from) && !refuses(to)) compare(walk, (from ?? true) as JsonSchema, (to ?? true) as JsonSchema, propertyPath(path, "*"), depth + 1);
  }
}

function compareArray(walk: InputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): void {
  const [from, to] = [b.items, a.items];
  if (from === undefined && to === undefined) return;
  if (Array.isArray(from) || Array.isArray(to)) {
    // Draft-4 tuple form: judged as a whole, like prefixItems.
    if (canonical(from) !== canonical(to)) note(walk, "argument-unclassified", path, unjudged(path, "items"));
    return;
  }
  compare(walk, (from ?? true) as JsonSchema, (to ?? true) as JsonSchema, `${path}[]`, depth + 1);
}

function compareCompositions(walk: InputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): void {
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    const [from, to] = [b[keyword], a[keyword]];
    if (!Array.isArray(from) && !Array.isArray(to)) continue;
    if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
      // Generation is deterministic, so alternatives keep their order: compare them pairwise.
      for (const [index, branch] of from.entries()) compare(walk, branch as JsonSchema, to[index] as JsonSchema, path, depth + 1);
      continue;
    }
    // Dropping a composition only relaxes; adding one only restricts.
    if (!Array.isArray(to)) {
      note(walk, "argument-widened", path, `${where(path)}: "${keyword}" removed`);
      continue;
    }
    if (!Array.isArray(from)) {
      note(walk, "argument-narrowed", path, `${where(path)}: "${keyword}" added (${to.length} ${keyword === "allOf" ? "conditions" : "alternatives"})`);
      continue;
    }
    const kept = new Set(to.map(canonical));
    const known = new Set(from.map(canonical));
    const removed = from.filter((branch) => !kept.has(canonical(branch))).length;
    const added = to.filter((branch) => !known.has(canonical(branch))).length;
    // anyOf/oneOf: fewer alternatives accept less. allOf: more conditions accept less.
    if (keyword === "allOf") {
      if (added > 0) note(walk, "argument-narrowed", path, `${where(path)}: ${added} allOf condition(s) added or changed`);
      else if (removed > 0) note(walk, "argument-widened", path, `${where(path)}: ${removed} allOf condition(s) removed`);
    } else if (removed > 0) note(walk, "argument-narrowed", path, `${where(path)}: ${removed} ${keyword} alternative(s) removed or changed`);
    else if (added > 0) note(walk, "argument-widened", path, `${where(path)}: ${added} ${keyword} alternative(s) added`);
  }
}

function compareUnjudged(walk: InputWalk, b: SchemaObject, a: SchemaObject, path: string): void {
  for (const keyword of unjudgedKeywords) {
    if (canonical(b[keyword]) === canonical(a[keyword])) continue;
    if (a[keyword] === undefined) note(walk, "argument-widened", path, `${where(path)}: "${keyword}" removed`);
    else note(walk, "argument-unclassified", path, unjudged(path, keyword));
  }
}

function unjudged(path: string, keyword: string): string {
  return `${where(path)}: "${keyword}" changed; toolgate diff cannot tell whether calls valid before still pass, so it counts as breaking`;
}

function where(path: string): string {
  return path === "" ? "input" : `argument "${path}"`;
}

const breakingKinds: ReadonlySet<ChangeKind> = new Set(["argument-required", "argument-removed", "argument-narrowed", "argument-unclassified"]);

function note(walk: InputWalk, kind: ChangeKind, path: string, message: string, severity: Severity = breakingKinds.has(kind) ? "breaking" : "info"): void {
  walk.changes.push({ severity, kind, tool: walk.tool, ...(path !== "" ? { argument: path } : {}), message });
}
