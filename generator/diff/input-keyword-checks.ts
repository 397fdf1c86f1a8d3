import {
  canonical,
  formatBound,
  formatTypes,
  isTighter,
  lowerBound,
  typeSet,
  typesLost,
  upperBound,
  type Bound,
  type SchemaObject,
} from "./schema-facts.ts";

/** What one keyword check found: a narrowing (callers' values may now be rejected) or a widening. */
export interface KeywordFinding {
  readonly narrows: boolean;
  readonly text: string;
}

/** Compares one group of validation keywords of an argument's schema, before and after. */
export type KeywordCheck = (before: SchemaObject, after: SchemaObject) => readonly KeywordFinding[];

const narrowed = (text: string): KeywordFinding => ({ narrows: true, text });
const widened = (text: string): KeywordFinding => ({ narrows: false, text });
const number = (value: unknown): number | undefined => (typeof value === "number" && Number.isFinite(value) ? value : undefined);
const list = (values: readonly unknown[]) => values.map((value) => JSON.stringify(value)).join(", ");

function checkType(before: SchemaObject, after: SchemaObject): KeywordFinding[] {
  const [from, to] = [typeSet(before), typeSet(after)];
  const lost = typesLost(from, to);
  const gained = typesLost(to, from);
  const change = `${formatTypes(from)} to ${formatTypes(to)}`;
  if (lost.length > 0 && from !== undefined && to !== undefined && lost.length === from.size) return [narrowed(`type changed from ${change}`)];
  if (lost.length > 0) return [narrowed(from === undefined ? `type restricted to ${formatTypes(to)}` : `type narrowed from ${change}`)];
  if (gained.length > 0) return [widened(`type widened from ${change}`)];
  return [];
}

function checkEnum(before: SchemaObject, after: SchemaObject): KeywordFinding[] {
  const [from, to] = [before.enum, after.enum];
  if (!Array.isArray(to)) return Array.isArray(from) ? [widened("enum removed: any value of the type is accepted")] : [];
  if (!Array.isArray(from)) return [narrowed(`now restricted to the values ${list(to)}`)];
  const kept = new Set(to.map(canonical));
  const known = new Set(from.map(canonical));
  const removed = from.filter((value) => !kept.has(canonical(value)));
  const added = to.filter((value) => !known.has(canonical(value)));
  return [...(removed.length > 0 ? [narrowed(`enum values removed: ${list(removed)}`)] : []), ...(added.length > 0 ? [widened(`enum values added: ${list(added)}`)] : [])];
}

function checkConst(before: SchemaObject, after: SchemaObject): KeywordFinding[] {
  if (!("const" in after)) return "const" in before ? [widened("const removed")] : [];
  if (!("const" in before)) return [narrowed(`now must be ${JSON.stringify(after.const)} (const added)`)];
  return canonical(before.const) === canonical(after.const) ? [] : [narrowed(`const changed from ${JSON.stringify(before.const)} to ${JSON.stringify(after.const)}`)];
}

function checkBound(side: "lower" | "upper", from: Bound | undefined, to: Bound | undefined): KeywordFinding[] {
  const tighter = side === "lower" ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const name = side === "lower" ? "minimum" : "maximum";
  const change = `from ${formatBound(from, side)} to ${formatBound(to, side)}`;
  if (to !== undefined && (from === undefined || isTighter(to, from, tighter))) return [narrowed(from === undefined ? `${name} added: ${formatBound(to, side)}` : `${name} ${side === "lower" ? "raised" : "lowered"} ${change}`)];
  if (from !== undefined && (to === undefined || isTighter(from, to, tighter))) return [widened(`${name} relaxed ${change}`)];
  return [];
}

function checkBounds(before: SchemaObject, after: SchemaObject): KeywordFinding[] {
  return [...checkBound("lower", lowerBound(before), lowerBound(after)), ...checkBound("upper", upperBound(before), upperBound(after))];
}

function checkCount(keyword: string, side: "min" | "max"): KeywordCheck {
  return function checkCountKeyword(before, after) {
    const [from, to] = [number(before[keyword]), number(after[keyword])];
    const none = side === "min" ? 0 : Infinity;
    const [a, b] = [from ?? none, to ?? none];
    if (a === b) return [];
    const narrows = side === "min" ? b > a : b < a;
    if (from === undefined) return [narrows ? narrowed(`${keyword} ${to} added`) : widened(`${keyword} ${to} added`)];
    if (to === undefined) return [widened(`${keyword} ${from} removed`)];
    return [narrows ? narrowed(`${keyword} ${side === "min" ? "raised" : "lowered"} from ${from} to ${to}`) : widened(`${keyword} relaxed from ${from} to ${to}`)];
  };
}

function checkUniqueItems(before: SchemaObject, after: SchemaObject): KeywordFinding[] {
  if (after.uniqueItems === true && before.uniqueItems !== true) return [narrowed("items must now be unique")];
  if (before.uniqueItems === true && after.uniqueItems !== true) return [widened("items need no longer be unique")];
  return [];
}

function checkMultipleOf(before: SchemaObject, after: SchemaObject): KeywordFinding[] {
  const [from, to] = [number(before.multipleOf), number(after.multipleOf)];
  if (from === to) return [];
  if (to === undefined) return [widened(`multipleOf ${from} removed`)];
  // Every multiple of `from` is still a multiple of `to` when `from` is a multiple of `to`.
  const divides = from !== undefined && Math.abs(from / to - Math.round(from / to)) < 1e-9;
  return [divides ? widened(`multipleOf relaxed from ${from} to ${to}`) : narrowed(from === undefined ? `multipleOf ${to} added` : `multipleOf changed from ${from} to ${to}`)];
}

function checkString(keyword: "pattern" | "format"): KeywordCheck {
  return function checkStringKeyword(before, after) {
    const [from, to] = [before[keyword], after[keyword]];
    if (canonical(from) === canonical(to)) return [];
    if (to === undefined) return [widened(`${keyword} ${JSON.stringify(from)} removed`)];
    return [narrowed(from === undefined ? `${keyword} ${JSON.stringify(to)} added` : `${keyword} changed from ${JSON.stringify(from)} to ${JSON.stringify(to)}`)];
  };
}

/** Every check of an argument's own value (objects, arrays and compositions are walked separately). */
export const keywordChecks: readonly KeywordCheck[] = [
  checkType,
  checkEnum,
  checkConst,
  checkBounds,
  checkCount("minLength", "min"),
  checkCount("maxLength", "max"),
  checkString("pattern"),
  checkString("format"),
  checkMultipleOf,
  checkCount("minItems", "min"),
  checkCount("maxItems", "max"),
  checkUniqueItems,
  checkCount("minProperties", "min"),
  checkCount("maxProperties", "max"),
];
