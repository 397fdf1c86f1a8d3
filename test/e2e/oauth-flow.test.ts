import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createGateway, createLogger, type Gateway } from "../../runtime/index.ts";
import { startSampleBackend } from "../../examples/sample-backend/server.ts";
import { connectClient } from "../support/mcp-client.ts";
import { MemoryOAuthProvider, signInAndConsent } from "../support/oauth-client.ts";
import { freePort } from "../support/net.ts";

// What `npm start` serves: the example gateway with its embedded authorization server, reached
// by the real MCP SDK client through its own OAuth support, knowing only the server URL.
const generatedDir = fileURLToPath(new URL("../../generated/", import.meta.url));
const alice = { username: "alice", password: "alice-dev-password" };

let backend: Awaited<ReturnType<typeof startSampleBackend>>;
let gateway: Gateway;
let url: string;

beforeAll(async () => {
  backend = await startSampleBackend({ port: 0, token: "oauth-e2e-token", now: new Date("2026-06-01T00:00:00Z") });
  const port = await freePort();
  url = `http://127.0.0.1:${port}/mcp`;
  gateway = await createGateway({
    generatedDir,
    dev: false,
    stateDatabasePath: ":memory:",
    resource: url,
    authDatabasePath: ":memory:",
    env: { SAMPLE_BACKEND_TOKEN: "oauth-e2e-token", TOOLGATE_COOKIE_KEYS: "oauth-e2e-cookie-key-0123456789" },
    backendUrls: { cs: `${backend.url}/tenants/{tenant}` },
    logger: createLogger("silent"),
  });
  await gateway.listen(port, "127.0.0.1");
});

afterAll(async () => {
  await gateway?.close();
  await backend?.close();
});

async function connect(provider: MemoryOAuthProvider): Promise<Client> {
  const client = new Client({ name: "toolgate-oauth-e2e", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  return client;
}

/** The whole dance: 401 → discovery → registration → browser sign-in and consent → token. */
async function authorizeAndConnect(provider: MemoryOAuthProvider, grant: (offered: Map<string, boolean>) => string[]) {
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  await expect(new Client({ name: "toolgate-oauth-e2e", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  expect(provider.authorizationUrl?.origin).toBe(new URL(url).origin);
  const { code, offered } = await signInAndConsent(provider.authorizationUrl!, alice, grant);
  await transport.finishAuth(code);
  return { client: await connect(provider), offered };
}

describe("the MCP SDK client's own OAuth flow against the embedded authorization server", () => {
  it("discovers, registers, signs in with PKCE; consent offers every scope with write scopes unticked; tools follow the grant", async () => {
    const provider = new MemoryOAuthProvider();
    const { client, offered } = await authorizeAndConnect(provider, (scopes) => [...scopes].filter(([, ticked]) => ticked).map(([scope]) => scope));
    try {
      for (const [scope, ticked] of offered) expect(ticked, scope).toBe(scope.startsWith("read:"));
      expect([...offered.keys()]).toContain("write:ctas");
      const { tools } = await client.listTools();
      expect(tools.length).toBeGreaterThan(10);
      expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
      const result = await client.callTool({ name: "list_companies", arguments: { limit: 3 } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { data: unknown[] }).data).toHaveLength(3);
      expect(provider.tokens()?.refresh_token).toBeTypeOf("string");
    } finally {
      await client.close();
    }
  });

  it("a write tool the grant lacks answers the step-up challenge naming its scope", async () => {
    const provider = new MemoryOAuthProvider();
    const { client } = await authorizeAndConnect(provider, (scopes) => [...scopes].filter(([, ticked]) => ticked).map(([scope]) => scope));
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { authorization: `Bearer ${provider.tokens()!.access_token}`, "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "create_cta", arguments: {} } }),
      });
      expect(response.status).toBe(403);
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer resource_metadata="[^"]+", error="insufficient_scope", error_description="create_cta needs the scope write:ctas", scope="[^"]*\bwrite:ctas\b[^"]*"$/);
      // The SDK client tries to upscope on that 403 (here it can only refresh, so the call still fails).
      await expect(client.callTool({ name: "create_cta", arguments: {} })).rejects.toMatchObject({ code: 403 });
    } finally {
      await client.close();
    }
  });

  it("a user who ticks a write scope gets its tools", async () => {
    const provider = new MemoryOAuthProvider();
    const { client } = await authorizeAndConnect(provider, (scopes) => [...scopes].filter(([scope, ticked]) => ticked || scope === "write:ctas").map(([scope]) => scope));
    try {
      const names = (await client.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain("create_cta");
      expect(names).not.toContain("trigger_workflow");
      const company = ((await client.callTool({ name: "list_companies", arguments: { limit: 1 } })).structuredContent as { data: { id: string }[] }).data[0]!;
      const created = await client.callTool({ name: "create_cta", arguments: { company_id: company.id, name: "Granted write", type_id: "expansion", due_date: "2026-07-01" } });
      expect(created.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it("a machine credential (client_credentials, like the Staircase sample) calls tools as its owner", async () => {
    // Made for the main endpoint by its scope, so the token request needs no `resource` (the gateway
    // has a second endpoint, /mcp/gocsm, whose resource its scopes do not name).
    const credential = await gateway.authorizationServer!.createMachineCredential({ owner: "bob", name: "staircase-style script", scopes: ["read:companies"] });
    const response = await fetch(new URL("/token", url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret, resource: url }),
    });
    const { access_token: token, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    expect(expiresIn).toBe(43_200);
    const client = await connectClient(url, { authorization: `Bearer ${token}` });
    try {
      const result = await client.callTool({ name: "list_companies", arguments: { limit: 1 } });
      expect(result.isError).toBeFalsy();
      // Revoking the credential stops its token at once, not at expiry.
      await gateway.authorizationServer!.revokeMachineCredential(credential.clientId);
      await expect(client.callTool({ name: "list_companies", arguments: { limit: 1 } })).rejects.toThrow();
    } finally {
      await client.close();
    }
  });
});


describe("the admin scope", () => {
  it("only admin users may hold it; an admin's machine credential reaches the admin API", async () => {
    const server = gateway.authorizationServer!;
    await expect(server.createMachineCredential({ owner: "bob", scopes: ["toolgate:admin"] })).rejects.toThrow("only admin users may hold toolgate:admin; bob is not one");
    const credential = await server.createMachineCredential({ owner: "alice", name: "admin console", scopes: ["toolgate:admin"] });
    const response = await fetch(new URL("/token", url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret }),
    });
    const { access_token: adminToken } = (await response.json()) as { access_token: string };
    const apps = await fetch(new URL("/admin/apps", url), { headers: { authorization: `Bearer ${adminToken}` } });
    expect(apps.status).toBe(200);
    // Through the admin API: a credential for bob, shown once, listed with its times, then revoked.
    const created = await fetch(new URL("/admin/credentials", url), { method: "POST", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: JSON.stringify({ owner: "bob", name: "bob's script" }) });
    expect(created.status).toBe(201);
    const { client_id: bobClient, client_secret: bobSecret } = (await created.json()) as { client_id: string; client_secret: string };
    expect(bobSecret).toMatch(/^[\w-]{40,}$/);
    const listed = (await (await fetch(new URL("/admin/credentials?owner=bob", url), { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { credentials: { clientId: string; createdAt: string; lastUsedAt: string | null }[] };
    expect(listed.credentials.map((entry) => entry.clientId)).toContain(bobClient);
    expect(JSON.stringify(listed)).not.toContain(bobSecret);
    expect((await fetch(new URL(`/admin/credentials/${bobClient}`, url), { method: "DELETE", headers: { authorization: `Bearer ${adminToken}` } })).status).toBe(204);
  });

  it("a non-admin user's token never carries it, and the admin API refuses that token", async () => {
    const credential = await gateway.authorizationServer!.createMachineCredential({ owner: "bob", name: "plain" });
    // A credential without scopes names no endpoint: with two, it asks for one (RFC 8707).
    const response = await fetch(new URL("/token", url), {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret, resource: url }),
    });
    const { access_token: token, scope } = (await response.json()) as { access_token: string; scope: string };
    expect(scope.split(" ")).not.toContain("toolgate:admin");
    expect((await fetch(new URL("/admin/apps", url), { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
  });

  it("the consent page offers it to an admin (unticked) and never to anyone else", async () => {
    for (const [user, offeredToThem] of [[{ username: "alice", password: "alice-dev-password" }, true], [{ username: "bob", password: "bob-dev-password" }, false]] as const) {
      const provider = new MemoryOAuthProvider();
      const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
      await expect(new Client({ name: "t", version: "1" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
      const asking = new URL(provider.authorizationUrl!);
      asking.searchParams.set("scope", `${asking.searchParams.get("scope")} toolgate:admin`);
      // The SDK registered the client with the 401's scopes; ask as a client that may request admin.
      const registration = await fetch(new URL("/register", url), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...provider.clientMetadata, scope: asking.searchParams.get("scope") }) });
      asking.searchParams.set("client_id", ((await registration.json()) as { client_id: string }).client_id);
      const { offered } = await signInAndConsent(asking, user, (scopes) => [...scopes.keys()]);
      expect(offered.has("toolgate:admin"), user.username).toBe(offeredToThem);
      if (offeredToThem) expect(offered.get("toolgate:admin")).toBe(false);
    }
  });
});

describe("grants: who authorized which app", () => {
  it("lists a user's grants and revoking them stops the app's access token at once", async () => {
    const provider = new MemoryOAuthProvider();
    const { client } = await authorizeAndConnect(provider, (scopes) => [...scopes].filter(([, ticked]) => ticked).map(([scope]) => scope));
    const server = gateway.authorizationServer!;
    const adminCredential = await server.createMachineCredential({ owner: "alice", scopes: ["toolgate:admin"] });
    const tokenResponse = await fetch(new URL("/token", url), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "client_credentials", client_id: adminCredential.clientId, client_secret: adminCredential.clientSecret }) });
    const adminToken = ((await tokenResponse.json()) as { access_token: string }).access_token;
    const clientId = (provider.clientInformation() as { client_id: string }).client_id;
    try {
      const grants = (await (await fetch(new URL(`/admin/grants?username=alice&client_id=${clientId}`, url), { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { grants: { username: string; clientName: string | null; createdAt: string; scopes: string[] }[] };
      expect(grants.grants).toHaveLength(1);
      expect(grants.grants[0]).toMatchObject({ username: "alice", clientName: "toolgate e2e client", tenant: "acme" });
      expect((await client.listTools()).tools.length).toBeGreaterThan(0);
      const revoked = await fetch(new URL(`/admin/grants?username=alice&client_id=${clientId}`, url), { method: "DELETE", headers: { authorization: `Bearer ${adminToken}` } });
      expect(await revoked.json()).toEqual({ revoked: 1 });
      await expect(client.listTools()).rejects.toThrow();
    } finally {
      await client.close();
    }
  });
});
