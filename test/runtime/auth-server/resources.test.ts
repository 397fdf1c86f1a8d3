import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, pkce, REDIRECT_URI, registerPublicClient, startAuthorization, startAuthServer, token, type Running } from "./support.ts";

// Two protected resources: a request must say which one it wants.
let running: Running;
let billing: string;
beforeAll(async () => {
  running = await startAuthServer((origin) => {
    billing = `${origin}/billing/mcp`;
    return {
      resources: [
        { resource: `${origin}/mcp`, name: "Customer success tools", scopes: ["read:accounts", "write:workflows"] },
        { resource: billing, name: "Billing tools", scopes: ["read:invoices"] },
      ],
    };
  });
});
afterAll(async () => {
  await running.close();
});

async function verifyFor(audience: string, jwt: string) {
  const jwks = (await (await fetch(`${running.issuer}/jwks`)).json()) as Parameters<typeof createLocalJWKSet>[0];
  return jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: running.issuer, audience, typ: "at+jwt" });
}

describe("with more than one resource (RFC 8707)", () => {
  it("an authorization request for API scopes without resource → invalid_target", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { loginPage } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: pkce().challenge, code_challenge_method: "S256",
    });
    expect(loginPage.status).toBe(303);
    expect(new URL(loginPage.headers.get("location")!).searchParams.get("error")).toBe("invalid_target");
  });

  it("client_credentials without resource, for a credential without scopes → the first (main) resource", async () => {
    const credential = await running.server.createMachineCredential({ owner: "alice" });
    const answer = await token(running.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(answer.status).toBe(200);
    const main = `${running.issuer}/mcp`;
    expect((await verifyFor(main, answer.body.access_token as string)).payload.aud).toBe(main);
  });

  it("client_credentials without resource, for a credential whose scopes one resource offers → that resource", async () => {
    const credential = await running.server.createMachineCredential({ owner: "alice", scopes: ["read:invoices"] });
    const answer = await token(running.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(answer.status).toBe(200);
    expect((await verifyFor(billing, answer.body.access_token as string)).payload).toMatchObject({ aud: billing, scope: "read:invoices" });
  });

  it("client_credentials without resource, for scopes no single resource offers → invalid_target", async () => {
    const credential = await running.server.createMachineCredential({ owner: "alice", scopes: ["read:accounts", "read:invoices"] });
    const answer = await token(running.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_target" } });
  });

  it("client_credentials for one resource → its audience, and only its scopes", async () => {
    const credential = await running.server.createMachineCredential({ owner: "alice" });
    const answer = await token(running.issuer, { grant_type: "client_credentials", resource: billing, scope: "read:accounts read:invoices", client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(answer).toMatchObject({ status: 200, body: { scope: "read:invoices" } });
    const { payload } = await verifyFor(billing, answer.body.access_token as string);
    expect(payload).toMatchObject({ aud: billing, scope: "read:invoices", sub: "alice", org_id: "acme" });
  });

  it("the code flow for one resource → a token for exactly that resource", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { verifier, challenge } = pkce();
    const { code, consentHtml } = await authorize(running, clientId, { scope: "read:invoices read:accounts", tick: ["read:invoices", "read:accounts"], challenge, resource: billing });
    expect(consentHtml).toContain("Billing tools");
    const answer = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId, resource: billing });
    expect(answer).toMatchObject({ status: 200, body: { scope: "read:invoices" } });
    const { payload } = await verifyFor(billing, answer.body.access_token as string);
    expect(payload.aud).toBe(billing);
  });
});

describe("errors", () => {
  it("an authorization error without a usable redirect is an escaped page, with no stack trace", async () => {
    const response = await fetch(`${running.issuer}/authorize?client_id=%3Cb%3Enope&response_type=code`);
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("x-frame-options")).toBe("DENY");
    const html = await response.text();
    expect(html).toContain("invalid_client");
    expect(html).not.toMatch(/<b>|at .*\.js:\d+/);
  });
});
