import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createGateway, createLogger, loadGenerated, type Gateway } from "../../runtime/index.ts";
import { connectClient } from "../support/mcp-client.ts";
import { startRecordingBackend, type RecordedRequest } from "../support/recording-backend.ts";

// The golden output of test/generator/fixtures/basic, served against a backend that records
// exactly what it receives.
const golden = fileURLToPath(new URL("../generator/golden/basic/", import.meta.url));

let backend: Awaited<ReturnType<typeof startRecordingBackend>>;
let gateway: Gateway;
let client: Client;
let gatewayUrl: string;

beforeAll(async () => {
  backend = await startRecordingBackend((request) => {
    if (request.url.endsWith("/items/missing")) return { status: 404, body: { error: { message: "no item missing" } } };
    if (request.url.includes("/items/slow")) return { hang: true };
    if (request.url.endsWith("/items/drifted")) return { body: { id: 5, name: "Lamp" } };
    if (request.method === "DELETE") return { status: 204 };
    if (request.url.includes("/items?") || request.url.endsWith("/items")) {
      return request.method === "GET"
        ? { body: { total: 2, data: [{ id: "i1", name: "Lamp", price: 3 }, { id: "i2", name: "Desk", price: null }] } }
        : { status: 201, body: { id: "i3", name: JSON.parse(request.body).name } };
    }
    return { body: { id: "i1", name: "Lamp", price: 3, owner: { name: "Ann", email: "ann@example.com" } } };
  });
  gateway = await createGateway({
    bundle: await loadGenerated(golden),
    dev: true,
    env: { SHOP_TOKEN: "backend-secret" },
    backendUrls: { shop: `${backend.url}/t/{tenant}` },
    backendTimeoutMs: 300,
    devCaller: { tenant: "acme corp" },
    logger: createLogger("silent"),
  });
  const { url } = await gateway.listen(0, "127.0.0.1");
  gatewayUrl = url;
  client = await connectClient(url, { authorization: "Bearer the-callers-own-token" });
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await backend?.close();
});

function last(): RecordedRequest {
  return backend.requests.at(-1)!;
}

describe("request building", () => {
  it("puts arguments in the query, fills defaults, and encodes the tenant into the base URL", async () => {
    await client.callTool({ name: "list_items", arguments: { q: "a&b", tags: ["x", "y z"] } });
    expect(last().method).toBe("GET");
    expect(last().url).toBe("/t/acme%20corp/items?q=a%26b&limit=20&tags=x&tags=y%20z");
  });

  it("maps a renamed argument onto its path parameter, percent-encoded", async () => {
    await client.callTool({ name: "get_item", arguments: { item_id: "a/b?c" } });
    expect(last().url).toBe("/t/acme%20corp/items/a%2Fb%3Fc");
  });

  it("sends a JSON body with injected values the model cannot set", async () => {
    const result = await client.callTool({ name: "create_item", arguments: { name: "Chair", price: 5 } });
    expect(result.isError).toBeFalsy();
    expect(last().method).toBe("POST");
    expect(last().headers["content-type"]).toBe("application/json");
    expect(last().headers["x-tenant"]).toBe("acme corp");
    expect(JSON.parse(last().body)).toEqual({ name: "Chair", price: 5, tenant_id: "t-acme corp" });
  });

  it("rejects an attempt to set an injected value as an unknown argument, without calling the backend", async () => {
    const before = backend.requests.length;
    const result = await client.callTool({ name: "create_item", arguments: { name: "Chair", tenant_id: "globex" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toContain("unknown argument `tenant_id`");
    expect(backend.requests.length).toBe(before);
  });

  it("sends the backend's own credentials, never the caller's token", async () => {
    await client.callTool({ name: "get_item", arguments: { item_id: "i1" } });
    expect(last().headers.authorization).toBe("Bearer backend-secret");
    expect(JSON.stringify(backend.requests)).not.toContain("the-callers-own-token");
  });

  it("marks writes with the acting app and user, and passes W3C trace context through", async () => {
    const traced = await connectClient(gatewayUrl, { traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", tracestate: "vendor=1" });
    try {
      await traced.callTool({ name: "create_item", arguments: { name: "Chair" } });
      expect(last().headers["x-toolgate-actor"]).toBe("client=dev-client; user=dev-user");
      expect(last().headers.traceparent).toBe("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
      expect(last().headers.tracestate).toBe("vendor=1");
      await traced.callTool({ name: "get_item", arguments: { item_id: "i1" } });
      expect(last().headers["x-toolgate-actor"]).toBeUndefined();
    } finally {
      await traced.close();
    }
  });

  it("passes the request id to the backend", async () => {
    await client.callTool({ name: "get_item", arguments: { item_id: "i1" } });
    expect(last().headers["x-request-id"]).toMatch(/^[\w.:-]+$/);
  });
});

describe("output shaping", () => {
  it("picks fields through arrays and renders the text template", async () => {
    const result = await client.callTool({ name: "list_items", arguments: {} });
    expect(result.structuredContent).toEqual({ total: 2, data: [{ id: "i1", name: "Lamp" }, { id: "i2", name: "Desk" }] });
    expect((result.content as { text: string }[])[0]!.text).toBe("2 items:\n- Lamp (i1)\n- Desk (i2)\n");
  });

  it("picks nested fields", async () => {
    const result = await client.callTool({ name: "get_item", arguments: { item_id: "i1" } });
    expect(result.structuredContent).toEqual({ id: "i1", name: "Lamp", owner: { name: "Ann" } });
  });

  it("wraps a non-object result selected by a pointer", async () => {
    const result = await client.callTool({ name: "item_names", arguments: {} });
    expect(result.structuredContent).toEqual({ result: [{ name: "Lamp" }, { name: "Desk" }] });
  });

  it("reports success of an operation without a JSON answer", async () => {
    const result = await client.callTool({ name: "archive_item", arguments: { itemId: "i1" } });
    expect(result.isError).toBeFalsy();
    expect(last().method).toBe("DELETE");
    expect((result.content as { text: string }[])[0]!.text).toBe("archive_item succeeded (HTTP 204).");
  });
});

describe("backend failures become tool errors", () => {
  it("a 404 names the status and the backend's reason", async () => {
    const result = await client.callTool({ name: "get_item", arguments: { item_id: "missing" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      "get_item failed: the backend answered 404 Not Found: no item missing. Check the id; list or search tools can find valid ones.",
    );
  });

  it("an answer outside the documented schema is refused rather than sent on", async () => {
    const result = await client.callTool({ name: "get_item", arguments: { item_id: "drifted" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      "get_item failed: the backend's answer does not match its documented schema (`id` must be a string). This is a backend fault; report it.",
    );
  });

  it("a timeout says so", async () => {
    const result = await client.callTool({ name: "get_item", arguments: { item_id: "slow" } });
    expect(result.isError).toBe(true);
    expect((result.content as { text: string }[])[0]!.text).toBe(
      "The shop backend did not answer within 300 ms, so get_item did not complete. Try again later, or ask for less data.",
    );
  });
});
