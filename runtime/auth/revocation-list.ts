/** What a revocation names. Tokens issued before the revocation (by `iat`) stop working. */
export type RevocationTarget = "token" | "grant" | "session" | "client" | "subject" | "tenant";

/** The claims of a verified token that revocation is checked against. */
export interface RevocableToken {
  readonly jti: string | undefined;
  readonly grantId: string | undefined;
  readonly client: string;
  readonly subject: string;
  readonly tenant: string;
  /** Issued-at, in seconds. */
  readonly issuedAt: number;
}

/**
 * Revocations checked on every request, cache hits included, so a revoked credential, grant,
 * user or tenant stops at once rather than at token expiry. In-process; entries older than the
 * longest token lifetime can be dropped.
 */
export class RevocationList {
  readonly #since = new Map<string, number>();
  #listener: ((target: RevocationTarget, id: string, at: number) => void) | undefined;

  /** Revokes every token of `target`/`id` issued up to now (seconds since the epoch), and shares it. */
  revoke(target: RevocationTarget, id: string, at = Math.floor(Date.now() / 1000)): void {
    this.apply(target, id, at);
    this.#listener?.(target, id, at);
  }

  /** Records a revocation made elsewhere (another instance), without sharing it again. */
  apply(target: RevocationTarget, id: string, at: number): void {
    const key = `${target}\u0000${id}`;
    if ((this.#since.get(key) ?? -Infinity) < at) this.#since.set(key, at);
  }

  /** Called for each revocation made here, to share it (see shared-revocations.ts). */
  onRevoke(listener: (target: RevocationTarget, id: string, at: number) => void): void {
    this.#listener = listener;
  }

  /** Whether a token is revoked; `reason` names what was revoked. */
  check(token: RevocableToken): { revoked: false } | { revoked: true; reason: RevocationTarget } {
    if (this.#since.size === 0) return { revoked: false };
    const checks: [RevocationTarget, string | undefined][] = [
      ["token", token.jti],
      ["grant", token.grantId],
      ["session", sessionId(token.client, token.subject)],
      ["client", token.client],
      ["subject", token.subject],
      ["tenant", token.tenant],
    ];
    for (const [target, id] of checks) {
      if (id === undefined) continue;
      const since = this.#since.get(`${target}\u0000${id}`);
      if (since !== undefined && token.issuedAt <= since) return { revoked: true, reason: target };
    }
    return { revoked: false };
  }

  /** Forgets revocations older than `maxAgeSeconds` (tokens issued before them have expired). */
  prune(maxAgeSeconds: number, now = Math.floor(Date.now() / 1000)): void {
    for (const [key, since] of this.#since) if (since < now - maxAgeSeconds) this.#since.delete(key);
  }
}

/** One user's tokens through one client: what revoking a grant or a refresh token covers. */
export function sessionId(client: string, subject: string): string {
  return `${client}\u0000${subject}`;
}
