import type { Configuration } from "oidc-provider";
import { ownerOf, tenantOf } from "./machine-credentials.ts";

/** How long a fetch of a client's metadata document (or of any other client-supplied URL) may take. */
export const FETCH_TIMEOUT_MS = 5_000;
/** The largest metadata document accepted (oidc-provider's default is 5 KiB). */
export const DOCUMENT_SIZE_LIMIT = 64 * 1024;
/** A fetched document is reused for its Cache-Control max-age, kept within these bounds (seconds). */
export const CACHE_SECONDS = { min: 60, max: 60 * 60 } as const;

type Features = NonNullable<Configuration["features"]>;
type Client = Parameters<NonNullable<NonNullable<Features["clientIdMetadataDocument"]>["allowClient"]>>[1];

export interface ClientMetadataDocumentOptions {
  readonly enabled: boolean;
  /** Tests only: see `EmbeddedAuthServerOptions.allowInsecureClientMetadataUrls`. */
  readonly allowInsecureUrls: boolean;
}

/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document, the MCP 2025-11-25
 * authorization spec's preferred registration), by oidc-provider's own `clientIdMetadataDocument`
 * feature (experimental, acknowledged at the version it implements). oidc-provider resolves a
 * `client_id` that is an https URL by fetching it (no redirects, SSRF-guarded: no private or
 * loopback addresses), checks that the document's `client_id` is that URL, refuses shared-secret
 * authentication and `client_secret`, caches the document, and advertises
 * `client_id_metadata_document_supported`. This adds what toolgate wants on top: public clients with
 * redirect URIs only, nothing a machine credential may hold, 5 s and 64 KiB at most.
 */
export function clientMetadataDocumentConfiguration(options: ClientMetadataDocumentOptions): Pick<Configuration, "fetch" | "fetchResponseBodyLimits"> & { feature: Features["clientIdMetadataDocument"] } {
  return {
    feature: {
      enabled: options.enabled,
      ack: "draft-02",
      allowFetch: oncePerRequest(),
      allowClient: (_ctx, client) => acceptable(client),
      cacheDuration: { ...CACHE_SECONDS },
    },
    fetchResponseBodyLimits: {
      "client_id metadata document": DOCUMENT_SIZE_LIMIT,
      jwks_uri: Number.POSITIVE_INFINITY,
      sector_identifier_uri: Number.POSITIVE_INFINITY,
    },
    fetch: outboundFetch(options.allowInsecureUrls),
  };
}

/**
 * Evaluated on every use of a document-resolved client, cached or not. oidc-provider builds such
 * a client without a request context, so the registration rules in `extraClientMetadata` treat it
 * like an administrator's client: refuse here what only an administrator may issue.
 */
function acceptable(client: Client): boolean {
  const metadata = client.metadata() as Record<string, unknown>;
  return client.clientAuthMethod === "none"
    && (client.redirectUris?.length ?? 0) > 0
    && !client.grantTypeAllowed("client_credentials")
    && ownerOf(metadata) === undefined
    && tenantOf(metadata) === undefined;
}

/**
 * oidc-provider looks a failed client up again to render the error (and failures are not
 * cached): without this, an unreachable document would be fetched twice per request, taking up
 * to twice the timeout. A request fetches each document at most once; success is cached anyway.
 */
function oncePerRequest(): (ctx: object | undefined, clientId: string) => boolean {
  const fetched = new WeakMap<object, Set<string>>();
  return (ctx, clientId) => {
    if (!ctx) return true;
    const seen = fetched.get(ctx) ?? new Set<string>();
    fetched.set(ctx, seen);
    if (seen.has(clientId)) return false;
    seen.add(clientId);
    return true;
  };
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * oidc-provider's outbound `fetch`, with a 5 s timeout in place of its 2.5 s. With
 * `allowInsecureUrls` (tests only), an `https://127.0.0.1:…` (or localhost) URL is fetched over
 * plain HTTP and past the SSRF guard, so a test can serve a document from a local HTTP server;
 * oidc-provider itself still only accepts https `client_id`s, so every other rule is the one
 * production runs.
 */
function outboundFetch(allowInsecureUrls: boolean): NonNullable<Configuration["fetch"]> {
  return async function fetchWithTimeout(input, init = {}) {
    let target = input;
    const options: RequestInit & { dispatcher?: unknown } = { ...init, signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) };
    const url = typeof input === "string" || input instanceof URL ? URL.parse(String(input)) : null;
    if (allowInsecureUrls && url?.protocol === "https:" && LOOPBACK_HOSTS.has(url.hostname)) {
      url.protocol = "http:";
      target = url.href;
      delete options.dispatcher;
    }
    return fetch(target, options);
  };
}
