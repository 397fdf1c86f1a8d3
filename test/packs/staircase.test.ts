import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../runtime/index.ts";
import { startExampleBackend, startExampleGateway } from "../support/example-gateway.ts";
import { fetchClientCredentialsToken, runQuestions, tokenEndpointFor } from "../../examples/staircase-client.ts";
import { MemoryOAuthProvider, signInAndConsent } from "../support/oauth-client.ts";
import { connectClient } from "../support/mcp-client.ts";

// The Staircase AI pack (shared/seeds/staircase-mcp-client-credentials.txt, docs/packs/staircase.md)
// as `npm start` serves it: /mcp/staircase on the example gateway, personal credentials through
// the client_credentials grant at /oauth/token, and the seed's sample client, in TypeScript.
const root = fileURLToPath(new URL("../../", import.meta.url));
const alice = { username: "alice", password: "alice-dev-password" };
const question = "Prep me for my upcoming call with Acme Corp and summarize account health, recent risks, wins, and key stakeholder changes into a one-page brief.";

let backend: Awaited<ReturnType<typeof startExampleBackend>>;
let gateway: Gateway;
let origin: string;
let serverUrl: string;
let aliceToken: string;

beforeAll(async () => {
  backend = await startExampleBackend();
  ({ gateway, origin } = await startExampleGateway(backend));
  serverUrl = `${origin}/mcp/staircase`;
  // Alice signs in to the gateway (authorization code + PKCE), as she would to its settings page.
  const provider = new MemoryOAuthProvider();
  const { StreamableHTTPClientTransport } = await import("@modelcontextprotocol/sdk/client/streamableHttp.js");
  const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
  const transport = new StreamableHTTPClientTransport(new URL(`${origin}/mcp`), { authProvider: provider });
  await new Client({ name: "staircase-settings", version: "1" }).connect(transport).catch(() => undefined);
  const { code } = await signInAndConsent(provider.authorizationUrl!, alice, (scopes) => [...scopes].filter(([, ticked]) => ticked).map(([scope]) => scope));
  await transport.finishAuth(code);
  aliceToken = provider.tokens()!.access_token;
});

afterAll(async () => {
  await gateway?.close();
  await backend?.close();
});

/** "Settings > Profile > Staircase AI MCP > Add credential", as an API call with alice's own token. */
async function addCredential(name: string): Promise<{ client_id: string; client_secret: string; created_at: string }> {
  const response = await fetch(`${origin}/admin/me/credentials`, {
    method: "POST",
    headers: { authorization: `Bearer ${aliceToken}`, "content-type": "application/json" },
    body: JSON.stringify({ name, scopes: ["read:insights"] }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { client_id: string; client_secret: string; created_at: string };
}

async function listCredentials(): Promise<{ clientId: string; name: string; createdAt: string; lastUsedAt: string | null; clientSecret?: unknown }[]> {
  const response = await fetch(`${origin}/admin/me/credentials`, { headers: { authorization: `Bearer ${aliceToken}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { credentials: [] }).credentials;
}

async function tokenRequest(clientId: string, clientSecret: string): Promise<Response> {
  return fetch(`${origin}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
  });
}

describe("Staircase AI pack: personal credentials", () => {
  it("a user creates a personal credential; the secret is shown once, never listed", async () => {
    const credential = await addCredential("Claude automations");
    expect(credential.client_id).toMatch(/^mc_/);
    expect(credential.client_secret.length).toBeGreaterThanOrEqual(32);
    const listed = (await listCredentials()).find((entry) => entry.clientId === credential.client_id)!;
    expect(listed).toMatchObject({ name: "Claude automations", createdAt: credential.created_at, lastUsedAt: null });
    expect(JSON.stringify(await listCredentials())).not.toContain(credential.client_secret);
  });

  it("the client_credentials grant at /oauth/token (client_secret_post) gives a 12-hour JWT for the Staircase endpoint", async () => {
    const credential = await addCredential("token check");
    const response = await tokenRequest(credential.client_id, credential.client_secret);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 43_200 });
    const claims = decodeJwt(body.access_token);
    expect(claims.exp! - claims.iat!).toBe(43_200);
    expect(claims).toMatchObject({ aud: serverUrl, sub: "alice", org_id: "acme", scope: "read:insights" });
  });

  it("the credential list shows when each credential was last used", async () => {
    const credential = await addCredential("last used");
    const before = Date.now();
    await tokenRequest(credential.client_id, credential.client_secret);
    const listed = (await listCredentials()).find((entry) => entry.clientId === credential.client_id)!;
    expect(Date.parse(listed.lastUsedAt!)).toBeGreaterThanOrEqual(before - 1000);
  });

  it("a wrong secret gets no token", async () => {
    const credential = await addCredential("wrong secret");
    const response = await tokenRequest(credential.client_id, `${credential.client_secret}x`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: "invalid_client" });
  });

  it("revoking a credential stops its tokens at once", async () => {
    const credential = await addCredential("to revoke");
    const token = ((await (await tokenRequest(credential.client_id, credential.client_secret)).json()) as { access_token: string }).access_token;
    const client = await connectClient(serverUrl, { authorization: `Bearer ${token}` });
    await client.close();
    const revoked = await fetch(`${origin}/admin/me/credentials/${credential.client_id}`, { method: "DELETE", headers: { authorization: `Bearer ${aliceToken}` } });
    expect(revoked.status).toBe(204);
    await expect(connectClient(serverUrl, { authorization: `Bearer ${token}` })).rejects.toThrow(/Unauthorized: the token has been revoked/);
    expect((await tokenRequest(credential.client_id, credential.client_secret)).status).toBe(401);
  });

  it("a credential's own token cannot mint more credentials", async () => {
    const credential = await addCredential("no minting");
    const token = ((await (await tokenRequest(credential.client_id, credential.client_secret)).json()) as { access_token: string }).access_token;
    const response = await fetch(`${origin}/admin/me/credentials`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    // Its token is for the Staircase endpoint, not the gateway's main resource, so it is not even accepted there.
    expect(response.status).toBe(401);
  });

  it("disabling MCP for the organisation stops every credential at once", async () => {
    const credential = await addCredential("org switch");
    const token = ((await (await tokenRequest(credential.client_id, credential.client_secret)).json()) as { access_token: string }).access_token;
    const admin = await gateway.authorizationServer!.createMachineCredential({ owner: "alice", name: "admin", scopes: ["toolgate:admin"] });
    const adminToken = ((await (await fetch(`${origin}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ grant_type: "client_credentials", client_id: admin.clientId, client_secret: admin.clientSecret, resource: `${origin}/mcp` }) })).json()) as { access_token: string }).access_token;
    const off = await fetch(`${origin}/admin/tenants/acme`, { method: "PUT", headers: { authorization: `Bearer ${adminToken}`, "content-type": "application/json" }, body: JSON.stringify({ mcp: false }) });
    expect(off.status).toBe(200);
    try {
      const refused = await fetch(serverUrl, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }) });
      expect(refused.status).toBe(403);
    } finally {
      await fetch(`${origin}/admin/tenants/acme`, { method: "DELETE", headers: { authorization: `Bearer ${adminToken}` } });
    }
    const back = await connectClient(serverUrl, { authorization: `Bearer ${token}` });
    await back.close();
  });
});

describe("Staircase AI pack: staircase_query", () => {
  it("answers account questions with structuredContent: health summary, risks, wins, stakeholder changes", async () => {
    const credential = await addCredential("query");
    const token = ((await (await tokenRequest(credential.client_id, credential.client_secret)).json()) as { access_token: string }).access_token;
    const client = await connectClient(serverUrl, { authorization: `Bearer ${token}` });
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(["staircase_query"]);
      const result = await client.callTool({ name: "staircase_query", arguments: { query: question } });
      expect(result.isError).toBeFalsy();
      const answer = result.structuredContent as { matched: { company_name: string; health_summary: { band: string; summary: string }; risks: unknown[]; wins: unknown[]; stakeholder_changes: unknown[] }[] };
      expect(answer.matched.map((account) => account.company_name)).toEqual(["Acme Corp"]);
      const [acme] = answer.matched;
      expect(acme!.health_summary.summary.length).toBeGreaterThan(10);
      for (const key of ["risks", "wins", "stakeholder_changes"] as const) expect(Array.isArray(acme![key])).toBe(true);
      expect((result.content as { text: string }[])[0]!.text).toContain("## Acme Corp");
    } finally {
      await client.close();
    }
  });

  it("a question naming no account gets an answer saying how to name one", async () => {
    const credential = await addCredential("no match");
    const token = ((await (await tokenRequest(credential.client_id, credential.client_secret)).json()) as { access_token: string }).access_token;
    const client = await connectClient(serverUrl, { authorization: `Bearer ${token}` });
    try {
      const result = await client.callTool({ name: "staircase_query", arguments: { query: "How are my accounts doing?" } });
      expect(result.isError).toBeFalsy();
      expect((result.structuredContent as { matched: unknown[]; note: string }).matched).toEqual([]);
      expect((result.structuredContent as { note: string }).note).toMatch(/company_id|name/);
    } finally {
      await client.close();
    }
  });

  it("the Staircase endpoint has its own metadata, scopes and token audience", async () => {
    const metadata = await (await fetch(`${origin}/.well-known/oauth-protected-resource/mcp/staircase`)).json();
    expect(metadata).toMatchObject({ resource: serverUrl, authorization_servers: [origin], scopes_supported: ["read:insights"], resource_name: "Staircase AI" });
    // alice's token is for the main endpoint: not accepted here.
    await expect(connectClient(serverUrl, { authorization: `Bearer ${aliceToken}` })).rejects.toThrow(/Unauthorized: the token was not issued for this resource/);
  });
});

describe("Staircase AI pack: the seed's sample client, in TypeScript", () => {
  it("derives the token endpoint as the seed does", () => {
    expect(tokenEndpointFor(serverUrl)).toBe(`${origin}/oauth/token`);
  });

  it("gets a token, lists the tools and asks the seed's question (functions)", async () => {
    const credential = await addCredential("sample client");
    const token = await fetchClientCredentialsToken({ tokenEndpoint: tokenEndpointFor(serverUrl), clientId: credential.client_id, clientSecret: credential.client_secret });
    const lines: string[] = [];
    const failures = await runQuestions({ serverUrl, accessToken: token, questions: [question], output: { log: (line) => lines.push(line), error: (line) => lines.push(`ERR ${line}`) } });
    expect(failures).toBe(0);
    expect(lines.join("\n")).toContain("[MCP] Available tools: staircase_query");
    expect(lines.join("\n")).toContain('"company_name": "Acme Corp"');
    expect(lines.join("\n")).not.toContain("ERR");
  });

  it("runs as a program (npm run staircase-client) against the gateway", async () => {
    const credential = await addCredential("sample client process");
    const { stdout } = await promisify(execFile)(process.execPath, ["--experimental-strip-types", "examples/staircase-client.ts"], {
      cwd: root,
      env: { ...process.env, MCP_SERVER_URL: serverUrl, MCP_CLIENT_ID: credential.client_id, MCP_CLIENT_SECRET: credential.client_secret },
    });
    expect(stdout).toMatch(/\[Auth\] Obtained client_credentials token \(len=\d+\)/);
    expect(stdout).toContain("[MCP] Available tools: staircase_query");
    expect(stdout).toContain('"company_name": "Acme Corp"');
  });
});
