import { describe, expect, it } from "vitest";
import { DiffSourceError, surfaceFromFiles } from "../../../generator/index.ts";

const manifest = (extra: Record<string, unknown> = {}) =>
  JSON.stringify({ gateway: { resource: "https://tools.example.com/v1/mcp/" }, tools: [{ name: "get_item", backend: "shop", operation: "getItem", method: "GET", path: "/items/{id}", scopes: ["read:items"] }], ...extra });
const definition = JSON.stringify({ name: "get_item", description: "Gets an item.", inputSchema: { type: "object" }, annotations: { readOnlyHint: true } });

describe("surfaceFromFiles", () => {
  it("joins the manifest entry and the tool's JSON file", () => {
    const surface = surfaceFromFiles("main", "generated", new Map([["manifest.json", manifest()], ["tools/get_item.json", definition]]));
    expect(surface.tools.get("get_item")).toMatchObject({ name: "get_item", description: "Gets an item.", operation: "getItem", scopes: ["read:items"], inputSchema: { type: "object" }, outputSchema: undefined });
  });

  it("without an endpoints list, serves every tool on the resource's path", () => {
    const surface = surfaceFromFiles("main", "generated", new Map([["manifest.json", manifest()], ["tools/get_item.json", definition]]));
    expect(surface.endpoints).toEqual([{ path: "/v1/mcp", tools: ["get_item"] }]);
  });

  it("reads an endpoints list when the manifest has one", () => {
    const files = new Map([["manifest.json", manifest({ endpoints: [{ path: "/a", tools: ["get_item"] }, { path: "/b", tools: [] }] })], ["tools/get_item.json", definition]]);
    expect(surfaceFromFiles("main", "generated", files).endpoints).toEqual([{ path: "/a", tools: ["get_item"] }, { path: "/b", tools: [] }]);
  });

  const broken: { name: string; files: [string, string][]; want: string }[] = [
    { name: "no manifest", files: [], want: "generated/manifest.json is missing" },
    { name: "a manifest that is not JSON", files: [["manifest.json", "{"]], want: "generated/manifest.json is not valid JSON" },
    { name: "a manifest without tools", files: [["manifest.json", "{}"]], want: 'generated/manifest.json has no "tools" list' },
    { name: "a tool file missing", files: [["manifest.json", manifest()]], want: "generated/tools/get_item.json is missing" },
    { name: "a bad endpoints list", files: [["manifest.json", manifest({ endpoints: [{ path: "/a" }] })], ["tools/get_item.json", definition]], want: 'endpoints[0] needs a "path" and a list of tool names' },
  ];
  it.each(broken)("$name is a DiffSourceError", ({ files, want }) => {
    const read = () => surfaceFromFiles("main", "generated", new Map(files));
    expect(read).toThrow(DiffSourceError);
    expect(read).toThrow(want);
  });
});
