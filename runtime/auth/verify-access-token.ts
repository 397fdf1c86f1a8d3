import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Caller } from "../handler-api.ts";
import type { Challenges } from "./auth-errors.ts";
import type { RevocableToken, RevocationList } from "./revocation-list.ts";

export interface TokenVerifierOptions {
  readonly issuer: string;
  /** This endpoint's resource URL: tokens must be issued for it (RFC 8707 audience). */
  readonly audience: string;
  readonly algorithms: readonly string[];
  readonly clockSkewSeconds: number;
  readonly tenantClaim: string;
  readonly keys: JWTVerifyGetKey;
  readonly revocations: RevocationList;
  readonly challenges: Challenges;
  /** Verified tokens kept (until their expiry) so a repeat costs a map lookup, not a signature check. */
  readonly cacheSize?: number;
}

/** A verified caller, plus what revocation is checked against. */
export interface VerifiedToken {
  readonly caller: Caller;
  readonly revocable: RevocableToken;
  /** Expiry, in seconds. */
  readonly expiresAt: number;
}

/** Types of JWT accepted as access tokens (RFC 9068's, and plain JWTs many IdPs issue). */
const acceptedTypes = new Set(["at+jwt", "application/at+jwt", "jwt"]);
const tenantPattern = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Verifies bearer JWTs: signature against the issuer's keys, algorithm allowlist, issuer,
 * audience, expiry and not-before with clock skew, token type, and the claims a caller needs.
 * One RS256 verification costs ~50 µs, so verified tokens are cached until they expire; the
 * revocation list is checked on every call, cached or not.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string) => Promise<VerifiedToken> {
  const { challenges, revocations } = options;
  const cacheSize = options.cacheSize ?? 10_000;
  const cache = new Map<string, VerifiedToken>();

  return async function verifyAccessToken(token) {
    const now = Date.now() / 1000;
    let verified = cache.get(token);
    if (verified && verified.expiresAt + options.clockSkewSeconds <= now) {
      cache.delete(token);
      verified = undefined;
    }
    if (!verified) {
      verified = await verifySignatureAndClaims(token, options);
      if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
      cache.set(token, verified);
    }
    const revocation = revocations.check(verified.revocable);
    if (revocation.revoked) throw challenges.invalid(`the token has been revoked (${revocation.reason})`);
    return verified;
  };
}

async function verifySignatureAndClaims(token: string, options: TokenVerifierOptions): Promise<VerifiedToken> {
  const { challenges } = options;
  let payload: JWTPayload;
  let type: string | undefined;
  try {
    const result = await jwtVerify(token, options.keys, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [...options.algorithms],
      clockTolerance: options.clockSkewSeconds,
      requiredClaims: ["exp", "sub"],
    });
    payload = result.payload;
    type = result.protectedHeader.typ;
  } catch (error) {
    throw challenges.invalid(describeJoseError(error));
  }
  if (type !== undefined && !acceptedTypes.has(type.toLowerCase())) throw challenges.invalid(`a token of type ${type} is not an access token`);
  const tenant = payload[options.tenantClaim];
  if (typeof tenant !== "string" || !tenantPattern.test(tenant)) throw challenges.invalid(`the token has no valid ${options.tenantClaim} (tenant) claim`);
  const client = typeof payload.client_id === "string" ? payload.client_id : typeof payload.azp === "string" ? payload.azp : undefined;
  if (client === undefined) throw challenges.invalid("the token names no client (client_id or azp)");
  const scopes = typeof payload.scope === "string" ? payload.scope.split(" ").filter(Boolean) : Array.isArray(payload.scp) ? payload.scp.filter((scope): scope is string => typeof scope === "string") : [];
  const groups = Array.isArray(payload.groups) ? payload.groups.filter((group): group is string => typeof group === "string") : [];
  const caller: Caller = {
    tenant,
    user: payload.sub!,
    client,
    scopes: new Set(scopes),
    email: typeof payload.email === "string" ? payload.email : undefined,
    groups,
  };
  return {
    caller,
    revocable: {
      jti: typeof payload.jti === "string" ? payload.jti : undefined,
      grantId: typeof payload.grant_id === "string" ? payload.grant_id : undefined,
      client,
      subject: caller.user,
      tenant,
      issuedAt: typeof payload.iat === "number" ? payload.iat : 0,
    },
    expiresAt: payload.exp!,
  };
}

/** Says what is wrong with a token without echoing it. */
function describeJoseError(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case "aud":
        return "the token was not issued for this resource (audience)";
      case "iss":
        return "the token comes from an issuer this server does not trust";
      case "nbf":
        return "the token is not valid yet";
      default:
        return `the token's "${error.claim}" claim is invalid`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return "the token's signing algorithm is not accepted";
  if (error instanceof errors.JWKSNoMatchingKey) return "the token was signed with a key this server does not know";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "the token's signature is invalid";
  if (error instanceof errors.JWKSTimeout) return "the issuer's keys could not be fetched in time";
  return "the token is malformed";
}
