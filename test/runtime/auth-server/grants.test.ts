import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GrantInfo, RevocationEvent } from "../../../runtime/auth-server/index.ts";
import { authorize, pkce, REDIRECT_URI, registerPublicClient, startAuthServer, token, USERS, type Running } from "./support.ts";

let running: Running;
const events: RevocationEvent[] = [];
beforeAll(async () => {
  running = await startAuthServer({ onRevoke: (event) => events.push(event) });
});
afterAll(async () => {
  await running.close();
});

interface Issued {
  clientId: string;
  refreshToken: string;
}

/** One user signs in to one client, ticks `tick`, and the client exchanges the code. */
async function signIn(clientId: string, username: "alice" | "bob", tick: string[]): Promise<Issued> {
  const user = USERS.find((entry) => entry.username === username)!;
  const { verifier, challenge } = pkce();
  const { code } = await authorize(running, clientId, { scope: "read:accounts read:users write:workflows", tick, challenge, username, password: user.password });
  const issued = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId });
  expect(issued.status).toBe(200);
  return { clientId, refreshToken: issued.body.refresh_token as string };
}

const refresh = (issued: Issued) => token(running.issuer, { grant_type: "refresh_token", refresh_token: issued.refreshToken, client_id: issued.clientId });

describe("grants: which users authorized which app and when", () => {
  it("listGrants reports each authorization with its scopes and times, filtered by tenant, user and client", async () => {
    const before = Date.now() - 1000;
    const appA = await registerPublicClient(running.issuer, { client_name: "App A" });
    const appB = await registerPublicClient(running.issuer, { client_name: "App B" });
    await signIn(appA, "alice", ["read:accounts", "write:workflows"]);
    await signIn(appB, "alice", ["read:users"]);
    await signIn(appA, "bob", ["read:accounts"]);

    const mine = (grants: GrantInfo[]) => grants.filter((grant) => grant.clientId === appA || grant.clientId === appB);
    const all = mine(await running.server.listGrants());
    expect(all).toEqual([
      { grantId: expect.any(String), clientId: appA, clientName: "App A", username: "alice", tenant: "acme", scopes: ["read:accounts", "write:workflows"], createdAt: expect.any(String), lastUsedAt: expect.any(String) },
      { grantId: expect.any(String), clientId: appB, clientName: "App B", username: "alice", tenant: "acme", scopes: ["read:users"], createdAt: expect.any(String), lastUsedAt: expect.any(String) },
      { grantId: expect.any(String), clientId: appA, clientName: "App A", username: "bob", tenant: "globex", scopes: ["read:accounts"], createdAt: expect.any(String), lastUsedAt: expect.any(String) },
    ]);
    for (const grant of all) {
      expect(Date.parse(grant.createdAt)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(grant.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(grant.createdAt));
    }

    const cases = [
      { filter: { username: "alice" }, want: [[appA, "alice"], [appB, "alice"]] },
      { filter: { clientId: appA }, want: [[appA, "alice"], [appA, "bob"]] },
      { filter: { tenant: "globex" }, want: [[appA, "bob"]] },
      { filter: { tenant: "acme", clientId: appB }, want: [[appB, "alice"]] },
      { filter: { tenant: "globex", username: "alice" }, want: [] },
    ];
    for (const { filter, want } of cases) {
      const got = mine(await running.server.listGrants(filter)).map((grant) => [grant.clientId, grant.username]);
      expect(got, JSON.stringify(filter)).toEqual(want);
    }
  });

  it("a grant is listed with lastUsedAt null until a token is issued under it, then refreshes move it", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { verifier, challenge } = pkce();
    const { code } = await authorize(running, clientId, { scope: "read:accounts", tick: ["read:accounts"], challenge });
    expect((await running.server.listGrants({ clientId }))[0]!.lastUsedAt).toBeNull();
    const issued = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId });
    const first = (await running.server.listGrants({ clientId }))[0]!.lastUsedAt;
    expect(first).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect((await token(running.issuer, { grant_type: "refresh_token", refresh_token: issued.body.refresh_token as string, client_id: clientId })).status).toBe(200);
    expect(Date.parse((await running.server.listGrants({ clientId }))[0]!.lastUsedAt!)).toBeGreaterThan(Date.parse(first!));
  });

  it("revokeGrants revokes the matching grants and their refresh tokens, tells onRevoke, and leaves the others", async () => {
    const appA = await registerPublicClient(running.issuer, { client_name: "Revoked app" });
    const appB = await registerPublicClient(running.issuer, { client_name: "Kept app" });
    const aliceA = await signIn(appA, "alice", ["read:accounts"]);
    const bobA = await signIn(appA, "bob", ["read:accounts"]);
    const aliceB = await signIn(appB, "alice", ["read:accounts"]);
    const [grant] = await running.server.listGrants({ clientId: appA, username: "alice" });

    events.length = 0;
    expect(await running.server.revokeGrants({ clientId: appA, username: "alice" })).toBe(1);
    expect(events).toEqual([{ grantId: grant!.grantId, clientId: appA, subject: "alice", revokedAt: expect.any(Number) }]);
    expect(await refresh(aliceA)).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    expect((await refresh(bobA)).status).toBe(200);
    expect((await refresh(aliceB)).status).toBe(200);
    expect(await running.server.listGrants({ clientId: appA, username: "alice" })).toEqual([]);
    expect(await running.server.revokeGrants({ clientId: appA, username: "alice" })).toBe(0);

    // The user can authorize the app again (and is asked again).
    const again = await signIn(appA, "alice", ["read:accounts"]);
    expect((await refresh(again)).status).toBe(200);

    events.length = 0;
    expect(await running.server.revokeGrants({ clientId: appA })).toBe(2);
    expect(events.map((event) => event.subject).sort()).toEqual(["alice", "bob"]);
    expect((await refresh(bobA)).status).toBe(400);
  });

  it.each([
    { given: {}, want: /needs at least one of tenant, username or clientId/ },
    { given: { username: "" }, want: /filter\.username must be a non-empty string/ },
    { given: { tenant: 42 }, want: /filter\.tenant must be a non-empty string/ },
  ])("revokeGrants($given) throws", async ({ given, want }) => {
    await expect(running.server.revokeGrants(given as never)).rejects.toThrow(want);
  });

  it("revokeUser revokes the user's grants, machine credentials and sessions, and nobody else's", async () => {
    const other = await startAuthServer();
    try {
      const app = await registerPublicClient(other.issuer);
      const { verifier, challenge } = pkce();
      const { code } = await authorize(other, app, { scope: "read:accounts", tick: ["read:accounts"], challenge });
      const issued = await token(other.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: app });
      const aliceCredential = await other.server.createMachineCredential({ owner: "alice" });
      const bobCredential = await other.server.createMachineCredential({ owner: "bob" });

      expect(await other.server.revokeUser("alice")).toEqual({ grants: 1, machineCredentials: 1, sessions: 1 });
      expect(await other.server.listGrants({ username: "alice" })).toEqual([]);
      expect((await token(other.issuer, { grant_type: "refresh_token", refresh_token: issued.body.refresh_token as string, client_id: app })).status).toBe(400);
      expect((await token(other.issuer, { grant_type: "client_credentials", client_id: aliceCredential.clientId, client_secret: aliceCredential.clientSecret })).status).toBe(401);
      expect((await token(other.issuer, { grant_type: "client_credentials", client_id: bobCredential.clientId, client_secret: bobCredential.clientSecret })).status).toBe(200);
      expect(await other.server.revokeUser("alice")).toEqual({ grants: 0, machineCredentials: 0, sessions: 0 });
      await expect(other.server.revokeUser("")).rejects.toThrow(/username must be a non-empty string/);
    } finally {
      await other.close();
    }
  });
});
