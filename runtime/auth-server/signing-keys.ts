import { createPublicKey, type JsonWebKey } from "node:crypto";
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { SqliteStore } from "./sqlite-store.ts";

/** The algorithms the server signs with; the first is the default (access tokens, ID tokens). */
const ALGORITHMS = ["RS256", "ES256"] as const;

/**
 * The private signing keys, generated on first start and kept in the database so that tokens
 * signed before a restart still verify after it. One key per algorithm.
 */
export async function loadOrCreateSigningKeys(store: SqliteStore): Promise<JWK[]> {
  const stored = store.signingKeys().map((row) => JSON.parse(row.jwk) as JWK);
  for (const alg of ALGORITHMS) {
    if (stored.some((key) => key.alg === alg)) continue;
    const { privateKey } = await generateKeyPair(alg, { extractable: true, ...(alg === "RS256" ? { modulusLength: 2048 } : {}) });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    const complete: JWK = { ...jwk, kid, alg, use: "sig" };
    store.addSigningKey(kid, JSON.stringify(complete));
    stored.push(complete);
  }
  // oidc-provider picks the first key that fits an algorithm; keep RS256 first.
  return ALGORITHMS.flatMap((alg) => stored.filter((key) => key.alg === alg));
}

/** The public half of each key, as published at /jwks. */
export function publicJwks(keys: readonly JWK[]): { keys: JWK[] } {
  return {
    keys: keys.map((key) => {
      const publicJwk = createPublicKey({ key: key as JsonWebKey, format: "jwk" }).export({ format: "jwk" }) as JWK;
      return { ...publicJwk, kid: key.kid, alg: key.alg, use: key.use };
    }),
  };
}
