import {
  allowsNull,
  canonical,
  enterPair,
  type SchemaWalk,
  formatTypes,
  hasComposition,
  nullableInner,
  propertiesOf,
  propertyPath,
  requiredOf,
  typeSet,
  typesLost,
  type SchemaObject,
} from "./schema-facts.ts";
import type { Change, ChangeKind, JsonSchema } from "./types.ts";

const maxDepth = 32;

type OutputWalk = SchemaWalk;

/**
 * Compares a tool's output schemas from the side of a client that reads structured content:
 * breaking when something it may rely on can go missing or change type (output schema removed,
 * a property removed or no longer required, a property's type changed or now nullable);
 * informational when the output only gains properties or gets stricter.
 */
export function diffOutputSchema(tool: string, before: JsonSchema | undefined, after: JsonSchema | undefined): Change[] {
  if (before === undefined && after === undefined) return [];
  if (before === undefined) return [{ severity: "info", kind: "output-schema-added", tool, message: "output schema added (the tool now returns structured content)" }];
  if (after === undefined) return [{ severity: "breaking", kind: "output-schema-removed", tool, message: "output schema removed (no structured content to rely on)" }];
  const walk: OutputWalk = { tool, beforeRoot: before, afterRoot: after, seen: new Set(), changes: [] };
  compare(walk, before, after, "", 0);
  return walk.changes;
}

function compare(walk: OutputWalk, beforeSchema: JsonSchema, afterSchema: JsonSchema, path: string, depth: number): void {
  if (depth > maxDepth) return;
  const entered = enterPair(walk, beforeSchema, afterSchema);
  if (!entered) return;
  const { b, a } = entered;
  if (unwrapNullable(walk, b, a, path, depth)) return;
  compareType(walk, b, a, path);
  compareProperties(walk, b, a, path, depth);
  if (b.items !== undefined && a.items !== undefined && !Array.isArray(b.items) && !Array.isArray(a.items)) compare(walk, b.items as JsonSchema, a.items as JsonSchema, `${path}[]`, depth + 1);
  const [extraBefore, extraAfter] = [b.additionalProperties, a.additionalProperties];
  if (typeof extraBefore === "object" && extraBefore !== null && typeof extraAfter === "object" && extraAfter !== null) compare(walk, extraBefore as JsonSchema, extraAfter as JsonSchema, propertyPath(path, "*"), depth + 1);
  compareCompositions(walk, b, a, path, depth);
}

function unwrapNullable(walk: OutputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): boolean {
  const [innerBefore, innerAfter] = [nullableInner(b), nullableInner(a)];
  if (innerAfter !== undefined && innerBefore === undefined && !hasComposition(b)) {
    compare(walk, b, innerAfter, path, depth + 1);
    if (!allowsNull(b)) note(walk, "output-type-changed", path, `${where(path)} can now be null`);
    return true;
  }
  if (innerBefore !== undefined && innerAfter === undefined && !hasComposition(a)) {
    compare(walk, innerBefore, a, path, depth + 1);
    return true;
  }
  return false;
}

function compareType(walk: OutputWalk, b: SchemaObject, a: SchemaObject, path: string): void {
  const [from, to] = [typeSet(b), typeSet(a)];
  const gained = typesLost(to, from);
  const change = `${formatTypes(from)} to ${formatTypes(to)}`;
  if (gained.length === 1 && gained[0] === "null") note(walk, "output-type-changed", path, `${where(path)} can now be null`);
  else if (gained.length > 0) note(walk, "output-type-changed", path, `${where(path)}: type changed from ${change}`);
  else if (typesLost(from, to).length > 0) note(walk, "output-changed", path, `${where(path)}: type narrowed from ${change}`);
  if (Array.isArray(b.enum) && Array.isArray(a.enum)) {
    const known = new Set(b.enum.map(canonical));
    const added = a.enum.filter((value) => !known.has(canonical(value)));
    if (added.length > 0) note(walk, "output-changed", path, `${where(path)}: new enum values ${added.map((value) => JSON.stringify(value)).join(", ")}`);
  }
}

function compareProperties(walk: OutputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): void {
  const [propertiesBefore, propertiesAfter] = [propertiesOf(b), propertiesOf(a)];
  const [requiredBefore, requiredAfter] = [requiredOf(b), requiredOf(a)];
  for (const [name, schema] of Object.entries(propertiesBefore)) {
    const property = propertyPath(path, name);
    if (!(name in propertiesAfter)) {
      note(walk, "output-property-removed", property, `output property "${property}" removed`);
      continue;
    }
    if (requiredBefore.has(name) && !requiredAfter.has(name)) note(walk, "output-property-optional", property, `output property "${property}" may now be absent (no longer required)`);
    compare(walk, schema, propertiesAfter[name]!, property, depth + 1);
  }
  for (const name of Object.keys(propertiesAfter)) {
    if (!(name in propertiesBefore)) note(walk, "output-property-added", propertyPath(path, name), `new output property "${propertyPath(path, name)}"`);
  }
}

function compareCompositions(walk: OutputWalk, b: SchemaObject, a: SchemaObject, path: string, depth: number): void {
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    const [from, to] = [b[keyword], a[keyword]];
    if (Array.isArray(from) && Array.isArray(to) && from.length === to.length) {
      for (const [index, branch] of from.entries()) compare(walk, branch as JsonSchema, to[index] as JsonSchema, path, depth + 1);
    } else if (canonical(from) !== canonical(to)) {
      note(walk, "output-changed", path, `${where(path)}: "${keyword}" changed`);
    }
  }
}

function where(path: string): string {
  return path === "" ? "output" : `output property "${path}"`;
}

const breakingKinds: ReadonlySet<ChangeKind> = new Set(["output-property-removed", "output-property-optional", "output-type-changed"]);

function note(walk: OutputWalk, kind: ChangeKind, path: string, message: string): void {
  walk.changes.push({ severity: breakingKinds.has(kind) ? "breaking" : "info", kind, tool: walk.tool, ...(path !== "" ? { argument: path } : {}), message });
}
