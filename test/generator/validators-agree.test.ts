import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import * as validators from "./golden/basic/validators.js";

// The precompiled validators must judge arguments exactly as the schema does when compiled
// straight from the tool definitions (no drift between what tools/list shows and what runs).
const reference = new Ajv2020({ allErrors: true, strict: false });
addFormats.default(reference);
const definition = (tool: string) => JSON.parse(readFileSync(new URL(`./golden/basic/tools/${tool}.json`, import.meta.url), "utf8"));

const cases: { tool: string; args: unknown; valid: boolean }[] = [
  { tool: "list_items", args: {}, valid: true },
  { tool: "list_items", args: { q: "lamp", limit: 100, tags: ["a"] }, valid: true },
  { tool: "list_items", args: { limit: 0 }, valid: false },
  { tool: "list_items", args: { limit: 101 }, valid: false },
  { tool: "list_items", args: { limit: 2.5 }, valid: false },
  { tool: "list_items", args: { tags: "a" }, valid: false },
  { tool: "list_items", args: { tags: [1] }, valid: false },
  { tool: "list_items", args: { unknown: 1 }, valid: false },
  { tool: "get_item", args: { item_id: "i1" }, valid: true },
  { tool: "get_item", args: {}, valid: false },
  { tool: "get_item", args: { itemId: "i1" }, valid: false },
  { tool: "get_item", args: { item_id: 7 }, valid: false },
  { tool: "create_item", args: { name: "x" }, valid: true },
  { tool: "create_item", args: { name: "" }, valid: false },
  { tool: "create_item", args: { name: "x", price: -1 }, valid: false },
  { tool: "create_item", args: { name: "x", tenant_id: "other" }, valid: false },
  { tool: "create_item", args: { name: "x", id: "forced" }, valid: false },
  { tool: "archive_item", args: { itemId: "i1" }, valid: true },
  { tool: "archive_item", args: { itemId: null }, valid: false },
  { tool: "shop_get_tree", args: {}, valid: true },
  { tool: "shop_get_tree", args: { depth: 1 }, valid: false },
];

describe("generated validators agree with the schemas they were made from", () => {
  it.each(cases)("$tool $args → valid: $valid", ({ tool, args, valid }) => {
    const generated = (validators as Record<string, (data: unknown) => boolean>)[`tool_${tool}`]!;
    const direct = reference.compile(definition(tool).inputSchema);
    expect(generated(structuredClone(args))).toBe(valid);
    expect(direct(structuredClone(args))).toBe(valid);
  });

  it("fill in declared defaults", () => {
    const args: Record<string, unknown> = {};
    validators.tool_list_items(args);
    expect(args).toEqual({ limit: 20 });
  });
});
