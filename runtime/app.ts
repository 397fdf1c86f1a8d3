import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import Koa from "koa";
import type { Logger } from "pino";
import { BackendClient } from "./backend/backend-client.ts";
import { loadGenerated, type GeneratedBundle } from "./config/load-generated.ts";
import { resolveSettings, type RuntimeOverrides, type Settings } from "./config/resolve-settings.ts";
import { StartupError } from "./errors.ts";
import { developmentCaller, guardHostAndOrigin, methodNotAllowed, requestScope } from "./http/middleware.ts";
import { createLogger } from "./log.ts";
import { createDispatcher } from "./mcp/dispatch.ts";
import { mcpPost } from "./mcp/mcp-endpoint.ts";
import { ToolPages } from "./mcp/tool-pages.ts";
import type { RunnableTool } from "./tools/call-tool.ts";

export interface GatewayOptions extends RuntimeOverrides {
  /** The `generated/` directory to serve (ignored when `bundle` is given). */
  readonly generatedDir?: string;
  /** An already-imported `generated/` bundle. */
  readonly bundle?: GeneratedBundle;
  /**
   * Development mode: no authentication, every call acts as the `dev` caller of gateway.yaml.
   * Required until the identity work lands; only ever allowed on a loopback address.
   */
  readonly dev: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly logger?: Logger;
  /** Reported as serverInfo.version. */
  readonly version?: string;
  /** Largest backend answer read, in bytes (default 8 MiB). */
  readonly maxResponseBytes?: number;
}

/** A gateway built and ready to listen. */
export interface Gateway {
  readonly app: Koa;
  readonly settings: Settings;
  readonly logger: Logger;
  /** Listens on `host:port` (port 0 picks one); resolves with the MCP endpoint's URL. */
  listen(port: number, host: string): Promise<{ url: string; server: Server }>;
  /** Stops accepting, lets in-flight requests finish, closes backend connections. */
  close(): Promise<void>;
}

/** Builds the gateway from `generated/`: everything is resolved here, once, not per request. */
export async function createGateway(options: GatewayOptions): Promise<Gateway> {
  if (!options.dev) {
    throw new StartupError("authentication is not implemented yet: start the gateway in development mode (`toolgate serve --dev`), which serves without authentication on loopback only");
  }
  const logger = options.logger ?? createLogger();
  const bundle = options.bundle ?? (await loadGenerated(options.generatedDir ?? "generated"));
  const settings = resolveSettings(bundle.manifest, options.env ?? process.env, options);
  const client = new BackendClient({ maxConnections: settings.maxConnections, maxResponseBytes: options.maxResponseBytes ?? 8 * 1024 * 1024 });

  const tools = new Map<string, RunnableTool>();
  for (const tool of bundle.tools) {
    const target = settings.backends.get(tool.backend);
    if (!target) throw new StartupError(`tool ${tool.definition.name} uses backend "${tool.backend}", which the manifest does not define: run \`toolgate generate\``);
    tools.set(tool.definition.name, { tool, target, argumentNames: Object.keys((tool.definition.inputSchema.properties as object | undefined) ?? {}) });
  }
  const dispatch = createDispatcher({
    identity: { name: bundle.manifest.gateway.name, title: bundle.manifest.gateway.title, instructions: bundle.manifest.gateway.instructions, version: options.version ?? "0.1.0" },
    tools,
    pages: new ToolPages(bundle.tools.map((tool) => tool.definition), settings.pageSize),
    client,
    onToolCall(tool, outcome, context, durationMs) {
      const entry = { requestId: context.requestId, tool, tenant: context.caller.tenant, outcome: outcome.code, backendStatus: outcome.backendStatus, durationMs: Math.round(durationMs * 10) / 10 };
      if (outcome.code === "ok") logger.debug(entry, "tool call");
      else logger.info(entry, "tool call failed");
    },
  });

  const allowedHosts = new Set(settings.allowedHosts);
  const allowedOrigins = new Set(settings.allowedOrigins);
  const policy = { allowedHosts, allowedOrigins };
  let ready = true;
  const router = new Router();
  const endpoint = [guardHostAndOrigin(policy)];
  router.post(settings.endpointPath, ...endpoint, developmentCaller(settings.devCaller), mcpPost(dispatch, settings.maxBodyBytes, logger));
  router.get(settings.endpointPath, ...endpoint, methodNotAllowed);
  router.delete(settings.endpointPath, ...endpoint, methodNotAllowed);
  router.get("/healthz", (ctx) => {
    ctx.body = { status: "ok" };
  });
  router.get("/readyz", (ctx) => {
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? "ready" : "shutting down", tools: tools.size };
  });

  const app = new Koa();
  app.silent = true;
  app.use(requestScope(logger));
  app.use(router.routes());
  app.use(router.allowedMethods());

  let server: Server | undefined;
  return {
    app,
    settings,
    logger,
    async listen(port, host) {
      if (!isLoopback(host)) {
        throw new StartupError(`development mode serves without authentication, so it listens on loopback only; ${host} is not a loopback address`);
      }
      server = createServer({ keepAliveTimeout: 65_000, headersTimeout: 30_000, requestTimeout: 60_000 }, app.callback());
      await new Promise<void>((resolve, reject) => {
        server!.once("error", reject);
        server!.listen(port, host, () => resolve());
      });
      const actual = (server.address() as AddressInfo).port;
      // A loopback listener also answers to the loopback names with its real port, and to pages
      // served from them (a DNS-rebinding page has a foreign origin and Host, and stays refused).
      for (const name of ["localhost", "127.0.0.1", "[::1]"]) {
        allowedHosts.add(`${name}:${actual}`);
        allowedOrigins.add(`http://${name}:${actual}`);
      }
      const hostname = host.includes(":") ? `[${host}]` : host;
      logger.warn({ tools: tools.size }, "DEVELOPMENT MODE: no authentication; every call acts as the dev caller from gateway.yaml");
      return { url: `http://${hostname}:${actual}${settings.endpointPath}`, server };
    },
    async close() {
      ready = false;
      if (server) {
        const closing = new Promise<void>((resolve) => server!.close(() => resolve()));
        server.closeIdleConnections();
        await closing;
      }
      await client.close();
    },
  };
}

function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
