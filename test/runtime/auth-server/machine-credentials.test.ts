import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { startAuthServer, token } from "./support.ts";

const paths: string[] = [];
function databaseFile(name: string): string {
  const path = join(tmpdir(), `toolgate-mc-${name}-${process.pid}-${Date.now()}.db`);
  paths.push(path);
  return path;
}
afterAll(() => {
  for (const path of paths) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${path}${suffix}`, { force: true });
});

/** Every byte SQLite wrote for a database (the file and its write-ahead log). */
function databaseBytes(path: string): Buffer {
  return Buffer.concat(["", "-wal"].filter((suffix) => existsSync(`${path}${suffix}`)).map((suffix) => readFileSync(`${path}${suffix}`)));
}

const sha256 = (value: string) => createHash("sha256").update(value).digest();

describe("machine credentials: secrets stored hashed, shown once", () => {
  it("the secret is nowhere in the database; its SHA-256 digest is, and only the secret itself authenticates", async () => {
    const path = databaseFile("hashed");
    const running = await startAuthServer({ databasePath: path });
    try {
      const credential = await running.server.createMachineCredential({ owner: "alice", name: "nightly export" });
      const bytes = databaseBytes(path);
      expect(bytes.includes(credential.clientSecret)).toBe(false);
      expect(bytes.includes(credential.clientId)).toBe(true);
      const digest = sha256(credential.clientSecret);
      expect(bytes.includes(digest)).toBe(true);

      const attempts = [
        { secret: credential.clientSecret, status: 200 },
        { secret: digest.toString("base64url"), status: 401 },
        { secret: digest.toString("hex"), status: 401 },
        { secret: `${credential.clientSecret}x`, status: 401 },
        { secret: credential.clientSecret.slice(0, -1), status: 401 },
      ];
      for (const { secret, status } of attempts) {
        const answer = await token(running.issuer, { grant_type: "client_credentials", client_id: credential.clientId, client_secret: secret });
        expect(answer.status, secret).toBe(status);
      }
    } finally {
      await running.close();
    }
  });

  it("createMachineCredential returns the name and creation time; listMachineCredentials shows when each was last used, never the secret", async () => {
    const running = await startAuthServer();
    try {
      const before = Date.now();
      const alice = await running.server.createMachineCredential({ owner: "alice", name: "nightly export", scopes: ["read:accounts"] });
      const bob = await running.server.createMachineCredential({ owner: "bob" });
      expect(alice).toMatchObject({ name: "nightly export", owner: "alice", tenant: "acme", scopes: ["read:accounts"] });
      expect(Date.parse(alice.createdAt)).toBeGreaterThanOrEqual(before - 1000);
      expect(bob.name).toBe("Machine credential for bob");

      const listed = await running.server.listMachineCredentials();
      expect(listed).toEqual([
        { clientId: alice.clientId, name: "nightly export", owner: "alice", tenant: "acme", scopes: ["read:accounts"], createdAt: alice.createdAt, lastUsedAt: null },
        { clientId: bob.clientId, name: "Machine credential for bob", owner: "bob", tenant: "globex", createdAt: bob.createdAt, lastUsedAt: null },
      ]);
      expect(JSON.stringify(listed)).not.toContain(alice.clientSecret);

      const issued = await token(running.issuer, { grant_type: "client_credentials", client_id: alice.clientId, client_secret: alice.clientSecret });
      expect(issued.status).toBe(200);
      const [used] = await running.server.listMachineCredentials({ owner: "alice" });
      expect(used!.lastUsedAt).not.toBeNull();
      expect(Date.parse(used!.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(alice.createdAt));
      // A refused attempt is not a use.
      await token(running.issuer, { grant_type: "client_credentials", client_id: bob.clientId, client_secret: "wrong" });
      expect((await running.server.listMachineCredentials({ owner: "bob" }))[0]!.lastUsedAt).toBeNull();

      const filters = [
        { filter: { owner: "alice" }, want: [alice.clientId] },
        { filter: { tenant: "globex" }, want: [bob.clientId] },
        { filter: { owner: "alice", tenant: "globex" }, want: [] },
        { filter: { owner: "nobody" }, want: [] },
        { filter: {}, want: [alice.clientId, bob.clientId] },
      ];
      for (const { filter, want } of filters) {
        expect((await running.server.listMachineCredentials(filter)).map((credential) => credential.clientId), JSON.stringify(filter)).toEqual(want);
      }

      expect(await running.server.revokeMachineCredential(alice.clientId)).toBe(true);
      expect((await running.server.listMachineCredentials()).map((credential) => credential.clientId)).toEqual([bob.clientId]);
    } finally {
      await running.close();
    }
  });

  it("a credential stored in clear by the earlier version is moved to a hash at start-up and keeps working", async () => {
    const path = databaseFile("legacy");
    const first = await startAuthServer({ databasePath: path });
    const port = Number(new URL(first.issuer).port);
    await first.close();
    const clientId = "mc_legacyCredential0000001";
    const clientSecret = "legacy-secret-legacy-secret-legacy-secret-00";
    const db = new DatabaseSync(path);
    db.prepare("INSERT INTO oidc_model (model, id, payload) VALUES ('Client', ?, ?)").run(clientId, JSON.stringify({
      client_id: clientId, client_secret: clientSecret, client_name: "Old script", client_id_issued_at: 1767225600, client_secret_expires_at: 0,
      grant_types: ["client_credentials"], response_types: [], redirect_uris: [], token_endpoint_auth_method: "client_secret_basic",
      scope: "read:accounts", toolgate_owner: "alice", toolgate_tenant: "acme",
    }));
    db.close();

    const second = await startAuthServer({ databasePath: path }, port);
    try {
      expect(await second.server.listMachineCredentials()).toEqual([
        { clientId, name: "Old script", owner: "alice", tenant: "acme", scopes: ["read:accounts"], createdAt: "2026-01-01T00:00:00.000Z", lastUsedAt: null },
      ]);
      const answer = await token(second.issuer, { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret });
      expect(answer).toMatchObject({ status: 200, body: { scope: "read:accounts" } });
    } finally {
      await second.close();
    }
    const check = new DatabaseSync(path);
    try {
      expect(check.prepare("SELECT count(*) AS n FROM oidc_model WHERE model = 'Client' AND id = ?").get(clientId)).toEqual({ n: 0 });
      check.exec("VACUUM");
    } finally {
      check.close();
    }
    expect(databaseBytes(path).includes(clientSecret)).toBe(false);
  });

  it.each([
    { given: { owner: "alice", name: "" }, want: /name must be a non-empty string/ },
    { given: { owner: "alice", name: "x".repeat(201) }, want: /at most 200 characters/ },
  ])("createMachineCredential($given) throws", async ({ given, want }) => {
    const running = await startAuthServer();
    try {
      await expect(running.server.createMachineCredential(given)).rejects.toThrow(want);
    } finally {
      await running.close();
    }
  });
});
