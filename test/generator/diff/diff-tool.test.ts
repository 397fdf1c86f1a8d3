import { describe, expect, it } from "vitest";
import { diffTool } from "../../../generator/diff/diff-tool.ts";
import type { ToolSurface } from "../../../generator/index.ts";
import { lines, tool } from "./helpers.ts";

interface Case {
  readonly name: string;
  readonly before: Partial<ToolSurface>;
  readonly after: Partial<ToolSurface>;
  readonly want: readonly string[];
}

const write = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false };

const cases: Case[] = [
  { name: "nothing changed", before: {}, after: {}, want: [] },
  { name: "description changed", before: { description: "Old." }, after: { description: "New." }, want: ["info description-changed: description changed"] },
  { name: "title changed", before: { title: "Old" }, after: { title: "New" }, want: ['info title-changed: title changed from "Old" to "New"'] },
  { name: "a scope added", before: { scopes: ["read:items"] }, after: { scopes: ["read:items", "read:prices"] }, want: ["breaking scope-added: scope added: callers now need read:prices"] },
  { name: "a scope where there was none", before: { scopes: [] }, after: { scopes: ["read:items"] }, want: ["breaking scope-added: scope added: callers now need read:items"] },
  {
    name: "a scope replaced",
    before: { scopes: ["read:items"] },
    after: { scopes: ["items:read"] },
    want: ["breaking scope-added: scopes changed from read:items to items:read: callers now need items:read"],
  },
  { name: "a scope removed", before: { scopes: ["read:items", "read:prices"] }, after: { scopes: ["read:items"] }, want: ["info scope-removed: scope removed: read:prices"] },
  {
    name: "no longer read-only",
    before: {},
    after: { annotations: write },
    want: ["breaking annotation-changed: no longer read-only (readOnlyHint false): read-only apps lose it, clients may now ask for confirmation", "info annotation-changed: idempotentHint changed from true to false"],
  },
  { name: "became destructive", before: { annotations: write }, after: { annotations: { ...write, destructiveHint: true } }, want: ["breaking annotation-changed: became destructive (destructiveHint true)"] },
  { name: "a missing destructiveHint means destructive (MCP default)", before: { annotations: write }, after: { annotations: { readOnlyHint: false, idempotentHint: false, openWorldHint: false } }, want: ["breaking annotation-changed: became destructive (destructiveHint true)"] },
  { name: "no longer destructive", before: { annotations: { ...write, destructiveHint: true } }, after: { annotations: write }, want: ["info annotation-changed: no longer destructive (destructiveHint false)"] },
  { name: "became read-only", before: { annotations: write }, after: { annotations: { ...write, readOnlyHint: true } }, want: ["info annotation-changed: now read-only (readOnlyHint true)"] },
  {
    name: "the backend operation changed",
    before: { operation: "getItem", method: "GET", path: "/items/{id}" },
    after: { operation: "getItemV2", method: "GET", path: "/v2/items/{id}" },
    want: ["info operation-changed: now calls shop getItemV2 (GET /v2/items/{id}), was shop getItem (GET /items/{id})"],
  },
  {
    name: "input and output schemas are compared too",
    before: { inputSchema: { type: "object", properties: {} }, outputSchema: { type: "object", properties: { id: { type: "string" } } } },
    after: { inputSchema: { type: "object", properties: { id: { type: "string" } }, required: ["id"] }, outputSchema: { type: "object", properties: {} } },
    want: ['breaking argument-required: new required argument "id"', 'breaking output-property-removed: output property "id" removed'],
  },
];

describe("diffTool", () => {
  it.each(cases)("$name", ({ before, after, want }) => {
    expect(lines(diffTool(tool("get_item", before), tool("get_item", after)))).toEqual(want);
  });
});
