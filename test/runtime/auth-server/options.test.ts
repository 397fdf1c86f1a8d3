import { describe, expect, it } from "vitest";
import { createEmbeddedAuthServer, type EmbeddedAuthServerOptions } from "../../../runtime/auth-server/index.ts";

const valid: EmbeddedAuthServerOptions = {
  issuer: "http://127.0.0.1:3000",
  resources: [{ resource: "http://127.0.0.1:3000/mcp", name: "Tools", scopes: ["read:accounts"] }],
  tenantClaim: "org_id",
  databasePath: ":memory:",
  users: [{ username: "alice", password: "secret-password", tenant: "acme" }],
  cookieKeys: ["a-development-cookie-key-0123456789"],
};

describe("createEmbeddedAuthServer(options): bad options fail at start-up, naming the setting", () => {
  it.each([
    { given: { issuer: "http://127.0.0.1:3000/" }, want: /issuer must be an origin/ },
    { given: { issuer: "http://127.0.0.1:3000/oauth" }, want: /issuer must be an origin/ },
    { given: { tenantClaim: "sub" }, want: /tenantClaim "sub" is a claim the server sets itself/ },
    { given: { tenantClaim: "org id" }, want: /tenantClaim must be a claim name/ },
    { given: { accessTokenTtlSeconds: 0 }, want: /accessTokenTtlSeconds must be a positive/ },
    { given: { cookieKeys: [] }, want: /cookieKeys must hold at least one secret/ },
    { given: { cookieKeys: ["short"] }, want: /cookieKeys must hold at least one secret of 16 characters/ },
    { given: { resources: [] }, want: /resources must list at least one protected resource/ },
    { given: { resources: [{ resource: "mcp", name: "x", scopes: [] }] }, want: /resources\[0\]\.resource must be an absolute http\(s\) URL/ },
    { given: { resources: [{ resource: "https://a.example/mcp#x", name: "x", scopes: [] }] }, want: /resources\[0\]\.resource must not contain a fragment/ },
    { given: { resources: [{ resource: "https://a.example/mcp", name: "x", scopes: ["read accounts"] }] }, want: /resources\[0\]\.scopes: "read accounts" is not a valid scope token/ },
    { given: { resources: [{ resource: "https://a.example/mcp", name: "x", scopes: ["openid"] }] }, want: /resources\[0\]\.scopes: "openid" is reserved/ },
    { given: { resources: [{ resource: "https://a.example", name: "x", scopes: [] }, { resource: "https://a.example/", name: "y", scopes: [] }] }, want: /resources\[1\]\.resource "https:\/\/a\.example\/" is listed twice/ },
    { given: { users: [{ username: "alice", password: "", tenant: "acme" }] }, want: /users\[0\]\.password must be a non-empty string/ },
    { given: { users: [{ username: "alice", password: "x", tenant: "" }] }, want: /users\[0\]\.tenant must be a non-empty string/ },
    { given: { users: [{ username: "a", password: "x", tenant: "t" }, { username: "a", password: "y", tenant: "t" }] }, want: /users\[1\]\.username "a" is listed twice/ },
  ])("$given → $want", async ({ given, want }) => {
    await expect(createEmbeddedAuthServer({ ...valid, ...given } as EmbeddedAuthServerOptions)).rejects.toThrow(want);
  });

  it("valid options start (and close)", async () => {
    const server = await createEmbeddedAuthServer(valid);
    expect(server.issuer).toBe(valid.issuer);
    expect((await server.jwks()).keys).toHaveLength(2);
    await server.close();
  });
});
