/**
 * Validators share what tools repeat: a subschema that several tools (or definitions) hold is
 * compiled once and referred to. Sharing must not change a verdict, an error's place, or
 * which defaults are filled in.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, describe, expect, it } from "vitest";
import { emitInputValidators, emitOutputValidators } from "../../../generator/emit/emit-validators.ts";
import type { ToolModel } from "../../../generator/model/types.ts";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const scratch = join(root, "test/.tmp", `shared-validators-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Long enough to be shared (>= 256 characters of JSON), and in every tool.
const address = {
  type: "object",
  description: "A postal address; the description differs between tools, the validation does not.",
  properties: {
    line1: { type: "string", maxLength: 200 },
    line2: { type: ["string", "null"], maxLength: 200 },
    city: { type: "string", minLength: 1 },
    postal_code: { type: "string", pattern: "^[A-Z0-9 -]{3,10}$" },
    country: { type: "string", enum: ["DE", "FR", "GB", "US"] },
  },
  required: ["line1", "city", "country"],
  additionalProperties: false,
};
// A default under anyOf: Ajv leaves it alone inline, so it must stay inline (not be shared).
const options = {
  anyOf: [
    {
      type: "object",
      properties: {
        mode: { type: "string", default: "fast" },
        retries: { type: "integer", minimum: 0, maximum: 10 },
        label: { type: "string", maxLength: 40 },
        timeout_seconds: { type: "number", exclusiveMinimum: 0, maximum: 3600 },
        notify: { type: "array", items: { type: "string", format: "email" }, maxItems: 5 },
      },
      additionalProperties: false,
    },
    { type: "string", enum: ["", "none"] },
  ],
};
const withDescription = (description: string) => ({ ...address, description });
const tree = { type: "object", properties: { name: { type: "string" }, children: { type: "array", items: { $ref: "#/$defs/Node" } } } };

const tools = [
  { name: "create_customer", backend: "api", inputSchema: { type: "object", properties: { address: withDescription("Billing address."), options }, required: ["address"], additionalProperties: false }, outputSchema: { type: "object", properties: { shipping: address, tree: { $ref: "#/$defs/Node" } }, $defs: { Node: tree } } },
  { name: "update_customer", backend: "api", inputSchema: { type: "object", properties: { id: { type: "string" }, address: withDescription("New address."), options }, required: ["id"], additionalProperties: false }, outputSchema: { type: "object", properties: { shipping: address, tree: { $ref: "#/$defs/Node" } }, $defs: { Node: tree } } },
  { name: "get_order", backend: "api", inputSchema: { type: "object", properties: { ship_to: address }, additionalProperties: false }, outputSchema: { type: "object", properties: { ship_to: address } } },
] as unknown as ToolModel[];

async function load(what: "input" | "output"): Promise<{ source: string; module: Record<string, ((data: unknown) => boolean) & { errors?: { instancePath: string; keyword: string }[] | null }> }> {
  const { js } = what === "input" ? emitInputValidators(tools, "../runtime/handler-api.ts") : emitOutputValidators(tools, "../runtime/handler-api.ts");
  mkdirSync(scratch, { recursive: true });
  const file = join(scratch, `${what}.js`);
  writeFileSync(file, js);
  return { source: js, module: await import(pathToFileURL(file).href) };
}

const goodAddress = { line1: "1 Main St", city: "Springfield", country: "US" };
const inputCases: { tool: string; args: Record<string, unknown> }[] = [
  { tool: "create_customer", args: { address: goodAddress } },
  { tool: "create_customer", args: { address: { ...goodAddress, country: "XX" } } },
  { tool: "create_customer", args: { address: { ...goodAddress, postal_code: "a" } } },
  { tool: "create_customer", args: { address: { line1: "x" } } },
  { tool: "create_customer", args: { address: { ...goodAddress, extra: 1 } } },
  { tool: "create_customer", args: { address: goodAddress, options: {} } },
  { tool: "create_customer", args: { address: goodAddress, options: { retries: 11 } } },
  { tool: "create_customer", args: { address: goodAddress, options: "none" } },
  { tool: "update_customer", args: { id: "c1", address: { ...goodAddress, line2: null } } },
  { tool: "update_customer", args: { id: "c1", address: { ...goodAddress, line2: 3 } } },
  { tool: "get_order", args: { ship_to: goodAddress } },
  { tool: "get_order", args: { ship_to: { ...goodAddress, city: "" } } },
];

describe("validators of subschemas that tools repeat", () => {
  it("share them: one compiled schema, referred to from every tool", async () => {
    const { source } = await load("input");
    expect(source).toMatch(/toolgate:shared:[A-Za-z0-9_-]{16}/);
    // The default under anyOf stays inline in each tool.
    expect(source.match(/"fast"/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it.each(inputCases)("judge $tool $args as the schema does, errors and defaults included", async ({ tool, args }) => {
    const { module } = await load("input");
    const reference = new Ajv2020({ allErrors: true, useDefaults: true, strict: false });
    addFormats.default(reference);
    const direct = reference.compile(tools.find((entry) => entry.name === tool)!.inputSchema);
    const generated = module[`tool_${tool}`]!;
    const [a, b] = [structuredClone(args), structuredClone(args)];
    expect(generated(a)).toBe(direct(b));
    expect(a).toEqual(b);
    const places = (errors: { instancePath: string; keyword: string }[] | null | undefined) => (errors ?? []).map((error) => `${error.instancePath} ${error.keyword}`).sort();
    expect(places(generated.errors)).toEqual(places(direct.errors as never));
  });

  it.each([
    { given: { shipping: goodAddress, tree: { name: "a", children: [{ name: "b", children: [] }] } }, valid: true },
    { given: { shipping: { ...goodAddress, country: 1 } }, valid: false },
    { given: { tree: { name: "a", children: [{ name: 2 }] } }, valid: false },
  ])("output validators judge $given as the schema does", async ({ given, valid }) => {
    const { module } = await load("output");
    for (const tool of ["create_customer", "update_customer"]) {
      const direct = new Ajv2020({ strict: false }).compile(tools.find((entry) => entry.name === tool)!.outputSchema!);
      expect(module[`output_${tool}`]!(structuredClone(given))).toBe(valid);
      expect(direct(structuredClone(given))).toBe(valid);
    }
  });
});
