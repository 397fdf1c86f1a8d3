/**
 * `RelaxFields` is a type: these cases are checked by `tsc --noEmit` (the typecheck covers
 * test/), where each `@ts-expect-error` fails the build if its line stops being an error.
 */
import { describe, expect, it } from "vitest";
import type { RelaxFields } from "../../runtime/handler-api.ts";

/** A backend body type as openapi-typescript writes it: a recursive schema, a readOnly id, a discriminator property it made required. */
interface Planet {
  readonly id: number;
  name: string;
  type: "terrestrial" | "gas_giant";
  satellites?: Satellite[];
  tags?: string[];
}
interface Satellite {
  name: string;
  diameter?: number;
  orbit?: { planet?: Planet };
}

describe("RelaxFields", () => {
  it("requires nothing inside a loose field, but still checks the types of what is there", () => {
    const body: Partial<RelaxFields<Planet, "satellites">> = {};
    body.satellites = [{ name: "Phobos", orbit: { planet: { name: "Mars" } } }];
    // @ts-expect-error diameter is a number
    body.satellites = [{ name: "Phobos", diameter: "large" }];
    // @ts-expect-error "moon" is not a planet's type
    body.satellites = [{ orbit: { planet: { type: "moon" } } }];
    expect(body.satellites).toHaveLength(1);
  });

  it("checks the other fields as the backend's type has them", () => {
    const body: Partial<RelaxFields<Planet, "satellites">> = {};
    // @ts-expect-error tags are strings
    body.tags = [1];
    // @ts-expect-error name is a string
    body.name = 3;
    expect(body).toEqual({ tags: [1], name: 3 });
  });

  it("does not check an unchecked field", () => {
    const body: Partial<RelaxFields<Planet, never, "satellites">> = {};
    const anything: unknown = 42;
    body.satellites = anything;
    // @ts-expect-error a field that is neither loose nor unchecked is strict
    body.tags = anything;
    expect(body.satellites).toBe(42);
  });
});
