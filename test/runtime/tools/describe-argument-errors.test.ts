import { describe, expect, it } from "vitest";
import { describeArgumentErrors } from "../../../runtime/tools/describe-argument-errors.ts";

const error = (keyword: string, instancePath: string, params: Record<string, unknown>) => ({ keyword, instancePath, params });

describe("describeArgumentErrors(errors, allowed)", () => {
  it.each([
    { given: error("required", "", { missingProperty: "company_id" }), want: "`company_id` is required" },
    { given: error("required", "/filters/0", { missingProperty: "field" }), want: "`filters[0].field` is required" },
    { given: error("additionalProperties", "", { additionalProperty: "colour" }), want: "unknown argument `colour`; allowed arguments: a, b" },
    { given: error("additionalProperties", "/owner", { additionalProperty: "x" }), want: "`owner` has an unknown field `x`" },
    { given: error("type", "/limit", { type: "integer" }), want: "`limit` must be an integer" },
    { given: error("type", "/when", { type: "string,null" }), want: "`when` must be a string or null" },
    { given: error("enum", "/band", { allowedValues: ["healthy", "watch"] }), want: '`band` must be one of: "healthy", "watch"' },
    { given: error("maximum", "/limit", { limit: 100, comparison: "<=" }), want: "`limit` must be <= 100" },
    { given: error("exclusiveMinimum", "/price", { limit: 0 }), want: "`price` must be > 0" },
    { given: error("minLength", "/name", { limit: 1 }), want: "`name` must be at least 1 character long" },
    { given: error("maxItems", "/ids", { limit: 10 }), want: "`ids` must have at most 10 items" },
    { given: error("format", "/due_date", { format: "date" }), want: "`due_date` must be a valid date (for example 2026-01-31)" },
    { given: error("pattern", "/code", { pattern: "^[A-Z]+$" }), want: "`code` must match the pattern ^[A-Z]+$" },
    { given: error("oneOf", "/target", {}), want: "`target` does not match any of the allowed shapes" },
    { given: error("type", "", { type: "object" }), want: "the arguments must be an object" },
  ])("$want", ({ given, want }) => {
    expect(describeArgumentErrors([given], ["a", "b"])).toEqual([want]);
  });

  it("reports each distinct problem once", () => {
    const same = error("required", "", { missingProperty: "x" });
    expect(describeArgumentErrors([same, same], [])).toEqual(["`x` is required"]);
  });
});
