/**
 * toolgate's runtime: serves `generated/` as MCP tools over Streamable HTTP.
 */
export { createGateway, type Gateway, type GatewayOptions } from "./app.ts";
export { loadGenerated, type GeneratedBundle } from "./config/load-generated.ts";
export type { RuntimeOverrides, Settings } from "./config/resolve-settings.ts";
export { GatewayError, InvalidParamsError, InvalidRequestError, MethodNotFoundError, ParseError, StartupError, TransportError } from "./errors.ts";
export type { BackendRequest, Caller, GeneratedTool, Manifest, OutputPlan, ToolDefinition } from "./handler-api.ts";
export { createLogger } from "./log.ts";
