import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from "jose";

export interface SignOptions {
  readonly alg?: "RS256" | "ES256";
  readonly kid?: string;
  readonly typ?: string;
  /** Sign with a key the issuer does not publish. */
  readonly foreignKey?: boolean;
}

/** A running {@link startTestIssuer}. */
export type TestIssuer = Awaited<ReturnType<typeof startTestIssuer>>;

/**
 * An authorization server stand-in whose keys the test holds: it publishes RFC 8414 metadata and
 * a JWKS over real HTTP, and signs whatever claims a test asks for, so tests can forge every
 * kind of bad token.
 */
export async function startTestIssuer() {
  const rsa = await generateKeyPair("RS256", { extractable: true });
  const ec = await generateKeyPair("ES256", { extractable: true });
  const foreign = await generateKeyPair("RS256", { extractable: true });
  const publicJwks: JWK[] = [
    { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
    { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
  ];
  let jwksRequests = 0;
  const server = createServer((request, response) => {
    if (request.url === "/.well-known/oauth-authorization-server") {
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks`, token_endpoint: `${issuer}/token` }));
    } else if (request.url === "/jwks") {
      jwksRequests++;
      response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: publicJwks }));
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer,
    publicRsaJwk: publicJwks[0]!,
    get jwksRequests() {
      return jwksRequests;
    },
    /** Signs `claims` as they are (no defaults added). */
    async sign(claims: JWTPayload, options: SignOptions = {}): Promise<string> {
      const alg = options.alg ?? "RS256";
      const key: CryptoKey = options.foreignKey ? foreign.privateKey : alg === "RS256" ? rsa.privateKey : ec.privateKey;
      return new SignJWT(claims).setProtectedHeader({ alg, kid: options.kid ?? (alg === "RS256" ? "rsa-1" : "ec-1"), typ: options.typ ?? "at+jwt" }).sign(key);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
