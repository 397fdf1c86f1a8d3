import { SUPPORTED_PROTOCOL_VERSIONS } from "@modelcontextprotocol/sdk/types.js";
import { metadataUrls } from "../auth/protected-resource-metadata.ts";
import type { Manifest } from "../handler-api.ts";
import type { EndpointSettings, Settings } from "../config/resolve-settings.ts";

/**
 * `/.well-known/mcp.json`: the server card (the draft MCP server-card discovery document,
 * SEP-1649/2127) naming every endpoint, its transport, its capabilities and where its
 * protected resource metadata is, so a client can find its way before connecting.
 */
export function serverCard(manifest: Manifest, settings: Settings, version: string) {
  const { gateway } = manifest;
  const describe = (endpoint: EndpointSettings) => ({
    name: endpoint.name,
    ...(endpoint.title ? { title: endpoint.title } : {}),
    url: endpoint.resource,
    transport: { type: "streamable-http", endpoint: endpoint.path },
    capabilities: { tools: { listChanged: false }, ...(endpoint.prompts.length ? { prompts: { listChanged: false } } : {}) },
    ...(settings.auth ? { authentication: { required: true, schemes: ["oauth2"], protectedResourceMetadata: metadataUrls(endpoint.resource).pathSuffixed, scopes: endpoint.scopesSupported } } : {}),
  });
  const [main, ...others] = settings.endpoints;
  const { name: _endpointName, title: _endpointTitle, ...mainEndpoint } = describe(main!);
  return {
    name: gateway.name,
    ...(gateway.title ? { title: gateway.title } : {}),
    version,
    ...(gateway.instructions ? { description: gateway.instructions } : {}),
    protocolVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
    ...mainEndpoint,
    ...(settings.auth ? { authorizationServers: [settings.auth.issuerUrl] } : {}),
    endpoints: [main!, ...others].map(describe),
  };
}

