import { describe, expect, it } from "vitest";
import { diffOutputSchema } from "../../../generator/diff/diff-output-schema.ts";
import type { JsonSchema } from "../../../generator/index.ts";
import { lines } from "./helpers.ts";

interface Case {
  readonly name: string;
  readonly before: JsonSchema | undefined;
  readonly after: JsonSchema | undefined;
  readonly want: readonly string[];
}

/** An output object with these properties, all of them required unless `required` says which. */
const output = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({ type: "object", properties, required, additionalProperties: false });

const cases: Case[] = [
  { name: "no output schema on either side", before: undefined, after: undefined, want: [] },
  { name: "identical", before: output({ id: { type: "string" } }), after: output({ id: { type: "string" } }), want: [] },
  { name: "output schema removed", before: output({ id: { type: "string" } }), after: undefined, want: ["breaking output-schema-removed: output schema removed (no structured content to rely on)"] },
  { name: "output schema added", before: undefined, after: output({ id: { type: "string" } }), want: ["info output-schema-added: output schema added (the tool now returns structured content)"] },
  { name: "a property removed", before: output({ id: { type: "string" }, name: { type: "string" } }), after: output({ id: { type: "string" } }), want: ['breaking output-property-removed: output property "name" removed'] },
  { name: "a property added", before: output({ id: { type: "string" } }), after: output({ id: { type: "string" }, name: { type: "string" } }), want: ['info output-property-added: new output property "name"'] },
  { name: "a property's type changed", before: output({ count: { type: "integer" } }), after: output({ count: { type: "string" } }), want: ['breaking output-type-changed: output property "count": type changed from integer to string'] },
  { name: "integer to number is a change for consumers", before: output({ count: { type: "integer" } }), after: output({ count: { type: "number" } }), want: ['breaking output-type-changed: output property "count": type changed from integer to number'] },
  { name: "a property became nullable", before: output({ owner: { type: "string" } }), after: output({ owner: { type: ["string", "null"] } }), want: ['breaking output-type-changed: output property "owner" can now be null'] },
  { name: "a property no longer nullable", before: output({ owner: { type: ["string", "null"] } }), after: output({ owner: { type: "string" } }), want: ['info output-changed: output property "owner": type narrowed from string|null to string'] },
  { name: "a required property became optional", before: output({ id: { type: "string" } }), after: output({ id: { type: "string" } }, []), want: ['breaking output-property-optional: output property "id" may now be absent (no longer required)'] },
  { name: "new enum values", before: output({ s: { type: "string", enum: ["open"] } }), after: output({ s: { type: "string", enum: ["open", "closed"] } }), want: ['info output-changed: output property "s": new enum values "closed"'] },
  {
    name: "a property of items in a list removed",
    before: output({ data: { type: "array", items: output({ id: { type: "string" }, name: { type: "string" } }) } }),
    after: output({ data: { type: "array", items: output({ id: { type: "string" } }) } }),
    want: ['breaking output-property-removed: output property "data[].name" removed'],
  },
  {
    name: "a nullable wrapper added around a $ref",
    before: { type: "object", properties: { plan: { $ref: "#/$defs/Plan" } }, $defs: { Plan: output({ id: { type: "string" } }) } },
    after: { type: "object", properties: { plan: { anyOf: [{ $ref: "#/$defs/Plan" }, { type: "null" }] } }, $defs: { Plan: output({ id: { type: "string" } }) } },
    want: ['breaking output-type-changed: output property "plan" can now be null'],
  },
];

describe("diffOutputSchema", () => {
  it.each(cases)("$name", ({ before, after, want }) => {
    expect(lines(diffOutputSchema("t", before, after))).toEqual(want);
  });
});
