import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, pkce, REDIRECT_URI, registerPublicClient, startAuthServer, token, USERS, type Running } from "./support.ts";

// A privileged scope (the gateway's admin scope) is granted to admin users only: a forged consent
// form or a client that asks for it gets nothing more for anyone else.
let running: Running;

beforeAll(async () => {
  running = await startAuthServer((origin) => ({
    resources: [{ resource: `${origin}/mcp`, name: "Tools", scopes: ["read:accounts", "toolgate:admin", "toolgate:tenant-admin"] }],
    privilegedScopes: ["toolgate:admin", "toolgate:tenant-admin"],
    users: [{ ...USERS[0]!, admin: true }, { ...USERS[1]!, privilegedScopes: ["toolgate:tenant-admin"] }],
  }));
});

afterAll(async () => {
  await running?.close();
});

async function grantedScopes(username: string, password: string, tick: string[]): Promise<string> {
  const clientId = await registerPublicClient(running.issuer, { scope: "read:accounts toolgate:admin" });
  const { verifier, challenge } = pkce();
  const { code } = await authorize(running, clientId, { scope: "read:accounts toolgate:admin", tick, challenge, username, password });
  const { body } = await token(running.issuer, { grant_type: "authorization_code", code, code_verifier: verifier, redirect_uri: REDIRECT_URI, client_id: clientId, resource: running.resource });
  return String(body.scope);
}

describe("privileged scopes", () => {
  it.each([
    { name: "an admin who ticks it gets it", user: USERS[0]!, tick: ["read:accounts", "toolgate:admin"], want: "read:accounts toolgate:admin" },
    { name: "an admin who leaves it unticked does not", user: USERS[0]!, tick: ["read:accounts"], want: "read:accounts" },
    { name: "anyone else does not, even with a forged form that ticks it", user: USERS[1]!, tick: ["read:accounts", "toolgate:admin"], want: "read:accounts" },
  ])("$name", async ({ user, tick, want }) => {
    expect(await grantedScopes(user.username, user.password, tick)).toBe(want);
  });

  it("a user allowed one privileged scope holds that one only", async () => {
    const credential = await running.server.createMachineCredential({ owner: USERS[1]!.username, scopes: ["toolgate:tenant-admin"] });
    const { body } = await token(running.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(body.scope).toBe("toolgate:tenant-admin");
    await expect(running.server.createMachineCredential({ owner: USERS[1]!.username, scopes: ["toolgate:admin"] })).rejects.toThrow("only admin users may hold toolgate:admin");
  });

  it("a client that registered no scope never gets it by default", async () => {
    const credential = await running.server.createMachineCredential({ owner: USERS[0]!.username });
    const { body } = await token(running.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
    expect(body.scope).toBe("read:accounts");
  });
});
