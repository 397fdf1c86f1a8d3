import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createGateway, createLogger, type Gateway } from "../../runtime/index.ts";
import { startSampleBackend } from "../../examples/sample-backend/server.ts";
import { connectClient } from "../support/mcp-client.ts";

// The committed generated/ (from specs/) served against the real sample backend, driven by the
// real MCP SDK client: what `npm start` serves.
const generatedDir = fileURLToPath(new URL("../../generated/", import.meta.url));
const token = "e2e-backend-token";

let backend: Awaited<ReturnType<typeof startSampleBackend>>;
let gateway: Gateway;
let client: Client;

beforeAll(async () => {
  backend = await startSampleBackend({ port: 0, token, now: new Date("2026-06-01T00:00:00Z") });
  gateway = await createGateway({
    generatedDir,
    dev: true,
    env: { SAMPLE_BACKEND_TOKEN: token },
    backendUrls: { cs: `${backend.url}/tenants/{tenant}` },
    logger: createLogger("silent"),
  });
  const { url } = await gateway.listen(0, "127.0.0.1");
  client = await connectClient(url, { authorization: "Bearer a-token-that-must-never-reach-the-backend" });
});

afterAll(async () => {
  await client?.close();
  await gateway?.close();
  await backend?.close();
});

type TextResult = { content: { type: string; text: string }[]; structuredContent?: Record<string, unknown>; isError?: boolean };
const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as TextResult;

describe("the example gateway over the sample backend", () => {
  it("lists at least 15 tools, reads and writes, each with an input schema", async () => {
    const { tools } = await client.listTools();
    expect(tools.length).toBeGreaterThanOrEqual(15);
    expect(tools.some((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    expect(tools.some((tool) => tool.annotations?.readOnlyHint === false)).toBe(true);
    for (const tool of tools) expect(tool.inputSchema.type).toBe("object");
  });

  it("lists companies with structured content that matches the output schema, and a text summary", async () => {
    const result = await call("list_companies", { health_band: "at_risk", sort: "-arr", limit: 5 });
    expect(result.isError).toBeFalsy();
    const content = result.structuredContent as { total: number; data: { id: string; health_band: string; arr: number }[] };
    expect(content.total).toBeGreaterThan(0);
    expect(content.data.length).toBeLessThanOrEqual(5);
    for (const company of content.data) expect(company.health_band).toBe("at_risk");
    const arrs = content.data.map((company) => company.arr);
    expect(arrs).toEqual([...arrs].sort((a, b) => b - a));
    expect(result.content[0]!.text).toMatch(/^\d+ companies match; showing \d+ from offset 0\.\n- /);
  });

  it("gets one company by the renamed argument", async () => {
    const list = await call("list_companies", { limit: 1 });
    const id = (list.structuredContent as { data: { id: string }[] }).data[0]!.id;
    const result = await call("get_company", { company_id: id });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ id });
    expect(JSON.parse(result.content[0]!.text)).toEqual(result.structuredContent);
  });

  it("creates a CTA (a write) and reads it back", async () => {
    const company = (await call("list_companies", { limit: 1 })).structuredContent as { data: { id: string }[] };
    const types = (await call("list_cta_types", {})).structuredContent as { data: { id: string; reasons: { id: string }[] }[] };
    const risk = types.data.find((type) => type.id === "risk")!;
    const missingReason = await call("create_cta", { company_id: company.data[0]!.id, name: "Renewal risk review", type_id: risk.id, due_date: "2026-07-01" });
    expect(missingReason.isError).toBe(true);
    expect(missingReason.content[0]!.text).toBe("create_cta failed: the backend answered 400 Bad Request: field 'reason_id' is required for CTA type 'risk'. Correct the arguments and call the tool again.");
    const created = await call("create_cta", { company_id: company.data[0]!.id, name: "Renewal risk review", type_id: risk.id, reason_id: risk.reasons[0]!.id, due_date: "2026-07-01" });
    expect(created.isError).toBeFalsy();
    const id = (created.structuredContent as { id: string }).id;
    const read = await call("get_cta", { cta_id: id });
    expect(read.structuredContent).toMatchObject({ id, name: "Renewal risk review" });
  });

  it("a bad argument is an isError result that names the argument", async () => {
    const result = await call("list_companies", { limit: 1000, health_band: "great" });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain("`limit` must be <= 100");
    expect(result.content[0]!.text).toContain("`health_band` must be one of:");
  });

  it("a missing mandatory field is caught before the backend is called", async () => {
    const result = await call("create_cta", { name: "No company" });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain("`company_id` is required");
  });

  it("a backend 404 is an isError result with the status and the backend's reason", async () => {
    const result = await call("get_company", { company_id: "does-not-exist" });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toMatch(/^get_company failed: the backend answered 404 Not Found: .+\. Check the id; list or search tools can find valid ones\.$/);
  });

  it("an unknown tool is a JSON-RPC error", async () => {
    await expect(client.callTool({ name: "delete_everything", arguments: {} })).rejects.toMatchObject({ code: -32602 });
  });

  it("pages a long tool list: every tool exactly once, in name order", async () => {
    const paged = await createGateway({ generatedDir, dev: true, env: { SAMPLE_BACKEND_TOKEN: token }, backendUrls: { cs: `${backend.url}/tenants/{tenant}` }, pageSize: 7, logger: createLogger("silent") });
    const { url } = await paged.listen(0, "127.0.0.1");
    const pagedClient = await connectClient(url);
    try {
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await pagedClient.listTools(cursor === undefined ? {} : { cursor });
        expect(page.tools.length).toBeLessThanOrEqual(7);
        names.push(...page.tools.map((tool) => tool.name));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== undefined);
      const all = (await client.listTools()).tools.map((tool) => tool.name);
      expect(pages).toBe(Math.ceil(all.length / 7));
      expect(names).toEqual(all);
      expect(names).toEqual([...names].sort());
    } finally {
      await pagedClient.close();
      await paged.close();
    }
  });

  it("imported metadata tools work", async () => {
    const { tools } = await client.listTools();
    const names = tools.map((tool) => tool.name);
    expect(names).toEqual(expect.arrayContaining(["meta_list_objects", "meta_get_object_metadata", "meta_get_picklist"]));
    const result = await call("meta_get_object_metadata", { objectName: "companies" });
    expect(result.isError).toBeFalsy();
  });
});
