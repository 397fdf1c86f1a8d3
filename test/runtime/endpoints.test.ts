import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureGateway, type FixtureGateway } from "../support/fixture-gateway.ts";

// fixtures/endpoints: a main endpoint (/mcp), a pack (/mcp/shop) with a composite tool and two
// prompts, and a catalog chosen by tags and paths, behind real token verification.
let fixture: FixtureGateway;
let failList = false;

beforeAll(async () => {
  fixture = await startFixtureGateway("endpoints", {
    reply: (request) => {
      if (request.url.split("?")[0]!.endsWith("/items")) return failList && request.url.includes("q=Lamp") ? { status: 500, body: { error: "boom" } } : { status: 200, body: { data: [{ id: "i1", name: "Lamp" }], total: 1 } };
      if (request.url.endsWith("/items/missing")) return { status: 404, body: { error: { message: "no such item" } } };
      return { status: 200, body: { id: "i1", name: "Lamp", price: 9.5 } };
    },
    backendPath: "/t/{tenant}",
  });
});

afterAll(async () => {
  await fixture?.close();
});

const tokenFor = (path: string, scope: string, client = "some-app") => fixture.token({ aud: `${fixture.origin}${path}`, sub: "u1", client_id: client, scope });

let nextId = 1;
async function rpc(path: string, token: string, method: string, params: Record<string, unknown> = {}) {
  const response = await fetch(`${fixture.origin}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  return { status: response.status, headers: response.headers, body: response.status === 200 ? ((await response.json()) as { result?: Record<string, unknown>; error?: { code: number; message: string } }) : undefined };
}

const toolNames = async (path: string, scope: string) => ((await rpc(path, await tokenFor(path, scope), "tools/list")).body!.result!.tools as { name: string }[]).map((tool) => tool.name);

describe("several MCP endpoints from one gateway", () => {
  it.each([
    { path: "/mcp", want: ["create_item", "get_item", "list_items"] },
    { path: "/mcp/shop", want: ["get_item", "get_tree", "item_overview"] },
    { path: "/mcp/catalog", want: ["get_tree", "item_overview", "list_items"] },
  ])("$path lists its own toolset", async ({ path, want }) => {
    expect(await toolNames(path, "read:items write:items read:tree")).toEqual(want);
  });

  it("each endpoint accepts only tokens for its own resource", async () => {
    const forMain = await tokenFor("/mcp", "read:items");
    const refused = await rpc("/mcp/shop", forMain, "tools/list");
    expect(refused.status).toBe(401);
    expect(refused.headers.get("www-authenticate")).toContain(`resource_metadata="${fixture.origin}/.well-known/oauth-protected-resource/mcp/shop"`);
    expect((await rpc("/mcp", forMain, "tools/list")).status).toBe(200);
  });

  it("each endpoint has its own protected resource metadata with its own scopes", async () => {
    const shop = await (await fetch(`${fixture.origin}/.well-known/oauth-protected-resource/mcp/shop`)).json();
    expect(shop).toMatchObject({ resource: `${fixture.origin}/mcp/shop`, authorization_servers: [fixture.issuer.issuer], scopes_supported: ["read:items", "read:tree"], resource_name: "Shop pack" });
    const main = await (await fetch(`${fixture.origin}/.well-known/oauth-protected-resource/mcp`)).json();
    expect(main).toMatchObject({ resource: `${fixture.origin}/mcp`, scopes_supported: ["read:items", "write:items"] });
  });

  it("initialize names the endpoint's title and instructions, and prompts only where there are some", async () => {
    const shop = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } })).body!.result!;
    expect(shop).toMatchObject({ serverInfo: { title: "Shop pack" }, instructions: "Items and their overview.", capabilities: { tools: {}, prompts: {} } });
    const main = (await rpc("/mcp", await tokenFor("/mcp", "read:items"), "initialize", { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } })).body!.result!;
    expect(main.capabilities).not.toHaveProperty("prompts");
  });

  it("/.well-known/mcp.json lists every endpoint with its transport and metadata", async () => {
    const card = (await (await fetch(`${fixture.origin}/.well-known/mcp.json`)).json()) as { endpoints: { name: string; url: string }[] };
    expect(card).toMatchObject({ name: "endpoints-fixture", url: `${fixture.origin}/mcp`, transport: { type: "streamable-http", endpoint: "/mcp" }, authorizationServers: [fixture.issuer.issuer] });
    expect(card.endpoints.map((endpoint) => [endpoint.name, endpoint.url])).toEqual([
      ["main", `${fixture.origin}/mcp`],
      ["catalog", `${fixture.origin}/mcp/catalog`],
      ["discover", `${fixture.origin}/mcp/discover`],
      ["shop", `${fixture.origin}/mcp/shop`],
    ]);
    expect(card.endpoints[3]).toMatchObject({ capabilities: { prompts: {} }, authentication: { protectedResourceMetadata: `${fixture.origin}/.well-known/oauth-protected-resource/mcp/shop`, scopes: ["read:items", "read:tree"] } });
  });
});

describe("composite tools", () => {
  it("call their steps with mapped arguments and return every result", async () => {
    fixture.backend.requests.length = 0;
    const response = await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "tools/call", { name: "item_overview", arguments: { item_id: "i1", search: "lamps" } });
    const result = response.body!.result!;
    expect(result.isError).toBeUndefined();
    expect(result.structuredContent).toEqual({ item: { id: "i1", name: "Lamp", price: 9.5 }, similar: { data: [{ id: "i1", name: "Lamp" }], total: 1 }, listed: { data: [{ id: "i1", name: "Lamp" }], total: 1 }, errors: [] });
    expect(result.content).toEqual([{ type: "text", text: "Lamp (i1); 1 similar; 1 listed" }]);
    const urls = fixture.backend.requests.map((request) => request.url).sort();
    expect(urls).toEqual(["/t/acme/items/i1", "/t/acme/items?q=Lamp&limit=5", "/t/acme/items?q=lamps"]);
  });

  it("leave null and a note for a failed optional step", async () => {
    failList = true;
    try {
      const result = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "tools/call", { name: "item_overview", arguments: { item_id: "i1" } })).body!.result!;
      expect(result.isError).toBeUndefined();
      const content = result.structuredContent as { similar: unknown; errors: { step: string; tool: string; message: string }[] };
      expect(content.similar).toBeNull();
      expect(content.errors).toEqual([{ step: "similar", tool: "list_items", message: expect.stringContaining("500") }]);
    } finally {
      failList = false;
    }
  });

  it("fail as a whole, naming the step, when a required step fails", async () => {
    const result = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "tools/call", { name: "item_overview", arguments: { item_id: "missing" } })).body!.result!;
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toMatch(/^item_overview failed at step "item" \(get_item\): get_item failed: the backend answered 404 Not Found: no such item/);
  });

  it("check their own arguments", async () => {
    const result = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "tools/call", { name: "item_overview", arguments: {} })).body!.result!;
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toContain("item_id");
  });

  it("exist only for callers who may call every step", async () => {
    // narrow-app may use get_item and item_overview, not list_items: the composite would leak it.
    expect(await toolNames("/mcp/shop", "read:items")).toContain("item_overview");
    const narrow = await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items", "narrow-app"), "tools/list");
    expect((narrow.body!.result!.tools as { name: string }[]).map((tool) => tool.name)).toEqual(["get_item"]);
    const call = await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items", "narrow-app"), "tools/call", { name: "item_overview", arguments: { item_id: "i1" } });
    expect(call.body!.error).toMatchObject({ code: -32602, message: "Unknown tool: item_overview" });
  });
});

describe("prompts", () => {
  it("prompts/list shows the endpoint's prompts with their arguments", async () => {
    const list = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "prompts/list")).body!.result!;
    expect(list.prompts).toEqual([
      {
        name: "compare_items",
        title: "Compare two items",
        description: "Asks the model to compare two items.",
        arguments: [
          { name: "first", description: "The first item's id.", required: true },
          { name: "second", required: true },
          { name: "budget", required: false },
          { name: "tone", required: false },
        ],
      },
      { name: "shop_report", arguments: [{ name: "day", required: true }] },
    ]);
  });

  it("a prompt whose tools the caller cannot use is not listed", async () => {
    // narrow-app cannot call list_items… but compare_items only uses get_item; a token without
    // read:items cannot call get_item, so compare_items disappears.
    const list = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:tree"), "prompts/list")).body!.result!;
    expect((list.prompts as { name: string }[]).map((prompt) => prompt.name)).toEqual(["shop_report"]);
    const get = await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:tree"), "prompts/get", { name: "compare_items", arguments: { first: "a", second: "b" } });
    expect(get.body!.error).toMatchObject({ code: -32602, message: "Invalid params: unknown prompt compare_items" });
  });

  it.each([
    { given: { first: "i1", second: "i2" }, want: "Compare items i1 and i2 using get_item.\n" },
    { given: { first: "i1", second: "i2", budget: "20", tone: "short" }, want: "Compare items i1 and i2 using get_item. Stay under 20. Be short.\n" },
  ])("prompts/get renders $given", async ({ given, want }) => {
    const result = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "prompts/get", { name: "compare_items", arguments: given })).body!.result!;
    expect(result).toEqual({ description: "Asks the model to compare two items.", messages: [{ role: "user", content: { type: "text", text: want } }] });
  });

  it("prompts/get renders several messages with their roles", async () => {
    const result = (await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "prompts/get", { name: "shop_report", arguments: { day: "2026-03-01" } })).body!.result!;
    expect(result.messages).toEqual([
      { role: "user", content: { type: "text", text: "Write the shop report for 2026-03-01." } },
      { role: "assistant", content: { type: "text", text: "I will start with list_items." } },
    ]);
  });

  it.each([
    { given: { first: "i1" }, want: '"second" is required' },
    { given: { first: "i1", second: "i2", budget: "cheap" }, want: '"budget" must be a number' },
    { given: { first: "i1", second: "i2", tone: "loud" }, want: '"tone" must be one of short, detailed' },
    { given: { first: "i1", second: "i2", colour: "red" }, want: 'unknown argument "colour"' },
  ])("prompts/get refuses $given: $want", async ({ given, want }) => {
    const response = await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "prompts/get", { name: "compare_items", arguments: given });
    expect(response.body!.error!.code).toBe(-32602);
    expect(response.body!.error!.message).toContain(want);
  });

  it("a date argument must be a date", async () => {
    const response = await rpc("/mcp/shop", await tokenFor("/mcp/shop", "read:items"), "prompts/get", { name: "shop_report", arguments: { day: "tomorrow" } });
    expect(response.body!.error!.message).toContain('"day" must be a date (YYYY-MM-DD)');
  });
});

describe("discovery mode", () => {
  const call = async (scope: string, name: string, args: Record<string, unknown>, client = "some-app") =>
    (await rpc("/mcp/discover", await tokenFor("/mcp/discover", scope, client), "tools/call", { name, arguments: args })).body!;

  it("tools/list shows the three meta-tools only", async () => {
    expect(await toolNames("/mcp/discover", "read:items write:items read:tree")).toEqual(["search_tools", "describe_tool", "call_tool"]);
  });

  it("search_tools finds the caller's tools by the words of a task", async () => {
    const result = (await call("read:items write:items read:tree", "search_tools", { query: "create an item" })).result!;
    const found = (result.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name);
    expect(found[0]).toBe("create_item");
  });

  it("nobody discovers a tool they cannot call", async () => {
    const result = (await call("read:items", "search_tools", { query: "create an item" })).result!;
    expect((result.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name)).not.toContain("create_item");
    const described = (await call("read:items", "describe_tool", { name: "get_tree" })).result!;
    expect(described.isError).toBe(true);
    expect((described.content as { text: string }[])[0]!.text).toContain("No tool named");
    const readOnly = (await call("read:items write:items", "search_tools", { query: "create an item" }, "reader-app")).result!;
    expect((readOnly.structuredContent as { tools: { name: string }[] }).tools.map((tool) => tool.name)).not.toContain("create_item");
  });

  it("describe_tool gives the full definition", async () => {
    const result = (await call("read:items", "describe_tool", { name: "get_item" })).result!;
    expect(result.structuredContent).toMatchObject({ name: "get_item", inputSchema: { required: ["item_id"] } });
  });

  it("call_tool runs the tool through the same pipeline", async () => {
    fixture.backend.requests.length = 0;
    const result = (await call("read:items", "call_tool", { name: "get_item", arguments: { item_id: "i1" } })).result!;
    expect(result.structuredContent).toEqual({ id: "i1", name: "Lamp", price: 9.5 });
    expect(fixture.backend.requests.map((request) => request.url)).toEqual(["/t/acme/items/i1"]);
    const invalid = (await call("read:items", "call_tool", { name: "get_item", arguments: {} })).result!;
    expect(invalid.isError).toBe(true);
  });

  it("call_tool on a tool the token lacks a scope for asks for it (step-up)", async () => {
    const response = await rpc("/mcp/discover", await tokenFor("/mcp/discover", "read:items"), "tools/call", { name: "call_tool", arguments: { name: "create_item", arguments: { name: "x" } } });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
  });
});
