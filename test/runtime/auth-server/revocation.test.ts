import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RevocationEvent } from "../../../runtime/auth-server/index.ts";
import { authorize, formBody, pkce, REDIRECT_URI, registerPublicClient, startAuthServer, token, type Running } from "./support.ts";

let running: Running;
const events: RevocationEvent[] = [];
beforeAll(async () => {
  running = await startAuthServer({ onRevoke: (event) => events.push(event) });
});
afterAll(async () => {
  await running.close();
});

async function issue(): Promise<{ clientId: string; accessToken: string; refreshToken: string }> {
  const clientId = await registerPublicClient(running.issuer);
  const { verifier, challenge } = pkce();
  const { code } = await authorize(running, clientId, { scope: "read:accounts", tick: ["read:accounts"], challenge });
  const issued = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId });
  return { clientId, accessToken: issued.body.access_token as string, refreshToken: issued.body.refresh_token as string };
}

async function revoke(form: Record<string, string>): Promise<Response> {
  return fetch(`${running.issuer}/revoke`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: formBody(form) });
}

describe("revocation (RFC 7009)", () => {
  it("a revoked refresh token is unusable, and the hook hears about the grant", async () => {
    events.length = 0;
    const { clientId, refreshToken } = await issue();
    const response = await revoke({ token: refreshToken, token_type_hint: "refresh_token", client_id: clientId });
    expect(response.status).toBe(200);
    const refreshed = await token(running.issuer, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId });
    expect(refreshed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect(events).toEqual([expect.objectContaining({ clientId, subject: "alice", grantId: expect.any(String), revokedAt: expect.any(Number) })]);
  });

  it("another client cannot revoke a client's refresh token", async () => {
    const victim = await issue();
    const attacker = await registerPublicClient(running.issuer);
    expect((await revoke({ token: victim.refreshToken, client_id: attacker })).status).toBe(200);
    const refreshed = await token(running.issuer, { grant_type: "refresh_token", refresh_token: victim.refreshToken, client_id: victim.clientId });
    expect(refreshed.status).toBe(200);
  });

  it("an unknown token is answered 200, as RFC 7009 §2.2 asks", async () => {
    const clientId = await registerPublicClient(running.issuer);
    expect((await revoke({ token: "no-such-token", client_id: clientId })).status).toBe(200);
  });

  it("a JWT access token is refused with unsupported_token_type (the resource server denies it via onRevoke)", async () => {
    const { clientId, accessToken } = await issue();
    const response = await revoke({ token: accessToken, client_id: clientId });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: "unsupported_token_type" });
  });

  it("replaying a rotated refresh token revokes the grant and tells the hook", async () => {
    events.length = 0;
    const { clientId, refreshToken } = await issue();
    expect((await token(running.issuer, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId })).status).toBe(200);
    expect((await token(running.issuer, { grant_type: "refresh_token", refresh_token: refreshToken, client_id: clientId })).status).toBe(400);
    expect(events).toEqual([expect.objectContaining({ clientId, subject: "alice", grantId: expect.any(String) })]);
  });
});
