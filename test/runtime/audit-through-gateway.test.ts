import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAuditLog, type AuditLog } from "../../runtime/audit/index.ts";
import { createGateway, createLogger, loadGenerated } from "../../runtime/index.ts";
import { startFixtureGateway, type FixtureGateway } from "../support/fixture-gateway.ts";
import { postRaw } from "../support/mcp-client.ts";
import { startRecordingBackend, type RecordedRequest, type RecordingBackend, type Reply } from "../support/recording-backend.ts";
import { databaseUrl, serviceAvailable } from "../support/services.ts";

const golden = fileURLToPath(new URL("../generator/golden/basic/", import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), "toolgate-audit-e2e-"));
const headers = { "mcp-protocol-version": "2025-11-25" };
const callBody = (id: number | string, name: string, args: Record<string, unknown>) => JSON.stringify({ jsonrpc: "2.0", id, method: "tools/call", params: { name, arguments: args } });

const reply = (request: RecordedRequest): Reply =>
  request.url.endsWith("/items/missing") ? { status: 404, body: { error: { message: "no such item" } } } : request.method === "POST" ? { status: 201, body: { id: "i9", name: "Chair" } } : { body: { id: "i1", name: "Lamp" } };
const limits = { default: {}, tenants: {}, apps: { "busy-app": { callsPerMinute: 1 } }, onStoreError: "open" as const };

let backend: RecordingBackend;
beforeAll(async () => {
  backend = await startRecordingBackend(reply);
});
afterAll(async () => {
  await backend?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe("every tools/call has an audit record, whatever its outcome", () => {
  let fixture: FixtureGateway;
  beforeAll(async () => {
    fixture = await startFixtureGateway("basic", { reply, limits });
  });
  afterAll(async () => {
    await fixture?.close();
  });

  const token = (claims: Record<string, unknown>) => fixture.token({ sub: "ann", ...claims });
  const call = async (name: string, args: Record<string, unknown>, claims: Record<string, unknown> = {}) =>
    postRaw(fixture.resource, callBody(1, name, args), { ...headers, authorization: `Bearer ${await token(claims)}` });

  it("records ok, invalid arguments, backend errors, step-up denials, unknown tools and limits, with resource ids and masked arguments", async () => {
    const tenant = `t${randomUUID().slice(0, 8)}`;
    expect((await call("get_item", { item_id: "i1" }, { org_id: tenant })).status).toBe(200);
    await call("list_items", { limit: 500 }, { org_id: tenant });
    await call("get_item", { item_id: "missing" }, { org_id: tenant });
    expect((await call("create_item", { name: "Ann's chair" }, { org_id: tenant })).status).toBe(403);
    await call("create_item", { name: "Ann's chair" }, { org_id: tenant, scope: "read:items write:items" });
    await call("no_such_tool", {}, { org_id: tenant });
    await call("get_item", { item_id: "i1" }, { org_id: tenant, client_id: "busy-app" });
    expect((await call("get_item", { item_id: "i1" }, { org_id: tenant, client_id: "busy-app" })).status).toBe(429);

    const admin = await token({ scope: "toolgate:admin", sub: "root" });
    const page = await (await fetch(new URL(`/admin/audit?tenant=${tenant}&limit=50`, fixture.resource), { headers: { authorization: `Bearer ${admin}` } })).json() as { records: { tool: string; outcome: string; errorCode: string | null; backendStatus: number | null; resourceIds: Record<string, string>; arguments: unknown; client: string; user: string }[] };
    const seen = page.records.map((record) => `${record.tool}:${record.outcome}`).reverse();
    expect(seen).toEqual([
      "get_item:ok", "list_items:invalid_arguments", "get_item:backend_error", "create_item:denied", "create_item:ok", "no_such_tool:unknown_tool", "get_item:ok", "get_item:limited",
    ]);
    const byOutcome = (outcome: string) => page.records.find((record) => record.outcome === outcome)!;
    expect(byOutcome("backend_error")).toMatchObject({ backendStatus: 404, resourceIds: { item_id: "missing" }, user: "ann", client: "writer-app" });
    expect(page.records.find((record) => record.tool === "create_item" && record.outcome === "ok")!.arguments).toEqual({ name: "[personal]" });
    expect(byOutcome("limited")).toMatchObject({ errorCode: "calls_per_minute", client: "busy-app" });
  });

  it("a tenant admin reads only their own tenant's records", async () => {
    await call("get_item", { item_id: "i1" }, { org_id: "globex" });
    await call("get_item", { item_id: "i1" }, { org_id: "acme" });
    const tenantAdmin = await token({ scope: "toolgate:tenant-admin", org_id: "globex", sub: "gina" });
    for (const query of ["", "?tenant=acme"]) {
      const page = await (await fetch(new URL(`/admin/audit${query}`, fixture.resource), { headers: { authorization: `Bearer ${tenantAdmin}` } })).json() as { records: { tenant: string }[] };
      expect(page.records.length).toBeGreaterThan(0);
      expect(new Set(page.records.map((record) => record.tenant))).toEqual(new Set(["globex"]));
    }
    const plain = await token({ org_id: "globex" });
    expect((await fetch(new URL("/admin/audit", fixture.resource), { headers: { authorization: `Bearer ${plain}` } })).status).toBe(403);
  });
});

const postgres = await serviceAvailable("PostgreSQL", databaseUrl);
const stores = [{ store: "sqlite", skip: false }, { store: "postgres", skip: !postgres }];

describe.each(stores)("10,000 calls under concurrent load leave exactly 10,000 records ($store)", ({ store, skip }) => {
  it.skipIf(skip)("counts every call once", { timeout: 120_000 }, async () => {
    const schema = `toolgate_test_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: databaseUrl });
    if (store === "postgres") {
      await admin.connect();
      await admin.query(`CREATE SCHEMA ${schema}`);
    }
    const audit: AuditLog = await createAuditLog(store === "postgres" ? { databaseUrl, schema } : { sqlitePath: join(scratch, "load.sqlite") });
    const gateway = await createGateway({ bundle: await loadGenerated(golden), dev: true, env: { SHOP_TOKEN: "s" }, backendUrls: { shop: backend.url }, audit, logger: createLogger("silent") });
    const { url } = await gateway.listen(0, "127.0.0.1");
    try {
      const total = 10_000;
      let next = 0;
      let answered = 0;
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          while (next < total) {
            const id = next++;
            const response = await postRaw(url, callBody(id, "get_item", { item_id: `i${id}` }), headers);
            if (response.status === 200) answered++;
          }
        }),
      );
      expect(answered).toBe(total);
      await gateway.close();
      let counted = 0;
      if (store === "postgres") counted = Number((await admin.query(`SELECT count(*) AS n, count(DISTINCT request_id) AS d FROM ${schema}.audit_records`)).rows[0].n);
      else counted = Number((new DatabaseSync(join(scratch, "load.sqlite")).prepare("SELECT count(DISTINCT request_id) AS n FROM audit_records").get() as { n: number }).n);
      expect(counted).toBe(total);
    } finally {
      await audit.close().catch(() => undefined);
      if (store === "postgres") {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      }
    }
  });
});

// fixtures/endpoints: main (/mcp), catalog, discover (discovery mode) and shop, each with its own
// pipeline; get_item is served by three of them.
describe.each(stores)("each record names the endpoint the call came through ($store)", ({ store, skip }) => {
  const schema = `toolgate_test_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  let fixture: FixtureGateway;
  beforeAll(async () => {
    if (skip) return;
    fixture = await startFixtureGateway("endpoints", {
      reply: (request) => {
        if (request.url.split("?")[0]!.endsWith("/items")) return { body: { data: [{ id: "i1", name: "Lamp" }], total: 1 } };
        if (request.url.endsWith("/items/missing")) return { status: 404, body: { error: { message: "no such item" } } };
        return { body: { id: "i1", name: "Lamp", price: 9.5 } };
      },
      backendPath: "/t/{tenant}",
      env: store === "postgres" ? { DATABASE_URL: databaseUrl, TOOLGATE_DB_SCHEMA: schema } : {},
      auditDatabasePath: join(scratch, "endpoints.sqlite"),
      limits,
    });
  });
  afterAll(async () => {
    await fixture?.close();
    if (store === "postgres" && !skip) {
      const admin = new pg.Client({ connectionString: databaseUrl });
      await admin.connect();
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    }
  });

  const token = (path: string, claims: Record<string, unknown>) => fixture.token({ aud: `${fixture.origin}${path}`, sub: "ann", client_id: "some-app", ...claims });
  const call = async (path: string, name: string, args: Record<string, unknown>, claims: Record<string, unknown>) =>
    (await postRaw(`${fixture.origin}${path}`, callBody(1, name, args), { ...headers, authorization: `Bearer ${await token(path, claims)}` })).status;
  const audit = async (query: string) => {
    const response = await fetch(`${fixture.origin}/admin/audit?limit=50&${query}`, { headers: { authorization: `Bearer ${await token("/mcp", { scope: "toolgate:admin", sub: "root" })}` } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { records: { endpoint: string; tool: string; outcome: string }[] }).records.map((record) => `${record.endpoint} ${record.tool} ${record.outcome}`).reverse();
  };

  it.skipIf(skip)("whatever the outcome, and GET /admin/audit filters by it", async () => {
    const tenant = `t${randomUUID().slice(0, 8)}`;
    expect(await call("/mcp", "get_item", { item_id: "i1" }, { org_id: tenant })).toBe(200);
    await call("/mcp/shop", "get_item", { item_id: "i1" }, { org_id: tenant });
    await call("/mcp/shop", "get_item", { item_id: "missing" }, { org_id: tenant });
    await call("/mcp/shop", "get_item", {}, { org_id: tenant });
    expect(await call("/mcp/shop", "get_tree", {}, { org_id: tenant })).toBe(403);
    await call("/mcp/shop", "create_item", { name: "Chair" }, { org_id: tenant, scope: "read:items write:items" });
    await call("/mcp/shop", "get_item", { item_id: "i1" }, { org_id: tenant, client_id: "busy-app" });
    expect(await call("/mcp/shop", "get_item", { item_id: "i1" }, { org_id: tenant, client_id: "busy-app" })).toBe(429);
    await call("/mcp/catalog", "list_items", {}, { org_id: tenant });
    await call("/mcp/discover", "call_tool", { name: "get_item", arguments: { item_id: "i1" } }, { org_id: tenant });

    expect(await audit(`tenant=${tenant}`)).toEqual([
      "main get_item ok",
      "shop get_item ok",
      "shop get_item backend_error",
      "shop get_item invalid_arguments",
      "shop get_tree denied",
      "shop create_item unknown_tool",
      "shop get_item ok",
      "shop get_item limited",
      "catalog list_items ok",
      "discover get_item ok",
    ]);
    expect(await audit(`tenant=${tenant}&endpoint=main`)).toEqual(["main get_item ok"]);
    expect(await audit(`tenant=${tenant}&endpoint=discover&tool=get_item`)).toEqual(["discover get_item ok"]);
    expect((await audit(`tenant=${tenant}&endpoint=shop`)).length).toBe(7);
    expect(await audit(`tenant=${tenant}&endpoint=staircase`)).toEqual([]);
  });
});

describe("SIGTERM in the middle of load", () => {
  it("loses no record of an answered call", { timeout: 60_000 }, async () => {
    const file = join(scratch, "sigterm.sqlite");
    const child = spawn(process.execPath, [fileURLToPath(new URL("../support/gateway-process.ts", import.meta.url))], { env: { ...process.env, BACKEND_URL: backend.url, AUDIT_DB: file }, stdio: ["ignore", "pipe", "pipe"] });
    const url = await new Promise<string>((resolve, reject) => {
      let output = "";
      child.stdout!.on("data", (chunk) => {
        output += chunk;
        if (output.includes("\n")) resolve(output.trim());
      });
      child.once("exit", (code) => reject(new Error(`gateway exited with ${code}`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
    const answeredIds: string[] = [];
    let stop = false;
    const workers = Array.from({ length: 16 }, async (_, worker) => {
      for (let index = 0; !stop; index++) {
        try {
          const response = await postRaw(url, callBody(`${worker}-${index}`, "get_item", { item_id: "i1" }), headers);
          if (response.status === 200) answeredIds.push(response.headers.get("x-request-id")!);
        } catch {
          stop = true;
        }
      }
    });
    await new Promise((resolve) => setTimeout(resolve, 700));
    child.kill("SIGTERM");
    await exited;
    stop = true;
    await Promise.all(workers);
    expect(answeredIds.length).toBeGreaterThan(50);
    const db = new DatabaseSync(file);
    const recorded = new Set((db.prepare("SELECT request_id FROM audit_records").all() as { request_id: string }[]).map((row) => row.request_id));
    db.close();
    expect(answeredIds.filter((id) => !recorded.has(id))).toEqual([]);
  });
});
