import { describe, expect, it } from "vitest";
import { type BodyTypeGap, documentGaps, isPartlyUndescribed } from "../../../generator/model/body-type-gaps.ts";
import { SchemaConverter } from "../../../generator/openapi/to-json-schema.ts";

const doc = (schemas: Record<string, unknown>) => ({ openapi: "3.1.0", paths: {}, components: { schemas } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe("documentGaps", () => {
  const planet = { type: "object", required: ["id", "name"], properties: { id: { type: "integer", readOnly: true }, name: { type: "string" }, type: { type: "string" } } };
  const satellite = { type: "object", required: ["name"], properties: { name: { type: "string" }, orbit: { type: "object", properties: { planet: ref("Planet") } } } };
  const celestialBody = { oneOf: [ref("Planet"), ref("Satellite")], discriminator: { propertyName: "type", mapping: { terrestrial: "#/components/schemas/Planet", moon: "Satellite" } } };
  const cases: { name: string; given: { schemas: Record<string, unknown>; field: unknown }; want: BodyTypeGap[] }[] = [
    {
      name: "a field with nothing special has no gap",
      given: { schemas: { Planet: { type: "object", required: ["name"], properties: { name: { type: "string" } } } }, field: { type: "array", items: ref("Planet") } },
      want: [],
    },
    {
      name: "a required readOnly property inside the field (Scalar Galaxy's satellites[].orbit.planet.id)",
      given: { schemas: { Planet: planet, Satellite: satellite }, field: { type: "array", items: ref("Satellite") } },
      want: ["read-only"],
    },
    {
      name: "a readOnly property that is not required is no gap: the backend's type has it optional",
      given: { schemas: { Planet: { ...planet, required: ["name"] } }, field: ref("Planet") },
      want: [],
    },
    {
      name: "a required property whose $ref target is readOnly",
      given: { schemas: { Id: { type: "integer", readOnly: true }, Owner: { type: "object", required: ["id"], properties: { id: ref("Id") } } }, field: ref("Owner") },
      want: ["read-only"],
    },
    {
      name: "a oneOf member of a discriminator, reached through a recursive $ref",
      given: { schemas: { Planet: { ...planet, required: ["name"] }, Satellite: satellite, CelestialBody: celestialBody }, field: { type: "array", items: ref("Satellite") } },
      want: ["discriminator"],
    },
    {
      name: "a mapping target named without a $ref",
      given: { schemas: { Moon: { type: "object", properties: { type: { type: "string" } } }, Body: { anyOf: [ref("Moon")], discriminator: { propertyName: "type", mapping: { moon: "Moon" } } } }, field: ref("Moon") },
      want: ["discriminator"],
    },
    {
      name: "an allOf child of a schema with a discriminator",
      given: { schemas: { Pet: { type: "object", properties: { petType: { type: "string" } }, discriminator: { propertyName: "petType" } }, Cat: { allOf: [ref("Pet"), { type: "object", properties: { meows: { type: "boolean" } } }] } }, field: ref("Cat") },
      want: ["discriminator"],
    },
    {
      name: "both, sorted",
      given: { schemas: { Planet: planet, Satellite: satellite, CelestialBody: celestialBody }, field: ref("Satellite") },
      want: ["discriminator", "read-only"],
    },
  ];
  it.each(cases)("$name", ({ given, want }) => {
    expect(documentGaps(doc(given.schemas), given.field)).toEqual(want);
  });
});

describe("isPartlyUndescribed", () => {
  const big = { type: "object", properties: Object.fromEntries(Array.from({ length: 20 }, (_, index) => [`field_${index}`, { type: "string", description: "x".repeat(10) }])) };
  const root = doc({ Big: big, List: { type: "array", items: ref("Big") } });
  const given = (defsLimit: number) => {
    const converter = new SchemaConverter(root, { direction: "input", version: "3.1", inlineLimit: 100, defsLimit });
    const field = converter.convert(ref("List"));
    return { field, bounded: converter.withDefs({ type: "object", properties: { field } }) };
  };

  it("is true for a field whose definition the input schema left out (it accepts any value there)", () => {
    const { field, bounded } = given(100);
    expect(bounded.$defs).toBeUndefined();
    expect(isPartlyUndescribed(field, bounded)).toBe(true);
  });

  it("is false for a field whose definitions the input schema carries", () => {
    const { field, bounded } = given(100_000);
    expect(bounded.$defs).toHaveProperty("Big");
    expect(isPartlyUndescribed(field, bounded)).toBe(false);
  });
});
