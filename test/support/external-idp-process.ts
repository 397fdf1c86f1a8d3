// A second, independent authorization server, run as its own process: oidc-provider configured
// like an enterprise IdP that issues RFC 9068 JWT access tokens for a resource through the
// client_credentials grant. Prints its issuer URL on stdout once it listens.
//   RESOURCE=<resource url> SCOPES="read:items write:items" node test/support/external-idp-process.ts
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair } from "jose";
import Provider from "oidc-provider";

const resource = process.env.RESOURCE ?? "";
const scopes = process.env.SCOPES ?? "";
const { privateKey } = await generateKeyPair("RS256", { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: "external-1", alg: "RS256", use: "sig" };

const server = createServer();
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

const provider = new Provider(issuer, {
  clients: [
    { client_id: "writer-app", client_secret: "external-secret", grant_types: ["client_credentials"], redirect_uris: [], response_types: [], token_endpoint_auth_method: "client_secret_post" },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ["external-idp-test-cookie-key"] },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => resource,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({ scope: scopes, audience: resource, accessTokenFormat: "jwt", accessTokenTTL: 600, jwt: { sign: { alg: "RS256" } } }),
    },
  },
  extraTokenClaims: () => ({ org_id: "acme" }),
});
server.on("request", provider.callback());
process.stdout.write(`${issuer}\n`);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
