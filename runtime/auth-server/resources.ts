/** A protected resource (RFC 8707) the server issues tokens for. */
export interface ResourceEntry {
  readonly resource: string;
  readonly name: string;
  readonly scopes: readonly string[];
}

const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/; // RFC 6749 §3.3 scope-token
/** Scopes oidc-provider itself gives a meaning to; a resource may not reuse them. */
export const OIDC_SCOPES: readonly string[] = ["openid", "offline_access"];

/** Write (and admin) scopes are never pre-selected on the consent page: `write:x`, `x:write`, `x:admin`. */
export function isWriteScope(scope: string): boolean {
  return scope.startsWith("write:") || scope.includes(":write") || scope.endsWith(":admin") || scope.startsWith("admin:");
}

/**
 * The resource's scopes, limited to a client's registered `scope` when it has one. A client that
 * registered none never gets a privileged scope by default: it must ask for it by name.
 */
export function scopesFor(entry: ResourceEntry, clientScope: string | undefined, privileged: ReadonlySet<string> = new Set()): readonly string[] {
  if (!clientScope) return entry.scopes.filter((scope) => !privileged.has(scope));
  const allowed = new Set(clientScope.split(" "));
  return entry.scopes.filter((scope) => allowed.has(scope));
}

/** The configured resources, checked once, with lookups by URL. */
export class ResourceCatalog {
  readonly #byUrl: ReadonlyMap<string, ResourceEntry>;
  /** Every API scope of every resource, sorted. */
  readonly allScopes: readonly string[];
  /** Scopes only admin users may be granted (e.g. the gateway's admin scope). */
  readonly privileged: ReadonlySet<string>;

  constructor(resources: readonly ResourceEntry[], privileged: readonly string[] = []) {
    this.privileged = new Set(privileged);
    if (!resources || resources.length === 0) throw new TypeError("resources must list at least one protected resource");
    const byUrl = new Map<string, ResourceEntry>();
    for (const [index, entry] of resources.entries()) {
      const where = `resources[${index}]`;
      const url = URL.parse(entry.resource);
      if (!url || !/^https?:$/.test(url.protocol)) throw new TypeError(`${where}.resource must be an absolute http(s) URL, got "${entry.resource}"`);
      if (url.hash || entry.resource.includes("#")) throw new TypeError(`${where}.resource must not contain a fragment (RFC 8707 §2)`);
      if (byUrl.has(url.href)) throw new TypeError(`${where}.resource "${entry.resource}" is listed twice`);
      if (typeof entry.name !== "string" || entry.name === "") throw new TypeError(`${where}.name must be a non-empty string`);
      for (const scope of entry.scopes) {
        if (!SCOPE_TOKEN.test(scope)) throw new TypeError(`${where}.scopes: "${scope}" is not a valid scope token (RFC 6749 §3.3)`);
        if (OIDC_SCOPES.includes(scope)) throw new TypeError(`${where}.scopes: "${scope}" is reserved by OpenID Connect`);
      }
      // Keyed by the parsed form, so "https://a.example" and "https://a.example/" name one resource;
      // tokens carry the configured spelling as their audience.
      byUrl.set(url.href, Object.freeze({ resource: entry.resource, name: entry.name, scopes: Object.freeze([...new Set(entry.scopes)]) }));
    }
    this.#byUrl = byUrl;
    this.allScopes = Object.freeze([...new Set([...byUrl.values()].flatMap((entry) => entry.scopes))].sort());
  }

  /** The resource a `resource` parameter names (compared as parsed URLs), or undefined. */
  get(resource: string): ResourceEntry | undefined {
    const url = URL.parse(resource);
    return url ? this.#byUrl.get(url.href) : undefined;
  }

  /** Every resource, in the order configured. */
  get all(): readonly ResourceEntry[] {
    return [...this.#byUrl.values()];
  }

  /** The resource a request without `resource` gets: the only one, when there is exactly one. */
  get single(): ResourceEntry | undefined {
    return this.#byUrl.size === 1 ? [...this.#byUrl.values()][0] : undefined;
  }

  isApiScope(scope: string): boolean {
    return this.allScopes.includes(scope);
  }
}
