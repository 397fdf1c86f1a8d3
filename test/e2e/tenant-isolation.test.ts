import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { createGateway, createLogger, type Gateway } from "../../runtime/index.ts";
import { startSampleBackend } from "../../examples/sample-backend/server.ts";
import { connectClient } from "../support/mcp-client.ts";
import { startTestIssuer } from "../support/test-issuer.ts";
import { freePort } from "../support/net.ts";

// The example gateway (generated/ from specs/, with access.yaml) behind real token verification,
// over the real multi-tenant sample backend: the tenant comes from the token, never from arguments.
const generatedDir = fileURLToPath(new URL("../../generated/", import.meta.url));
const allScopes = "read:accounts read:companies read:contacts read:ctas read:metadata read:revenue read:success_plans read:timeline write:companies write:ctas write:success_plans write:timeline write:workflows";

let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
let backend: Awaited<ReturnType<typeof startSampleBackend>>;
let gateway: Gateway;
let resource: string;
const clients: Client[] = [];

beforeAll(async () => {
  issuer = await startTestIssuer();
  backend = await startSampleBackend({ port: 0, token: "isolation-token", now: new Date("2026-06-01T00:00:00Z") });
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  gateway = await createGateway({
    generatedDir,
    dev: false,
    stateDatabasePath: ":memory:",
    resource,
    issuer: { issuer: issuer.issuer },
    env: { SAMPLE_BACKEND_TOKEN: "isolation-token" },
    backendUrls: { cs: `${backend.url}/tenants/{tenant}` },
    logger: createLogger("silent"),
  });
  await gateway.listen(port, "127.0.0.1");
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await gateway?.close();
  await backend?.close();
  await issuer?.close();
});

async function clientFor(claims: { tenant: string; app?: string; scope?: string; sub?: string }): Promise<Client> {
  const now = Math.floor(Date.now() / 1000);
  const token = await issuer.sign({
    iss: issuer.issuer, aud: resource, sub: claims.sub ?? `user-${claims.tenant}`, client_id: claims.app ?? "some-registered-client",
    // access.yaml limits MCP to the pilot group: these callers are in it.
    org_id: claims.tenant, groups: ["mcp-pilot"], scope: claims.scope ?? allScopes, iat: now, exp: now + 600, jti: randomUUID(),
  });
  const client = await connectClient(resource, { authorization: `Bearer ${token}` });
  clients.push(client);
  return client;
}

type Result = { isError?: boolean; content: { text: string }[]; structuredContent?: Record<string, unknown> };
const call = async (client: Client, name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as Result;
const companyIds = async (client: Client) => ((await call(client, "list_companies", { limit: 100 })).structuredContent as { data: { id: string }[] }).data.map((company) => company.id);

describe("tenant isolation", () => {
  it("each tenant lists only its own companies", async () => {
    const acme = await companyIds(await clientFor({ tenant: "acme" }));
    const globex = await companyIds(await clientFor({ tenant: "globex" }));
    expect(acme.length).toBeGreaterThan(0);
    expect(globex.length).toBeGreaterThan(0);
    expect(acme.filter((id) => globex.includes(id))).toEqual([]);
  });

  it("tenant A cannot read tenant B's company by its id, however the id is dressed", async () => {
    const acme = await clientFor({ tenant: "acme" });
    const [globexId] = await companyIds(await clientFor({ tenant: "globex" }));
    for (const id of [globexId!, `../../globex/companies/${globexId}`, `..%2F..%2Fglobex%2Fcompanies%2F${globexId}`, `${globexId}?tenant=globex`]) {
      const result = await call(acme, "get_company", { company_id: id });
      expect(result.isError, id).toBe(true);
      expect(result.content[0]!.text, id).toContain("404 Not Found");
    }
  });

  it("tenant A cannot write to tenant B's company", async () => {
    const acme = await clientFor({ tenant: "acme" });
    const globex = await clientFor({ tenant: "globex" });
    const [globexId] = await companyIds(globex);
    const before = (await call(globex, "list_ctas", { company_id: globexId, limit: 100 })).structuredContent as { total: number };
    const result = await call(acme, "create_cta", { company_id: globexId, name: "Cross-tenant write", type_id: "expansion", due_date: "2026-07-01" });
    expect(result.isError).toBe(true);
    const after = (await call(globex, "list_ctas", { company_id: globexId, limit: 100 })).structuredContent as { total: number };
    expect(after.total).toBe(before.total);
  });

  it.each(["tenant", "tenant_id", "org_id", "tenantId"])("an argument named %s is refused, not passed on", async (name) => {
    const result = await call(await clientFor({ tenant: "acme" }), "list_companies", { [name]: "globex" });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain(`unknown argument \`${name}\``);
  });

  it("the query tool cannot filter its way into another tenant", async () => {
    const result = await call(await clientFor({ tenant: "acme" }), "query_objects", { object: "companies", filters: [{ field: "tenant_id", op: "eq", value: "globex" }] });
    expect(result.isError).toBe(true);
  });

  it("a tenant with MCP turned off is refused outright", async () => {
    await expect(clientFor({ tenant: "initech" })).rejects.toThrow();
  });
});

describe("per-app tool scoping", () => {
  it("the same user through two apps sees two tool lists, and the read-only app cannot write", async () => {
    const readOnly = await clientFor({ tenant: "acme", sub: "alice", app: "claude-enterprise" });
    const registered = await clientFor({ tenant: "acme", sub: "alice" });
    const readOnlyTools = (await readOnly.listTools()).tools;
    const registeredTools = (await registered.listTools()).tools.map((tool) => tool.name);
    expect(readOnlyTools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    expect(readOnlyTools.map((tool) => tool.name)).not.toContain("create_cta");
    expect(registeredTools).toContain("create_cta");
    expect(registeredTools.length).toBeGreaterThan(readOnlyTools.length);
    await expect(readOnly.callTool({ name: "create_cta", arguments: { company_id: "x", name: "y", type_id: "risk", due_date: "2026-07-01" } })).rejects.toMatchObject({ code: -32602 });
  });

  it("a tenant's disabled tool is absent for that tenant only", async () => {
    const globex = (await (await clientFor({ tenant: "globex" })).listTools()).tools.map((tool) => tool.name);
    const acme = (await (await clientFor({ tenant: "acme" })).listTools()).tools.map((tool) => tool.name);
    expect(globex).not.toContain("trigger_workflow");
    expect(acme).toContain("trigger_workflow");
  });

  it("read scopes only: write tools are absent from the list", async () => {
    const readScopes = allScopes.split(" ").filter((scope) => scope.startsWith("read:")).join(" ");
    const tools = (await (await clientFor({ tenant: "acme", scope: readScopes })).listTools()).tools;
    expect(tools.some((tool) => tool.name === "create_cta")).toBe(false);
    expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
  });
});
