import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthServer, type Running } from "./support.ts";

let running: Running;
beforeAll(async () => {
  running = await startAuthServer();
});
afterAll(async () => {
  await running.close();
});

describe("authorization server metadata (RFC 8414, OpenID Connect Discovery)", () => {
  it.each(["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"])("%s describes the endpoints at the issuer's root", async (path) => {
    const response = await fetch(`${running.issuer}${path}`);
    expect(response.status).toBe(200);
    const metadata = (await response.json()) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      issuer: running.issuer,
      authorization_endpoint: `${running.issuer}/authorize`,
      token_endpoint: `${running.issuer}/token`,
      registration_endpoint: `${running.issuer}/register`,
      revocation_endpoint: `${running.issuer}/revoke`,
      jwks_uri: `${running.issuer}/jwks`,
      code_challenge_methods_supported: ["S256"],
      response_types_supported: ["code"],
    });
    expect(metadata.grant_types_supported).toEqual(expect.arrayContaining(["authorization_code", "refresh_token", "client_credentials"]));
    expect(metadata.token_endpoint_auth_methods_supported).toEqual(expect.arrayContaining(["none", "client_secret_basic", "client_secret_post"]));
    expect(metadata.scopes_supported).toEqual(expect.arrayContaining(["read:accounts", "write:workflows"]));
    // Nothing the gateway does not serve is advertised.
    expect(metadata).not.toHaveProperty("userinfo_endpoint");
    expect(metadata).not.toHaveProperty("end_session_endpoint");
    expect(metadata).not.toHaveProperty("introspection_endpoint");
  });

  it("both documents are the same", async () => {
    const [oauth, openid] = await Promise.all(
      ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"].map(async (path) => (await fetch(`${running.issuer}${path}`)).json()),
    );
    expect(oauth).toEqual(openid);
  });

  it("/jwks serves public keys only, the same as jwks()", async () => {
    const served = (await (await fetch(`${running.issuer}/jwks`)).json()) as { keys: Record<string, unknown>[] };
    expect(served.keys.map((key) => key.alg)).toEqual(["RS256", "ES256"]);
    for (const key of served.keys) {
      for (const secret of ["d", "p", "q", "dp", "dq", "qi"]) expect(key).not.toHaveProperty(secret);
      expect(key).toMatchObject({ use: "sig", kid: expect.any(String) });
    }
    const local = await running.server.jwks();
    expect(local.keys.map((key) => (key as { kid: string }).kid)).toEqual(served.keys.map((key) => key.kid));
  });
});
