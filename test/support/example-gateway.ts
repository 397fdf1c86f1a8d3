import { fileURLToPath } from "node:url";
import { createGateway, createLogger, type Gateway, type GatewayOptions } from "../../runtime/index.ts";
import { startSampleBackend } from "../../examples/sample-backend/server.ts";
import { freePort } from "./net.ts";

const generatedDir = fileURLToPath(new URL("../../generated/", import.meta.url));

/** The credential the gateway holds for the sample backend in these tests. */
export const EXAMPLE_BACKEND_TOKEN = "example-gateway-backend-token";

/** The sample backend with its data as of a fixed day, so dates in answers are deterministic. */
export function startExampleBackend(now = new Date("2026-06-01T00:00:00Z")) {
  return startSampleBackend({ port: 0, token: EXAMPLE_BACKEND_TOKEN, now });
}

export interface ExampleGateway {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:<port>`: the main endpoint is at `/mcp`, the packs at `/mcp/<pack>`. */
  readonly origin: string;
}

/**
 * The example gateway (`generated/`) as `npm start` serves it, with its embedded authorization
 * server and in-memory state, over `backend`, on a free loopback port. `options` override any
 * setting (limits, an audit sink, …).
 */
export async function startExampleGateway(backend: { readonly url: string }, options: Partial<GatewayOptions> = {}): Promise<ExampleGateway> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const gateway = await createGateway({
    generatedDir,
    dev: false,
    resource: `${origin}/mcp`,
    stateDatabasePath: ":memory:",
    authDatabasePath: ":memory:",
    auditDatabasePath: ":memory:",
    env: { SAMPLE_BACKEND_TOKEN: EXAMPLE_BACKEND_TOKEN, TOOLGATE_COOKIE_KEYS: "example-gateway-cookie-key-0123456789" },
    backendUrls: { cs: `${backend.url}/tenants/{tenant}` },
    logger: createLogger("silent"),
    ...options,
  });
  await gateway.listen(port, "127.0.0.1");
  return { gateway, origin };
}
