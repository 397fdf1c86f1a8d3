import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REDIRECT_URI, startAuthServer, type Running } from "./support.ts";

let running: Running;
beforeAll(async () => {
  running = await startAuthServer();
});
afterAll(async () => {
  await running.close();
});

async function register(metadata: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${running.issuer}/register`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(metadata) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("dynamic client registration (RFC 7591), open", () => {
  it("registers a public MCP client with no initial access token", async () => {
    const answer = await register({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], client_name: "Claude", scope: "read:accounts write:workflows" });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ client_id: expect.any(String), token_endpoint_auth_method: "none", scope: "read:accounts write:workflows" });
    expect(answer.body).not.toHaveProperty("client_secret");
  });

  it("defaults grant_types to authorization_code + refresh_token", async () => {
    const answer = await register({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none" });
    expect(answer.body.grant_types).toEqual(["authorization_code", "refresh_token"]);
  });

  // Registration is open: a self-registered client must not be able to act as a user without
  // that user signing in.
  it.each([
    { name: "an owner", metadata: { toolgate_owner: "alice" } },
    { name: "a tenant", metadata: { toolgate_tenant: "acme" } },
    { name: "the client_credentials grant", metadata: { grant_types: ["client_credentials"], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic" } },
  ])("refuses $name", async ({ metadata }) => {
    const answer = await register({ redirect_uris: [REDIRECT_URI], ...metadata });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_client_metadata" } });
  });

  it("refuses a scope the server does not offer", async () => {
    const answer = await register({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none", scope: "admin:everything" });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_client_metadata" } });
  });
});
