import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLocalJWKSet, jwtVerify } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { authorize, pkce, REDIRECT_URI, registerPublicClient, startAuthServer, token } from "./support.ts";

const databasePath = join(tmpdir(), `toolgate-auth-server-${process.pid}-${Date.now()}.db`);
afterAll(() => {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${databasePath}${suffix}`, { force: true });
});

describe("persistence in SQLite", () => {
  it("clients, refresh tokens and signing keys survive a restart", async () => {
    const first = await startAuthServer({ databasePath });
    const clientId = await registerPublicClient(first.issuer);
    const { verifier, challenge } = pkce();
    const { code } = await authorize(first, clientId, { scope: "read:accounts", tick: ["read:accounts"], challenge });
    const issued = await token(first.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId });
    expect(issued.status).toBe(200);
    const accessToken = issued.body.access_token as string;
    const firstKeys = await first.server.jwks();
    const port = Number(new URL(first.issuer).port);
    await first.close();

    // Same file, same origin (tokens name their issuer), fresh process state.
    const second = await startAuthServer({ databasePath }, port);
    try {
      expect(await second.server.jwks()).toEqual(firstKeys);
      const jwks = (await (await fetch(`${second.issuer}/jwks`)).json()) as Parameters<typeof createLocalJWKSet>[0];
      const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks), { issuer: second.issuer, audience: second.resource, typ: "at+jwt" });
      expect(payload).toMatchObject({ sub: "alice", scope: "read:accounts" });

      const refreshed = await token(second.issuer, { grant_type: "refresh_token", refresh_token: issued.body.refresh_token as string, client_id: clientId });
      expect(refreshed.status).toBe(200);

      // The registered client still runs a whole new flow.
      const again = pkce();
      const { code: code2 } = await authorize(second, clientId, { scope: "read:users", tick: ["read:users"], challenge: again.challenge });
      const reissued = await token(second.issuer, { grant_type: "authorization_code", code: code2, redirect_uri: REDIRECT_URI, code_verifier: again.verifier, client_id: clientId });
      expect(reissued.status).toBe(200);
      expect(reissued.body.scope).toBe("read:users");
    } finally {
      await second.close();
    }
  });

  it("machine credentials survive a restart", async () => {
    const first = await startAuthServer({ databasePath });
    const credential = await first.server.createMachineCredential({ owner: "alice", scopes: ["read:accounts"] });
    const port = Number(new URL(first.issuer).port);
    await first.close();
    const second = await startAuthServer({ databasePath }, port);
    try {
      const answer = await token(second.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
      expect(answer).toMatchObject({ status: 200, body: { scope: "read:accounts" } });
    } finally {
      await second.close();
    }
  });
});
