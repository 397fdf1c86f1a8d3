import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { sampleArguments } from "../../../generator/index.ts";
import { sampleMatching } from "../../../generator/dry-run/sample-pattern.ts";

/** An input schema of one argument, `a`. */
const one = (schema: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ type: "object", properties: { a: schema }, additionalProperties: false, ...extra });

describe("sampleArguments(inputSchema, options)", () => {
  const cases: { name: string; given: Record<string, unknown>; want: unknown }[] = [
    { name: "const before anything", given: { const: "x", examples: ["y"] }, want: "x" },
    { name: "the first example", given: { type: "string", examples: ["ex1", "ex2"], default: "d" }, want: "ex1" },
    { name: "the default", given: { type: "integer", default: 7 }, want: 7 },
    { name: "the first enum value that is not null", given: { enum: [null, "b", "c"] }, want: "b" },
    { name: "a string: the argument's name", given: { type: "string" }, want: "a" },
    { name: "minLength pads the name", given: { type: "string", minLength: 4 }, want: "axxx" },
    { name: "a format", given: { type: "string", format: "date-time" }, want: "2024-01-31T12:00:00Z" },
    { name: "a pattern", given: { type: "string", pattern: "^[A-Z]{3}-\\d{2}$" }, want: "AAA-00" },
    { name: "an integer reads as 1", given: { type: "integer" }, want: 1 },
    { name: "minimum", given: { type: "integer", minimum: 5 }, want: 5 },
    { name: "exclusiveMinimum and multipleOf", given: { type: "integer", exclusiveMinimum: 10, multipleOf: 5 }, want: 15 },
    { name: "maximum below 1", given: { type: "number", maximum: -2 }, want: -2 },
    { name: "a boolean", given: { type: "boolean" }, want: true },
    { name: "nullable type: the non-null one", given: { type: ["null", "integer"] }, want: 1 },
    { name: "an array: one item, singular name", given: { type: "array", items: { type: "string" } }, want: ["a"] },
    { name: "minItems with uniqueItems: distinct items", given: { type: "array", items: { type: "string", pattern: "^(0|[1-9][0-9]*)$" }, minItems: 3, uniqueItems: true }, want: ["0", "1", "2"] },
    { name: "an object: required properties only", given: { type: "object", properties: { x: { type: "string" }, y: { type: "integer" } }, required: ["y"] }, want: { y: 1 } },
    { name: "minProperties: optional properties, then made-up keys", given: { type: "object", properties: { x: { type: "string" } }, additionalProperties: { type: "integer" }, minProperties: 2 }, want: { x: "x", key0: 1 } },
    { name: "allOf merged", given: { allOf: [{ type: "object", properties: { x: { type: "string" } }, required: ["x"] }, { required: ["y"], properties: { y: { type: "boolean" } } }] }, want: { x: "x", y: true } },
    { name: "anyOf: the first branch that is not only null", given: { anyOf: [{ type: "null" }, { type: "string", format: "email" }] }, want: "user@example.com" },
    {
      name: "oneOf: a value only one branch takes (here, only null does)",
      given: { oneOf: [{ type: "object" }, { type: "object", properties: { p: { type: "string" } }, additionalProperties: false }, { type: "null" }] },
      want: null,
    },
    { name: "oneOf branches of different types: the first", given: { oneOf: [{ type: "integer", minimum: 3 }, { type: "string" }] }, want: 3 },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(sampleArguments(one(given))).toEqual({ a: want });
  });

  it("follows $ref into $defs, and gives every argument, required or not", () => {
    const schema = {
      type: "object",
      properties: { owner: { $ref: "#/$defs/Owner" }, note: { type: "string" } },
      required: ["owner"],
      additionalProperties: false,
      $defs: { Owner: { type: "object", properties: { name: { type: "string" }, email: { type: "string" } }, required: ["name"] } },
    };
    expect(sampleArguments(schema)).toEqual({ owner: { name: "name" }, note: "note" });
  });

  it("ignores examples and defaults when told to (the fallback for a document whose example breaks its schema)", () => {
    expect(sampleArguments(one({ type: "integer", minimum: 2, examples: ["two"] }), { documented: false })).toEqual({ a: 2 });
  });

  it("fills optional properties of nested objects to the depth asked", () => {
    const schema = one({ type: "object", properties: { x: { type: "object", properties: { y: { type: "string" } } } } });
    expect(sampleArguments(schema)).toEqual({ a: {} });
    expect(sampleArguments(schema, { optionalDepth: 3 })).toEqual({ a: { x: { y: "y" } } });
  });

  it("ends on a recursive schema whose recursion is required", () => {
    const schema = { ...one({ $ref: "#/$defs/Node" }), $defs: { Node: { type: "object", properties: { next: { $ref: "#/$defs/Node" } }, required: ["next"] } } };
    expect(JSON.stringify(sampleArguments(schema))).toMatch(/^\{"a":\{"next":\{"next":/);
  });

  it("makes values the schemas accept, checked by Ajv as the runtime checks them", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    for (const { name, given } of cases) {
      const schema = one(given);
      expect(ajv.validate(schema, sampleArguments(schema)), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    }
  });
});

describe("sampleMatching(pattern)", () => {
  const cases: { given: string; want: string | undefined }[] = [
    { given: "^[a-z]+$", want: "a" },
    { given: "^\\d{3,5}$", want: "000" },
    { given: "^(foo|bar)-[0-9A-F]{2}$", want: "foo-00" },
    { given: "^(?:ab)?c$", want: "c" },
    { given: "^[^a-z]$", want: "A" },
    { given: "^\\w+@\\w+\\.com$", want: "a@a.com" },
    { given: "^\\u00e9t\\x41$", want: "étA" },
    { given: "ab", want: "ab" },
    { given: "^(a)\\1$", want: undefined },
    { given: "^[", want: undefined },
  ];
  it.each(cases)("$given → $want", ({ given, want }) => {
    expect(sampleMatching(given)).toBe(want);
  });
});
