import { describe, expect, it } from "vitest";
import { diffSurfaces, type EndpointSurface, type ToolSurface } from "../../../generator/index.ts";
import { subjectLines, surface, tool } from "./helpers.ts";

interface Case {
  readonly name: string;
  readonly before: readonly ToolSurface[];
  readonly after: readonly ToolSurface[];
  /** Endpoints of each side; one `/mcp` endpoint with every tool when absent. */
  readonly endpoints?: { readonly before?: readonly EndpointSurface[]; readonly after?: readonly EndpointSurface[] };
  readonly want: readonly string[];
}

const required = { type: "object", properties: { id: { type: "string" } }, required: ["id"], additionalProperties: false };

const cases: Case[] = [
  { name: "the same tools", before: [tool("get_item")], after: [tool("get_item")], want: [] },
  { name: "a tool removed", before: [tool("get_item"), tool("list_items")], after: [tool("list_items")], want: ["get_item breaking tool-removed: tool removed"] },
  { name: "a tool added", before: [tool("list_items")], after: [tool("get_item"), tool("list_items")], want: ["get_item info tool-added: tool added"] },
  {
    name: "a removed and an added tool on the same operation are one rename",
    before: [tool("fetch_item", { operation: "getItem" })],
    after: [tool("get_item", { operation: "getItem" })],
    want: ["get_item breaking tool-renamed: renamed fetch_item → get_item (same backend operation)"],
  },
  {
    name: "a rename with a breaking change on top reports both",
    before: [tool("fetch_item", { operation: "getItem" })],
    after: [tool("get_item", { operation: "getItem", inputSchema: required })],
    want: ["get_item breaking tool-renamed: renamed fetch_item → get_item (same backend operation)", 'get_item breaking argument-required: new required argument "id"'],
  },
  {
    name: "a rename is also found by method and path when the operation id changed",
    before: [tool("fetch_item", { operation: "getItem", method: "GET", path: "/items/{id}" })],
    after: [tool("get_item", { operation: "items_get", method: "GET", path: "/items/{id}" })],
    want: ["get_item breaking tool-renamed: renamed fetch_item → get_item (same backend operation)", "get_item info operation-changed: now calls shop items_get (GET /items/{id}), was shop getItem (GET /items/{id})"],
  },
  {
    name: "an ambiguous rename (two new tools on the operation) stays removed and added",
    before: [tool("fetch_items", { operation: "listItems" })],
    after: [tool("list_items", { operation: "listItems" }), tool("item_names", { operation: "listItems" })],
    want: ["fetch_items breaking tool-removed: tool removed", "item_names info tool-added: tool added", "list_items info tool-added: tool added"],
  },
  {
    name: "tools on different backends are not a rename",
    before: [tool("fetch_item", { backend: "shop", operation: "getItem" })],
    after: [tool("get_item", { backend: "warehouse", operation: "getItem" })],
    want: ["fetch_item breaking tool-removed: tool removed", "get_item info tool-added: tool added"],
  },
  {
    name: "breaking changes come first, then by tool",
    before: [tool("b_tool", { description: "x" }), tool("c_tool")],
    after: [tool("b_tool", { description: "y" }), tool("a_tool")],
    want: ["c_tool breaking tool-removed: tool removed", "a_tool info tool-added: tool added", "b_tool info description-changed: description changed"],
  },
  // Endpoints
  {
    name: "a tool taken off an endpoint",
    before: [tool("get_item"), tool("list_items")],
    after: [tool("get_item"), tool("list_items")],
    endpoints: { after: [{ path: "/mcp", tools: ["list_items"] }, { path: "/admin/mcp", tools: ["get_item"] }] },
    want: ["get_item breaking endpoint-tool-removed: no longer served on endpoint /mcp", "endpoint /admin/mcp info endpoint-added: endpoint added (serving 1 tool)"],
  },
  {
    name: "a tool that moves onto another endpoint too",
    before: [tool("get_item")],
    after: [tool("get_item")],
    endpoints: { before: [{ path: "/mcp", tools: ["get_item"] }, { path: "/admin/mcp", tools: [] }], after: [{ path: "/mcp", tools: ["get_item"] }, { path: "/admin/mcp", tools: ["get_item"] }] },
    want: ["get_item info endpoint-tool-added: now also served on endpoint /admin/mcp"],
  },
  {
    name: "an endpoint removed",
    before: [tool("get_item")],
    after: [tool("get_item")],
    endpoints: { before: [{ path: "/mcp", tools: ["get_item"] }, { path: "/admin/mcp", tools: ["get_item"] }], after: [{ path: "/mcp", tools: ["get_item"] }] },
    want: ["endpoint /admin/mcp breaking endpoint-removed: endpoint removed (it served 1 tool)"],
  },
  {
    name: "a removed tool is not reported again per endpoint",
    before: [tool("get_item"), tool("list_items")],
    after: [tool("list_items")],
    want: ["get_item breaking tool-removed: tool removed"],
  },
  {
    name: "a renamed tool that stays on its endpoint is only a rename",
    before: [tool("fetch_item", { operation: "getItem" })],
    after: [tool("get_item", { operation: "getItem" })],
    endpoints: { before: [{ path: "/mcp", tools: ["fetch_item"] }], after: [{ path: "/mcp", tools: ["get_item"] }] },
    want: ["get_item breaking tool-renamed: renamed fetch_item → get_item (same backend operation)"],
  },
];

describe("diffSurfaces", () => {
  it.each(cases)("$name", ({ before, after, endpoints, want }) => {
    expect(subjectLines(diffSurfaces(surface(before, endpoints?.before), surface(after, endpoints?.after)))).toEqual(want);
  });
});
