import { describe, expect, it } from "vitest";
import { diffInputSchema } from "../../../generator/diff/diff-input-schema.ts";
import type { JsonSchema } from "../../../generator/index.ts";
import { lines } from "./helpers.ts";

interface Case {
  readonly name: string;
  readonly before: JsonSchema;
  readonly after: JsonSchema;
  /** Every change, as `severity kind: message`, in order. */
  readonly want: readonly string[];
}

/** An input schema with these arguments and no additional properties. */
const input = (properties: Record<string, JsonSchema>, required: string[] = [], extra: Record<string, unknown> = {}): JsonSchema => ({
  type: "object",
  properties,
  ...(required.length > 0 ? { required } : {}),
  additionalProperties: false,
  ...extra,
});
const one = (schema: JsonSchema) => input({ x: schema });

const cases: Case[] = [
  { name: "identical schemas", before: one({ type: "string" }), after: one({ type: "string" }), want: [] },
  // Arguments
  {
    name: "a new required argument",
    before: input({ name: { type: "string" } }, ["name"]),
    after: input({ name: { type: "string" }, due_date: { type: "string" } }, ["name", "due_date"]),
    want: ['breaking argument-required: new required argument "due_date"'],
  },
  { name: "an optional argument becomes required", before: input({ q: { type: "string" } }), after: input({ q: { type: "string" } }, ["q"]), want: ['breaking argument-required: argument "q" became required'] },
  { name: "a new optional argument", before: input({}), after: input({ q: { type: "string" } }), want: ['info argument-added: new optional argument "q"'] },
  { name: "a required argument becomes optional", before: input({ q: { type: "string" } }, ["q"]), after: input({ q: { type: "string" } }), want: ['info argument-optional: argument "q" is now optional'] },
  {
    name: "an argument removed where additional properties are refused",
    before: input({ q: { type: "string" }, limit: { type: "integer" } }),
    after: input({ q: { type: "string" } }),
    want: ['breaking argument-removed: argument "limit" removed (calls that still send it are rejected: no additional properties allowed)'],
  },
  {
    name: "an argument removed where additional properties are allowed",
    before: { type: "object", properties: { q: { type: "string" }, limit: { type: "integer" } } },
    after: { type: "object", properties: { q: { type: "string" } } },
    want: ['info argument-removed: argument "limit" removed (still accepted as an additional property)'],
  },
  {
    name: "additional properties turned false",
    before: { type: "object", properties: { q: { type: "string" } } },
    after: input({ q: { type: "string" } }),
    want: ["breaking argument-narrowed: input no longer accepts additional properties"],
  },
  { name: "additional properties allowed again", before: input({}), after: { type: "object", properties: {} }, want: ["info argument-widened: input now accepts additional properties"] },
  // Types
  { name: "type set shrinks (no longer nullable)", before: one({ type: ["string", "null"] }), after: one({ type: "string" }), want: ['breaking argument-narrowed: argument "x": type narrowed from string|null to string'] },
  { name: "type changes", before: one({ type: "string" }), after: one({ type: "integer" }), want: ['breaking argument-narrowed: argument "x": type changed from string to integer'] },
  { name: "number to integer narrows", before: one({ type: "number" }), after: one({ type: "integer" }), want: ['breaking argument-narrowed: argument "x": type changed from number to integer'] },
  { name: "integer to number widens", before: one({ type: "integer" }), after: one({ type: "number" }), want: ['info argument-widened: argument "x": type widened from integer to number'] },
  { name: "a type where there was none", before: one({}), after: one({ type: "string" }), want: ['breaking argument-narrowed: argument "x": type restricted to string'] },
  { name: "nullable added", before: one({ type: "string" }), after: one({ type: ["string", "null"] }), want: ['info argument-widened: argument "x": type widened from string to string|null'] },
  // Values
  { name: "enum values removed", before: one({ type: "string", enum: ["low", "high", "critical"] }), after: one({ type: "string", enum: ["low", "high"] }), want: ['breaking argument-narrowed: argument "x": enum values removed: "critical"'] },
  { name: "enum values added", before: one({ type: "string", enum: ["low"] }), after: one({ type: "string", enum: ["low", "high"] }), want: ['info argument-widened: argument "x": enum values added: "high"'] },
  { name: "an enum where there was none", before: one({ type: "string" }), after: one({ type: "string", enum: ["a"] }), want: ['breaking argument-narrowed: argument "x": now restricted to the values "a"'] },
  { name: "const added", before: one({ type: "string" }), after: one({ type: "string", const: "v1" }), want: ['breaking argument-narrowed: argument "x": now must be "v1" (const added)'] },
  { name: "minimum raised", before: one({ type: "integer", minimum: 0 }), after: one({ type: "integer", minimum: 1 }), want: ['breaking argument-narrowed: argument "x": minimum raised from >= 0 to >= 1'] },
  { name: "exclusiveMinimum at the old minimum", before: one({ type: "number", minimum: 0 }), after: one({ type: "number", exclusiveMinimum: 0 }), want: ['breaking argument-narrowed: argument "x": minimum raised from >= 0 to > 0'] },
  { name: "maximum added", before: one({ type: "integer" }), after: one({ type: "integer", maximum: 100 }), want: ['breaking argument-narrowed: argument "x": maximum added: <= 100'] },
  { name: "maximum lowered", before: one({ type: "integer", maximum: 100 }), after: one({ type: "integer", maximum: 50 }), want: ['breaking argument-narrowed: argument "x": maximum lowered from <= 100 to <= 50'] },
  { name: "maximum raised", before: one({ type: "integer", maximum: 50 }), after: one({ type: "integer", maximum: 100 }), want: ['info argument-widened: argument "x": maximum relaxed from <= 50 to <= 100'] },
  { name: "minLength raised", before: one({ type: "string", minLength: 1 }), after: one({ type: "string", minLength: 3 }), want: ['breaking argument-narrowed: argument "x": minLength raised from 1 to 3'] },
  { name: "maxLength lowered", before: one({ type: "string", maxLength: 200 }), after: one({ type: "string", maxLength: 100 }), want: ['breaking argument-narrowed: argument "x": maxLength lowered from 200 to 100'] },
  { name: "maxLength removed", before: one({ type: "string", maxLength: 200 }), after: one({ type: "string" }), want: ['info argument-widened: argument "x": maxLength 200 removed'] },
  { name: "minItems raised", before: one({ type: "array", minItems: 0 }), after: one({ type: "array", minItems: 1 }), want: ['breaking argument-narrowed: argument "x": minItems raised from 0 to 1'] },
  { name: "maxItems added", before: one({ type: "array" }), after: one({ type: "array", maxItems: 10 }), want: ['breaking argument-narrowed: argument "x": maxItems 10 added'] },
  { name: "uniqueItems turned on", before: one({ type: "array" }), after: one({ type: "array", uniqueItems: true }), want: ['breaking argument-narrowed: argument "x": items must now be unique'] },
  { name: "multipleOf added", before: one({ type: "number" }), after: one({ type: "number", multipleOf: 0.5 }), want: ['breaking argument-narrowed: argument "x": multipleOf 0.5 added'] },
  { name: "multipleOf relaxed to a divisor", before: one({ type: "integer", multipleOf: 10 }), after: one({ type: "integer", multipleOf: 5 }), want: ['info argument-widened: argument "x": multipleOf relaxed from 10 to 5'] },
  { name: "pattern added", before: one({ type: "string" }), after: one({ type: "string", pattern: "^[a-z]+$" }), want: ['breaking argument-narrowed: argument "x": pattern "^[a-z]+$" added'] },
  { name: "pattern changed", before: one({ type: "string", pattern: "^a" }), after: one({ type: "string", pattern: "^b" }), want: ['breaking argument-narrowed: argument "x": pattern changed from "^a" to "^b"'] },
  { name: "pattern removed", before: one({ type: "string", pattern: "^a" }), after: one({ type: "string" }), want: ['info argument-widened: argument "x": pattern "^a" removed'] },
  { name: "format added", before: one({ type: "string" }), after: one({ type: "string", format: "date" }), want: ['breaking argument-narrowed: argument "x": format "date" added'] },
  { name: "format changed", before: one({ type: "string", format: "date" }), after: one({ type: "string", format: "date-time" }), want: ['breaking argument-narrowed: argument "x": format changed from "date" to "date-time"'] },
  // Nesting
  {
    name: "a new required property of a nested object",
    before: one(input({ status: { type: "string" } })),
    after: one(input({ status: { type: "string" }, owner: { type: "string" } }, ["owner"])),
    want: ['breaking argument-required: new required argument "x.owner"'],
  },
  {
    name: "an enum value removed from array items",
    before: input({ tags: { type: "array", items: { type: "string", enum: ["a", "b"] } } }),
    after: input({ tags: { type: "array", items: { type: "string", enum: ["a"] } } }),
    want: ['breaking argument-narrowed: argument "tags[]": enum values removed: "b"'],
  },
  {
    name: "a property of objects in an array",
    before: one({ type: "array", items: input({ id: { type: "string" } }) }),
    after: one({ type: "array", items: input({ id: { type: "string", minLength: 1 } }) }),
    want: ['breaking argument-narrowed: argument "x[].id": minLength 1 added'],
  },
  {
    name: "a map's value schema narrowed",
    before: one({ type: "object", additionalProperties: { type: ["string", "number"] } }),
    after: one({ type: "object", additionalProperties: { type: "string" } }),
    want: ['breaking argument-narrowed: argument "x.*": type narrowed from string|number to string'],
  },
  {
    name: "a change inside a recursive $defs schema is found, and the walk ends",
    before: input({ node: { $ref: "#/$defs/Node" } }, [], { $defs: { Node: { type: "object", properties: { label: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } } } } }),
    after: input({ node: { $ref: "#/$defs/Node" } }, [], { $defs: { Node: { type: "object", properties: { label: { type: "string", maxLength: 10 }, children: { type: "array", items: { $ref: "#/$defs/Node" } } } } } }),
    want: ['breaking argument-narrowed: argument "node.label": maxLength 10 added'],
  },
  // Compositions
  { name: "nullable wrapper added around a $ref", before: input({ a: { $ref: "#/$defs/A" } }, [], { $defs: { A: { type: "string" } } }), after: input({ a: { anyOf: [{ $ref: "#/$defs/A" }, { type: "null" }] } }, [], { $defs: { A: { type: "string" } } }), want: ['info argument-widened: argument "a": null now accepted'] },
  { name: "nullable wrapper removed", before: one({ anyOf: [{ type: "string" }, { type: "null" }] }), after: one({ type: "string" }), want: ['breaking argument-narrowed: argument "x": null no longer accepted'] },
  { name: "an anyOf alternative removed", before: one({ anyOf: [{ type: "string" }, { type: "integer" }, { type: "boolean" }] }), after: one({ anyOf: [{ type: "string" }, { type: "integer" }] }), want: ['breaking argument-narrowed: argument "x": 1 anyOf alternative(s) removed or changed'] },
  { name: "an anyOf alternative added", before: one({ anyOf: [{ type: "string" }] }), after: one({ anyOf: [{ type: "string" }, { type: "integer" }] }), want: ['info argument-widened: argument "x": 1 anyOf alternative(s) added'] },
  { name: "an alternative narrowed in place", before: one({ oneOf: [{ type: "string" }, { type: "integer" }] }), after: one({ oneOf: [{ type: "string", maxLength: 5 }, { type: "integer" }] }), want: ['breaking argument-narrowed: argument "x": maxLength 5 added'] },
  { name: "an allOf condition added", before: one({ allOf: [{ type: "string" }] }), after: one({ allOf: [{ type: "string" }, { minLength: 2 }] }), want: ['breaking argument-narrowed: argument "x": 1 allOf condition(s) added or changed'] },
  { name: "an anyOf where there was none", before: one({}), after: one({ anyOf: [{ type: "string" }, { type: "integer" }] }), want: ['breaking argument-narrowed: argument "x": "anyOf" added (2 alternatives)'] },
  { name: "an anyOf dropped", before: one({ anyOf: [{ type: "string" }, { type: "integer" }] }), after: one({}), want: ['info argument-widened: argument "x": "anyOf" removed'] },
  {
    name: "a keyword it cannot judge counts as breaking",
    before: one({ type: "string" }),
    after: one({ type: "string", not: { const: "" } }),
    want: ['breaking argument-unclassified: argument "x": "not" changed; toolgate diff cannot tell whether calls valid before still pass, so it counts as breaking'],
  },
  // Documentation
  { name: "an argument's description changed", before: one({ type: "string", description: "old" }), after: one({ type: "string", description: "new" }), want: ['info description-changed: argument "x": description changed'] },
  { name: "an argument's default changed", before: one({ type: "integer", default: 20 }), after: one({ type: "integer", default: 50 }), want: ['info argument-default-changed: argument "x": default changed from 20 to 50'] },
];

describe("diffInputSchema", () => {
  it.each(cases)("$name", ({ before, after, want }) => {
    expect(lines(diffInputSchema("t", before, after))).toEqual(want);
  });

  it("names the tool and the argument path on each change", () => {
    const [change] = diffInputSchema("create_cta", one({ type: "string" }), one({ type: "integer" }));
    expect(change).toMatchObject({ tool: "create_cta", argument: "x", severity: "breaking" });
  });
});
