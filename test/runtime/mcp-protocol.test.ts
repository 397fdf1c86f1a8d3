import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { createGateway, createLogger, loadGenerated, type Gateway } from "../../runtime/index.ts";
import { connectClient, postRaw } from "../support/mcp-client.ts";
import { startRecordingBackend } from "../support/recording-backend.ts";

const golden = fileURLToPath(new URL("../generator/golden/basic/", import.meta.url));

let backend: Awaited<ReturnType<typeof startRecordingBackend>>;
let gateway: Gateway;
let url: string;
let client: Client;

beforeAll(async () => {
  backend = await startRecordingBackend(() => ({ body: { id: "i1", name: "Lamp" } }));
  gateway = await createGateway({
    bundle: await loadGenerated(golden),
    dev: true,
    env: { SHOP_TOKEN: "backend-secret" },
    backendUrls: { shop: backend.url },
    pageSize: 4,
    logger: createLogger("silent"),
  });
  ({ url } = await gateway.listen(0, "127.0.0.1"));
  client = await connectClient(url);
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await backend?.close();
});

const rpc = (method: string, params?: unknown, id: number | string = 1) => JSON.stringify({ jsonrpc: "2.0", id, method, ...(params === undefined ? {} : { params }) });

describe("MCP lifecycle over the SDK client", () => {
  it("negotiates the latest protocol and names the server", () => {
    expect(client.getServerVersion()).toEqual({ name: "fixture", version: "0.1.0" });
    expect(client.getServerCapabilities()).toEqual({ tools: { listChanged: false } });
  });

  it("answers ping", async () => {
    await expect(client.ping()).resolves.toEqual({});
  });

  it("pages tools/list with cursors and every tool appears exactly once", async () => {
    const first = await client.listTools();
    expect(first.tools).toHaveLength(4);
    expect(first.nextCursor).toBeTypeOf("string");
    const second = await client.listTools({ cursor: first.nextCursor });
    expect(second.nextCursor).toBeUndefined();
    const names = [...first.tools, ...second.tools].map((tool) => tool.name);
    expect(names).toEqual(["archive_item", "create_item", "get_item", "item_names", "list_items", "shop_get_tree"]);
  });

  it("derives annotations from the HTTP method", async () => {
    const { tools } = await client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool.annotations]));
    expect(byName.archive_item).toEqual({ readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false });
    expect(byName.create_item).toEqual({ readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false });
    expect(byName.get_item).toEqual({ readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false });
  });

  it("an unknown tool is a JSON-RPC invalid-params error", async () => {
    await expect(client.callTool({ name: "no_such_tool", arguments: {} })).rejects.toMatchObject({ code: -32602, message: expect.stringContaining("Unknown tool: no_such_tool") });
  });

  it("a bad argument is an isError result naming each problem", async () => {
    const result = await client.callTool({ name: "list_items", arguments: { limit: 500, tags: "x", colour: "red" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      [
        "Invalid arguments for tool list_items:",
        "- unknown argument `colour`; allowed arguments: q, limit, tags",
        "- `limit` must be <= 100",
        "- `tags` must be an array",
        "Fix these and call the tool again.",
      ].join("\n"),
    );
  });
});

describe("Streamable HTTP transport rules", () => {
  const headers = { "mcp-protocol-version": LATEST_PROTOCOL_VERSION };

  it.each([
    { name: "malformed JSON → -32700", body: "{not json", status: 400, code: -32700 },
    { name: "a batch → -32600", body: `[${rpc("ping")}]`, status: 400, code: -32600 },
    { name: "no jsonrpc version → -32600", body: JSON.stringify({ id: 1, method: "ping" }), status: 400, code: -32600 },
    { name: "an unknown method → -32601", body: rpc("resources/list"), status: 200, code: -32601 },
    { name: "a bad cursor → -32602", body: rpc("tools/list", { cursor: "nope" }), status: 200, code: -32602 },
    { name: "tools/call without a name → -32602", body: rpc("tools/call", {}), status: 200, code: -32602 },
  ])("$name", async ({ body, status, code }) => {
    const response = await postRaw(url, body, headers);
    expect(response.status).toBe(status);
    expect((response.json() as { error: { code: number } }).error.code).toBe(code);
    expect(response.text).not.toMatch(/\s+at\s.+:\d+:\d+/);
  });

  it("keeps the request id in errors", async () => {
    const response = await postRaw(url, rpc("nope/nope", undefined, "abc"), headers);
    expect(response.json()).toEqual({ jsonrpc: "2.0", id: "abc", error: { code: -32601, message: "Method not found: nope/nope" } });
  });

  it("accepts a notification with 202 and no body", async () => {
    const response = await postRaw(url, JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }), headers);
    expect(response.status).toBe(202);
    expect(response.text).toBe("");
  });

  it.each<{ name: string; extra: Record<string, string>; status: number; message: unknown }>([
    { name: "a foreign Origin", extra: { origin: "https://evil.example" }, status: 403, message: "Invalid Origin header: https://evil.example" },
    { name: "an unknown Host (DNS rebinding)", extra: { host: "evil.example:80" }, status: 403, message: "Invalid Host header: evil.example:80" },
    { name: "an unsupported protocol version", extra: { "mcp-protocol-version": "1999-01-01" }, status: 400, message: expect.stringContaining("Unsupported protocol version 1999-01-01") },
    { name: "an Accept without event-stream", extra: { accept: "application/json" }, status: 406, message: "Not Acceptable: Client must accept both application/json and text/event-stream" },
    { name: "a non-JSON content type", extra: { "content-type": "text/plain" }, status: 415, message: "Unsupported Media Type: Content-Type must be application/json" },
  ])("refuses $name", async ({ extra, status, message }) => {
    const response = await rawRequest("POST", rpc("ping"), { ...headers, ...extra });
    expect(response.status).toBe(status);
    expect(JSON.parse(response.body)).toEqual({ jsonrpc: "2.0", id: null, error: { code: -32000, message } });
  });

  it("allows the resource URL's own origin", async () => {
    const response = await postRaw(url, rpc("ping"), { ...headers, origin: "http://127.0.0.1:3000" });
    expect(response.status).toBe(200);
  });

  it("refuses a body over the limit with 413", async () => {
    const big = rpc("tools/call", { name: "list_items", arguments: { q: "x".repeat(1_100_000) } });
    const response = await postRaw(url, big, headers);
    expect(response.status).toBe(413);
  });

  it.each(["GET", "DELETE"])("answers %s with 405 and Allow: POST (stateless: no SSE stream, no session)", async (method) => {
    const response = await fetch(url, { method, headers: { accept: "text/event-stream" } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
    await response.text();
  });

  it("issues no session id (any instance can answer any request)", async () => {
    const response = await postRaw(url, rpc("initialize", { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "raw", version: "1" } }), headers);
    expect(response.headers.get("mcp-session-id")).toBeNull();
    expect((response.json() as { result: { protocolVersion: string } }).result.protocolVersion).toBe(LATEST_PROTOCOL_VERSION);
  });

  it("answers an older supported version with that version", async () => {
    const response = await postRaw(url, rpc("initialize", { protocolVersion: "2025-03-26", capabilities: {}, clientInfo: { name: "raw", version: "1" } }), headers);
    expect((response.json() as { result: { protocolVersion: string } }).result.protocolVersion).toBe("2025-03-26");
  });
});

describe("CORS for browser-based clients", () => {
  it("answers a preflight from an allowed origin, and lets the page read WWW-Authenticate", async () => {
    const origin = new URL(url).origin;
    const preflight = await fetch(url, { method: "OPTIONS", headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "authorization, content-type" } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe(origin);
    expect(preflight.headers.get("access-control-allow-headers")).toContain("authorization");
    const response = await postRaw(url, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }), { origin });
    expect(response.headers.get("access-control-allow-origin")).toBe(origin);
    expect(response.headers.get("access-control-expose-headers")).toContain("www-authenticate");
  });

  it("refuses a preflight from any other origin", async () => {
    const preflight = await fetch(url, { method: "OPTIONS", headers: { origin: "https://evil.example", "access-control-request-method": "POST" } });
    expect(preflight.status).toBe(403);
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});

describe("health", () => {
  it("/healthz and /readyz answer", async () => {
    const base = new URL(url).origin;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: "ok" });
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: "ready", tools: 6, endpoints: 1 });
  });
});

/** A request with full control of Host (fetch does not allow overriding it). */
async function rawRequest(method: string, body: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const { request } = await import("node:http");
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { method, host: target.hostname, port: target.port, path: target.pathname, headers: { host: target.host, "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}
