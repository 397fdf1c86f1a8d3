import type { OutputPlan, PickTree } from "../handler-api.ts";

/** Applies a tool's output plan (pointer, pick, wrap) to the backend's parsed answer. */
export function shapeOutput(plan: OutputPlan, value: unknown): Record<string, unknown> {
  let result = value;
  if (plan.pointer) result = atPointer(result, plan.pointer);
  if (plan.pick) result = pick(result, plan.pick);
  return plan.wrap ? { result } : (result as Record<string, unknown>);
}

function atPointer(value: unknown, segments: readonly string[]): unknown {
  let current = value;
  for (const segment of segments) {
    if (current === null || typeof current !== "object") return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** Keeps the fields of the tree; arrays are picked item by item; absent fields stay absent. */
export function pick(value: unknown, tree: PickTree): unknown {
  if (Array.isArray(value)) return value.map((item) => pick(item, tree));
  if (value === null || typeof value !== "object") return value;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const field in tree) {
    if (!Object.hasOwn(source, field)) continue;
    const sub = tree[field]!;
    const picked = sub === true ? source[field] : pick(source[field], sub);
    // A field named "__proto__" must stay a field, not become the prototype.
    if (field === "__proto__") Object.defineProperty(out, field, { value: picked, enumerable: true, writable: true, configurable: true });
    else out[field] = picked;
  }
  return out;
}
