import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MachineCredential } from "../../../runtime/auth-server/index.ts";
import { startAuthServer, token, verifyAccessToken, type Running } from "./support.ts";

let running: Running;
let alice: MachineCredential;
let bobReadOnly: MachineCredential;
beforeAll(async () => {
  running = await startAuthServer();
  alice = await running.server.createMachineCredential({ owner: "alice" });
  bobReadOnly = await running.server.createMachineCredential({ owner: "bob", scopes: ["read:accounts"] });
});
afterAll(async () => {
  await running.close();
});

const basic = (id: string, secret: string) => ({ authorization: `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString("base64")}` });

describe("client_credentials for machine credentials (the Staircase seed's personal credentials)", () => {
  it.each([
    { auth: "client_secret_post", withResource: true },
    { auth: "client_secret_basic", withResource: true },
    { auth: "client_secret_post", withResource: false },
  ])("$auth, resource sent: $withResource → a 12-hour JWT for the resource that acts as the owner", async ({ auth, withResource }) => {
    const form: Record<string, string> = { grant_type: "client_credentials", scope: "read:accounts write:workflows" };
    if (withResource) form.resource = running.resource;
    const answer = auth === "client_secret_post"
      ? await token(running.issuer, { ...form, client_id: alice.clientId, client_secret: alice.clientSecret })
      : await token(running.issuer, form, basic(alice.clientId, alice.clientSecret));
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ token_type: "Bearer", expires_in: 43200, scope: "read:accounts write:workflows" });
    expect(answer.body.refresh_token).toBeUndefined();
    const { payload } = await verifyAccessToken(running, answer.body.access_token as string);
    expect(payload).toMatchObject({ sub: "alice", client_id: alice.clientId, org_id: "acme", email: "alice@acme.example", groups: ["cs-managers"], scope: "read:accounts write:workflows" });
  });

  it("without scope → the credential's scopes (all of the resource's when it was issued without a list)", async () => {
    const all = await token(running.issuer, { grant_type: "client_credentials", client_id: alice.clientId, client_secret: alice.clientSecret });
    expect(all.status).toBe(200);
    expect((await verifyAccessToken(running, all.body.access_token as string)).payload.scope).toBe("read:accounts read:users write:workflows metadata:write");
    const limited = await token(running.issuer, { grant_type: "client_credentials", client_id: bobReadOnly.clientId, client_secret: bobReadOnly.clientSecret });
    expect(limited.status).toBe(200);
    const { payload } = await verifyAccessToken(running, limited.body.access_token as string);
    expect(payload).toMatchObject({ sub: "bob", org_id: "globex", scope: "read:accounts" });
    expect(payload.email).toBeUndefined();
    expect(payload.groups).toBeUndefined();
  });

  it("a scope beyond the credential's → invalid_scope", async () => {
    const answer = await token(running.issuer, { grant_type: "client_credentials", scope: "write:workflows", client_id: bobReadOnly.clientId, client_secret: bobReadOnly.clientSecret });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_scope" } });
  });

  it.each([
    { name: "wrong secret (post)", form: () => ({ client_id: alice.clientId, client_secret: "not-the-secret" }), headers: () => ({}) },
    { name: "wrong secret (basic)", form: () => ({}), headers: () => basic(alice.clientId, "not-the-secret") },
    { name: "unknown client", form: () => ({ client_id: "mc_nobody", client_secret: "whatever" }), headers: () => ({}) },
  ])("$name → invalid_client", async ({ form, headers }) => {
    const answer = await token(running.issuer, { grant_type: "client_credentials", resource: running.resource, ...form() }, headers());
    expect(answer.status).toBe(401);
    expect(answer.body.error).toBe("invalid_client");
  });

  it("an unknown resource → invalid_target", async () => {
    const answer = await token(running.issuer, { grant_type: "client_credentials", resource: "https://elsewhere.example/", client_id: alice.clientId, client_secret: alice.clientSecret });
    expect(answer).toMatchObject({ status: 400, body: { error: "invalid_target" } });
  });

  it("a deleted credential stops working and is reported through onRevoke", async () => {
    const events: unknown[] = [];
    const other = await startAuthServer({ onRevoke: (event) => events.push(event) });
    try {
      const credential = await other.server.createMachineCredential({ owner: "bob" });
      const before = await token(other.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
      expect(before.status).toBe(200);
      expect(await other.server.revokeMachineCredential(credential.clientId)).toBe(true);
      expect(events).toEqual([expect.objectContaining({ clientId: credential.clientId, subject: "bob" })]);
      const after = await token(other.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
      expect(after).toMatchObject({ status: 401, body: { error: "invalid_client" } });
      expect(await other.server.revokeMachineCredential(credential.clientId)).toBe(false);
    } finally {
      await other.close();
    }
  });

  it("an owner who is no longer a user cannot get tokens", async () => {
    const path = `/tmp/toolgate-as-owner-${process.pid}-${Date.now()}.db`;
    const first = await startAuthServer({ databasePath: path });
    const credential = await first.server.createMachineCredential({ owner: "bob" });
    await first.close();
    const second = await startAuthServer({ databasePath: path, users: [{ username: "alice", password: "x".repeat(12), tenant: "acme" }] });
    try {
      const answer = await token(second.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret });
      expect(answer).toMatchObject({ status: 400, body: { error: "unauthorized_client" } });
    } finally {
      await second.close();
    }
  });

  it.each([
    { given: { owner: "mallory" }, want: /owner "mallory" is not a known user/ },
    { given: { owner: "alice", scopes: ["read:everything"] }, want: /scopes not offered by any resource: read:everything/ },
  ])("createMachineCredential($given) throws", async ({ given, want }) => {
    await expect(running.server.createMachineCredential(given)).rejects.toThrow(want);
  });
});
