import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureGateway, type FixtureGateway } from "../../support/fixture-gateway.ts";

// The admin API over the golden fixture (access.yaml: reader-app read-only, writer-app, narrow-app,
// a default app, tenants "frozen" and "limited"), with tokens from a test issuer.
let fixture: FixtureGateway;

beforeAll(async () => {
  fixture = await startFixtureGateway("basic", { reply: () => ({ body: { total: 0, data: [] } }) });
});

afterAll(async () => {
  await fixture?.close();
});

const token = (claims: Record<string, unknown> = {}) => fixture.token({ sub: "admin-ann", client_id: "admin-console", scope: "toolgate:admin", ...claims });

async function admin(method: string, path: string, body?: unknown, bearer?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${fixture.origin}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer ?? (await token())}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null, headers: response.headers };
}

async function toolsFor(client: string, tenant = "acme"): Promise<string[]> {
  const response = await fetch(fixture.resource, {
    method: "POST",
    headers: { authorization: `Bearer ${await token({ client_id: client, org_id: tenant, scope: "read:items write:items", sub: "user-1" })}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
  });
  if (response.status !== 200) return [`HTTP ${response.status}`];
  return ((await response.json()) as { result: { tools: { name: string }[] } }).result.tools.map((tool) => tool.name);
}

describe("admin API access", () => {
  it.each([
    { name: "no token", bearer: "", status: 401 },
    { name: "a token without the admin scope", scope: "read:items", status: 403 },
  ])("refuses $name", async ({ bearer, scope, status }) => {
    const response = await fetch(`${fixture.origin}/admin/apps`, { headers: bearer === "" ? {} : { authorization: `Bearer ${await token({ scope })}` } });
    expect(response.status).toBe(status);
    if (status === 403) expect(response.headers.get("www-authenticate")).toContain('error="insufficient_scope"');
    expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^ERR_/);
  });
});

describe("per-app tool allowlists", () => {
  it("lists apps with their resolved tools", async () => {
    const { status, body } = await admin("GET", "/apps");
    expect(status).toBe(200);
    expect(body.apps.find((app: { client_id: string }) => app.client_id === "reader-app")).toEqual({
      client_id: "reader-app", name: "Read-only app", source: "spec", rules: { tools: ["*"], readOnly: true }, tools: ["get_item", "item_names", "list_items", "shop_get_tree"],
    });
  });

  it("an override takes effect at once, is persisted, and can be reset", async () => {
    expect(await toolsFor("narrow-app")).toEqual(["get_item"]);
    const set = await admin("PUT", "/apps/narrow-app", { tools: ["get_*", "list_*"], name: "Narrow, widened" });
    expect(set.status).toBe(200);
    expect(set.body.tools).toEqual(["get_item", "list_items"]);
    expect(await toolsFor("narrow-app")).toEqual(["get_item", "list_items"]);
    expect((await admin("GET", "/apps")).body.apps.find((app: { client_id: string }) => app.client_id === "narrow-app").source).toBe("override");
    expect((await admin("DELETE", "/apps/narrow-app")).status).toBe(204);
    expect(await toolsFor("narrow-app")).toEqual(["get_item"]);
  });

  it("can allow a new app, read-only", async () => {
    expect(await toolsFor("brand-new-app")).toEqual(["create_item", "get_item", "list_items"]);
    await admin("PUT", "/apps/brand-new-app", { tools: ["*"], read_only: true });
    expect(await toolsFor("brand-new-app")).toEqual(["get_item", "item_names", "list_items", "shop_get_tree"]);
  });

  it.each([
    { name: "a glob that matches nothing", body: { tools: ["get_itme"] }, status: 400, code: "unmatched_glob" },
    { name: "no tools", body: { read_only: true }, status: 400, code: "missing_field" },
    { name: "a bad read_only", body: { tools: ["*"], read_only: "yes" }, status: 400, code: "invalid_field" },
    { name: "a glob with bad characters", body: { tools: ["get item"] }, status: 400, code: "invalid_field" },
  ])("refuses $name", async ({ body, status, code }) => {
    const response = await admin("PUT", "/apps/x-app", body);
    expect(response.status).toBe(status);
    expect(response.body.error.code).toBe(code);
  });
});

describe("tenants", () => {
  it("turning MCP off for a tenant stops its callers at once; turning it on again restores them", async () => {
    expect(await toolsFor("writer-app", "globex")).toContain("list_items");
    expect((await admin("PUT", "/tenants/globex", { mcp: false })).status).toBe(200);
    expect(await toolsFor("writer-app", "globex")).toEqual(["HTTP 403"]);
    expect((await admin("PUT", "/tenants/globex", { mcp: true, disabled_tools: ["create_*"] })).body).toEqual({ tenant: "globex", mcp: true, disabled_tools: ["create_item"] });
    expect(await toolsFor("writer-app", "globex")).not.toContain("create_item");
    expect((await admin("DELETE", "/tenants/globex")).status).toBe(204);
    expect(await toolsFor("writer-app", "globex")).toContain("create_item");
  });
});

describe("reports", () => {
  it.each([
    { query: "client=reader-app&tenant=acme", want: { client: "reader-app", tenant: "acme", allowed: true, tools: ["get_item", "item_names", "list_items", "shop_get_tree"], needs_scopes: {} } },
    { query: "client=writer-app&tenant=limited&scopes=read:items", want: { client: "writer-app", tenant: "limited", allowed: true, tools: ["archive_item", "get_item", "item_names", "shop_get_tree"], needs_scopes: { create_item: ["write:items"] } } },
    { query: "client=writer-app&tenant=frozen", want: { client: "writer-app", tenant: "frozen", allowed: false, reason: 'MCP is turned off for organisation "frozen"' } },
  ])("effective tools for $query", async ({ query, want }) => {
    const { body } = await admin("GET", `/effective-tools?${query}`);
    expect(body).toEqual(want);
  });

  it("every change is in the change log, with its actor, newest first", async () => {
    await admin("PUT", "/apps/logged-app", { tools: ["get_item"] });
    const { body } = await admin("GET", "/changes?limit=1");
    expect(body.changes).toHaveLength(1);
    expect(body.changes[0]).toMatchObject({ actor: "admin-ann", action: "app.set", target: "logged-app", detail: { rules: { tools: ["get_item"], readOnly: false } } });
  });

  it("machine credentials need the embedded authorization server", async () => {
    const { status, body } = await admin("POST", "/credentials", { owner: "alice" });
    expect(status).toBe(404);
    expect(body.error.code).toBe("no_authorization_server");
  });
});
