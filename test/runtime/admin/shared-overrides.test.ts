import { randomUUID } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../../runtime/index.ts";
import { startFixtureGateway, type FixtureGateway } from "../../support/fixture-gateway.ts";
import { databaseUrl, serviceAvailable } from "../../support/services.ts";

// Two instances sharing PostgreSQL: an admin change made through one applies on the other at once.
const available = await serviceAvailable("PostgreSQL", databaseUrl);

describe.skipIf(!available)("admin overrides shared through PostgreSQL", () => {
  const schema = `toolgate_test_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: databaseUrl });
  let fixture: FixtureGateway;
  const instances: { gateway: Gateway; url: string }[] = [];

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    fixture = await startFixtureGateway("basic", { env: { DATABASE_URL: databaseUrl, TOOLGATE_DB_SCHEMA: schema } });
    instances.push({ gateway: fixture.gateway, url: fixture.resource }, await fixture.replica());
  });

  afterAll(async () => {
    await fixture?.close();
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  });

  const token = (claims: Record<string, unknown>) => fixture.token({ sub: "u", client_id: "narrow-app", scope: "read:items write:items", ...claims });
  const tools = async (url: string) => {
    const response = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${await token({})}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
    return ((await response.json()) as { result: { tools: { name: string }[] } }).result.tools.map((tool) => tool.name);
  };

  it("an app override set through one instance applies on the other within a second", async () => {
    const [a, b] = instances as [{ gateway: Gateway; url: string }, { gateway: Gateway; url: string }];
    expect(await tools(b.url)).toEqual(["get_item"]);
    const set = await fetch(new URL("/admin/apps/narrow-app", a.url), {
      method: "PUT",
      headers: { authorization: `Bearer ${await token({ scope: "toolgate:admin" })}`, "content-type": "application/json" },
      body: JSON.stringify({ tools: ["get_item", "list_items"] }),
    });
    expect(set.status).toBe(200);
    const started = Date.now();
    let seen = await tools(b.url);
    while (seen.length === 1 && Date.now() - started < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      seen = await tools(b.url);
    }
    expect(seen).toEqual(["get_item", "list_items"]);
    const changes = await fetch(new URL("/admin/changes?limit=1", b.url), { headers: { authorization: `Bearer ${await token({ scope: "toolgate:admin" })}` } });
    expect(((await changes.json()) as { changes: { action: string; target: string }[] }).changes[0]).toMatchObject({ action: "app.set", target: "narrow-app" });
  });
});
