import { createLocalJWKSet, createRemoteJWKSet, customFetch, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";
import { StartupError } from "../errors.ts";

/**
 * The keys of an external issuer: its JWKS URL comes from its RFC 8414 (or OpenID) metadata,
 * fetched once; jose keeps the key set cached and refetches on an unknown `kid`, at most once
 * per cooldown.
 */
export async function discoverIssuerKeys(issuer: string, jwksUri?: string, onFetch?: () => void): Promise<{ keys: JWTVerifyGetKey; jwksUri: string }> {
  const uri = jwksUri ?? (await discoverJwksUri(issuer));
  const keys = createRemoteJWKSet(new URL(uri), {
    cooldownDuration: 30_000,
    cacheMaxAge: 10 * 60_000,
    timeoutDuration: 5_000,
    // Counted, for the JWKS-refresh metric.
    [customFetch]: (url, options) => {
      onFetch?.();
      return fetch(url, options);
    },
  });
  return { keys, jwksUri: uri };
}

/** The embedded issuer's keys, handed over in process (no HTTP round trip). */
export function localIssuerKeys(jwks: JSONWebKeySet): JWTVerifyGetKey {
  return createLocalJWKSet(jwks);
}

/** RFC 8414 §3: metadata at the path-inserted well-known URL, then the OpenID Connect location. */
async function discoverJwksUri(issuer: string): Promise<string> {
  const url = new URL(issuer);
  const path = url.pathname.replace(/\/+$/, "");
  const candidates = [
    `${url.origin}/.well-known/oauth-authorization-server${path}`,
    `${url.origin}/.well-known/openid-configuration${path}`,
    `${issuer.replace(/\/+$/, "")}/.well-known/openid-configuration`,
  ];
  const failures: string[] = [];
  for (const candidate of [...new Set(candidates)]) {
    try {
      const response = await fetch(candidate, { headers: { accept: "application/json" }, signal: AbortSignal.timeout(5_000) });
      if (!response.ok) {
        failures.push(`${candidate}: HTTP ${response.status}`);
        continue;
      }
      const metadata = (await response.json()) as { issuer?: string; jwks_uri?: string };
      if (metadata.issuer !== issuer && metadata.issuer !== `${issuer}/`) {
        failures.push(`${candidate}: names issuer ${JSON.stringify(metadata.issuer)}`);
        continue;
      }
      if (typeof metadata.jwks_uri !== "string") {
        failures.push(`${candidate}: no jwks_uri`);
        continue;
      }
      return metadata.jwks_uri;
    } catch (error) {
      failures.push(`${candidate}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  throw new StartupError(`auth.issuer ${issuer}: no authorization server metadata found (${failures.join("; ")}); set auth.jwks_uri or check the issuer URL`);
}
