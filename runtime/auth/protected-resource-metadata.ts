/** RFC 9728 protected resource metadata of the MCP endpoint. */
export interface ProtectedResourceMetadata {
  readonly resource: string;
  readonly authorization_servers: readonly string[];
  readonly scopes_supported: readonly string[];
  readonly bearer_methods_supported: readonly string[];
  readonly resource_name: string;
}

/** Where the metadata lives: RFC 9728 §3.1 inserts the well-known path before the resource's path. */
export function metadataUrls(resource: string): { root: string; pathSuffixed: string; paths: readonly string[] } {
  const url = new URL(resource);
  const path = url.pathname.replace(/\/+$/, "");
  const root = "/.well-known/oauth-protected-resource";
  return { root: `${url.origin}${root}`, pathSuffixed: `${url.origin}${root}${path}`, paths: path === "" ? [root] : [root, `${root}${path}`] };
}

export function protectedResourceMetadata(resource: string, issuer: string, scopes: readonly string[], name: string): ProtectedResourceMetadata {
  return { resource, authorization_servers: [issuer], scopes_supported: scopes, bearer_methods_supported: ["header"], resource_name: name };
}
