// `npm start`: the sample backend and the gateway together, on the embedded defaults, with no
// set-up. The gateway runs in development mode (no authentication, loopback only) until the
// identity work lands.
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createGateway } from "../runtime/index.ts";
import { startSampleBackend } from "./sample-backend/server.ts";

const backendPort = Number(process.env.SAMPLE_BACKEND_PORT ?? 4010);
const gatewayPort = Number(process.env.PORT ?? 3000);
// The backend's API token lives only in this process: generated fresh unless given.
const token = process.env.SAMPLE_BACKEND_TOKEN ?? randomBytes(24).toString("base64url");

const backend = await startSampleBackend({ port: backendPort, token });
const gateway = await createGateway({
  generatedDir: fileURLToPath(new URL("../generated/", import.meta.url)),
  dev: true,
  env: { ...process.env, SAMPLE_BACKEND_TOKEN: token },
  backendUrls: { cs: `${backend.url}/tenants/{tenant}` },
});
const { url } = await gateway.listen(gatewayPort, "127.0.0.1");

process.stdout.write(`
toolgate is serving MCP at ${url}
  sample backend: ${backend.url} (tenants acme, globex, initech)
  mode: DEVELOPMENT — no authentication; every call acts as tenant "${gateway.settings.devCaller.tenant}"

Connect a client:
  MCP Inspector:  npx @modelcontextprotocol/inspector  → Transport "Streamable HTTP", URL ${url}
  Claude Code:    claude mcp add --transport http toolgate ${url}
  any client:     { "mcpServers": { "toolgate": { "url": "${url}" } } }

Press Ctrl+C to stop.
`);

const stop = async () => {
  await gateway.close();
  await backend.close();
  process.exit(0);
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
