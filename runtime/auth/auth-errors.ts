import { GatewayError } from "../errors.ts";

/**
 * Authentication and authorization failures, answered as RFC 6750 and the MCP authorization
 * spec say: each carries its `WWW-Authenticate` challenge pointing at the protected resource
 * metadata, so a client can discover where to get (or upgrade) a token.
 */
export class AuthError extends GatewayError {
  override readonly code: string;
  override readonly status: number;
  override readonly rpcCode = -32000;
  override readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, challenge: string | undefined) {
    super(message);
    this.status = status;
    this.code = code;
    this.headers = challenge === undefined ? {} : { "www-authenticate": challenge };
  }
}

/** Builds challenges for one protected resource. */
export class Challenges {
  readonly #metadataUrl: string;
  readonly #defaultScopes: string;

  constructor(metadataUrl: string, defaultScopes: readonly string[]) {
    this.#metadataUrl = metadataUrl;
    this.#defaultScopes = defaultScopes.join(" ");
  }

  /** 401 without a token: where to find the authorization server, and what to ask for. */
  missing(): AuthError {
    return new AuthError(401, "ERR_TOKEN_MISSING", "Unauthorized: a bearer token is required", this.#header({ scope: this.#defaultScopes }));
  }

  /** 401 for a token that is not valid here (expired, wrong audience, bad signature, revoked…). */
  invalid(description: string): AuthError {
    return new AuthError(401, "ERR_TOKEN_INVALID", `Unauthorized: ${description}`, this.#header({ error: "invalid_token", error_description: description, scope: this.#defaultScopes }));
  }

  /** 400 for a request that carries its token the wrong way. */
  malformed(description: string): AuthError {
    return new AuthError(400, "ERR_AUTH_REQUEST", `Bad Request: ${description}`, this.#header({ error: "invalid_request", error_description: description }));
  }

  /** 403 step-up: the token is fine but lacks scopes; `scopes` is what to ask for. */
  insufficientScope(scopes: readonly string[], description: string): AuthError {
    return new AuthError(403, "ERR_INSUFFICIENT_SCOPE", `Forbidden: ${description}`, this.#header({ error: "insufficient_scope", error_description: description, scope: scopes.join(" ") }));
  }

  /** 403 for a caller that may not use this server at all (policy, not scopes). */
  forbidden(description: string): AuthError {
    return new AuthError(403, "ERR_ACCESS_DENIED", `Forbidden: ${description}`, undefined);
  }

  #header(parameters: Record<string, string>): string {
    const parts = [`resource_metadata="${this.#metadataUrl}"`];
    for (const [name, value] of Object.entries(parameters)) {
      if (value !== "") parts.push(`${name}="${value.replace(/["\\]/g, "")}"`);
    }
    return `Bearer ${parts.join(", ")}`;
  }
}
