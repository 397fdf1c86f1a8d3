import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { SchemaConverter, toJsonSchema } from "../../../generator/openapi/to-json-schema.ts";

const input = { direction: "input" } as const;
const doc = (schemas: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ openapi: "3.1.0", paths: {}, components: { schemas }, ...extra });

describe("toJsonSchema", () => {
  const cases: { name: string; given: { root: Record<string, unknown>; schema: unknown; version: "3.0" | "3.1" }; want: unknown }[] = [
    {
      name: "3.0 nullable beside anyOf allows null (Stripe)",
      given: { root: doc({}), schema: { anyOf: [{ type: "string" }, { type: "integer" }], nullable: true }, version: "3.0" },
      want: { anyOf: [{ anyOf: [{ type: "string" }, { type: "integer" }] }, { type: "null" }] },
    },
    {
      name: "3.0 nullable beside $ref allows null",
      given: { root: doc({ Pet: { type: "object" } }), schema: { $ref: "#/components/schemas/Pet", nullable: true }, version: "3.0" },
      want: { anyOf: [{ type: "object" }, { type: "null" }] },
    },
    {
      name: "3.1 keywords beside $ref apply too",
      given: { root: doc({ Pet: { type: "object" } }), schema: { $ref: "#/components/schemas/Pet", description: "The pet." }, version: "3.1" },
      want: { type: "object", description: "The pet." },
    },
    {
      name: "a self-recursive schema becomes a $defs entry",
      given: { root: doc({ Node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/components/schemas/Node" } } } } }), schema: { $ref: "#/components/schemas/Node" }, version: "3.1" },
      want: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } }, $defs: { Node: { type: "object", properties: { children: { type: "array", items: { $ref: "#/$defs/Node" } } } } } },
    },
    {
      name: "a $ref to an $id and $anchor resolves; the keywords are dropped",
      given: { root: doc({ details: { $id: "/schemas/details", type: "object", properties: { id: { $anchor: "details_id", type: "integer" } } } }), schema: { $ref: "/schemas/details#details_id" }, version: "3.1" },
      want: { type: "integer" },
    },
    {
      name: "an empty enum allows nothing",
      given: { root: doc({}), schema: { type: "string", enum: [] }, version: "3.1" },
      want: { type: "string", not: {} },
    },
    {
      name: "a $ref that is not a string (an unquoted $ref is a YAML comment) accepts any value",
      given: { root: doc({}), schema: { $ref: null }, version: "3.1" },
      want: {},
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    const schema = toJsonSchema(given.root, given.schema, { ...input, version: given.version });
    expect(schema).toEqual(want);
    expect(() => new Ajv2020({ strict: false }).compile(schema)).not.toThrow();
  });

  it("keeps the required properties of recursive schemas in $defs; only readOnly ones leave an input schema (Scalar Galaxy)", () => {
    // Planet → satellites → Satellite → orbit.planet → Planet, as in 06-scalar-galaxy-3.1.yaml.
    const root = doc({
      Planet: {
        type: "object",
        required: ["id", "name"],
        additionalProperties: false,
        properties: {
          id: { type: "integer", readOnly: true },
          name: { type: "string" },
          type: { type: "string", enum: ["terrestrial", "gas_giant"] },
          satellites: { type: "array", items: { $ref: "#/components/schemas/Satellite" } },
        },
      },
      Satellite: {
        type: "object",
        required: ["name"],
        properties: { id: { type: "integer", readOnly: true }, name: { type: "string" }, orbit: { type: "object", properties: { planet: { $ref: "#/components/schemas/Planet" } } } },
      },
    });
    const planet = { $ref: "#/components/schemas/Planet" };
    const inputSchema = toJsonSchema(root, planet, { ...input, version: "3.1" });
    expect(inputSchema).toMatchObject({
      required: ["name"],
      $defs: {
        Planet: { required: ["name"], additionalProperties: false, properties: { satellites: { items: { $ref: "#/$defs/Satellite" } } } },
        Satellite: { required: ["name"], properties: { orbit: { properties: { planet: { $ref: "#/$defs/Planet" } } } } },
      },
    });
    expect(Object.keys((inputSchema.$defs as { Planet: { properties: object } }).Planet.properties)).toEqual(["name", "type", "satellites"]);
    const outputSchema = toJsonSchema(root, planet, { direction: "output", version: "3.1" });
    expect(outputSchema).toMatchObject({ required: ["id", "name"], $defs: { Planet: { required: ["id", "name"] }, Satellite: { required: ["name"] } } });

    const validate = new Ajv2020({ strict: false }).compile(inputSchema);
    const body = (planetInOrbit: unknown) => ({ name: "Mars", satellites: [{ name: "Phobos", orbit: { planet: planetInOrbit } }] });
    const cases: { given: unknown; want: boolean }[] = [
      { given: body({ name: "Mars" }), want: true },
      { given: body({ name: "Mars", type: "terrestrial" }), want: true },
      { given: body({}), want: false },
      { given: body({ name: "Mars", type: "moon" }), want: false },
      { given: body({ name: "Mars", id: 4 }), want: false },
      { given: { name: "Mars", satellites: [{ orbit: {} }] }, want: false },
    ];
    expect(cases.map(({ given }) => validate(given))).toEqual(cases.map(({ want }) => want));
  });

  it("shares a definition over the inline limit, and stubs one whose closure is over the defs limit", () => {
    const big = { type: "object", properties: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`field_${index}`, { type: "string", description: "x".repeat(10) }])) };
    const root = doc({ Big: big, Holder: { type: "object", properties: { a: { $ref: "#/components/schemas/Big" }, b: { $ref: "#/components/schemas/Big" } } } });
    const shared = new SchemaConverter(root, { ...input, version: "3.1", inlineLimit: 100 });
    const schema = shared.withDefs(shared.convert({ $ref: "#/components/schemas/Holder" }));
    expect(schema).toMatchObject({ properties: { a: { $ref: "#/$defs/Big" }, b: { $ref: "#/$defs/Big" } }, $defs: { Big: big } });
    const limited = new SchemaConverter(root, { ...input, version: "3.1", inlineLimit: 100, defsLimit: 100 });
    const stubbed = limited.withDefs(limited.convert({ $ref: "#/components/schemas/Holder" }));
    expect(stubbed.$defs).toBeUndefined();
    expect(stubbed).toMatchObject({ properties: { a: { description: expect.stringContaining("Big (not described here") } } });
  });
});
