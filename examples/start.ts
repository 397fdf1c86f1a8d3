// `npm start`: the sample backend and the gateway together, on the embedded defaults, with no
// set-up: the example specs, the embedded authorization server (users from specs/users.yaml),
// and the sample backend on SQLite. TOOLGATE_DEV=1 serves without authentication instead.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { createGateway } from "../runtime/index.ts";
import { startSampleBackend } from "./sample-backend/server.ts";

const backendPort = Number(process.env.SAMPLE_BACKEND_PORT ?? 4010);
const gatewayPort = Number(process.env.PORT ?? 3000);
const dev = process.env.TOOLGATE_DEV === "1";
// The backend's API token lives only in this process: generated fresh unless given.
const token = process.env.SAMPLE_BACKEND_TOKEN ?? randomBytes(24).toString("base64url");
const resource = `http://127.0.0.1:${gatewayPort}/mcp`;

const backend = await startSampleBackend({ port: backendPort, token });
const gateway = await createGateway({
  generatedDir: fileURLToPath(new URL("../generated/", import.meta.url)),
  dev,
  resource,
  env: { ...process.env, SAMPLE_BACKEND_TOKEN: token },
  backendUrls: { cs: `${backend.url}/tenants/{tenant}` },
});
const { url } = await gateway.listen(gatewayPort, "127.0.0.1");

const users = (parse(readFileSync(new URL("../specs/users.yaml", import.meta.url), "utf8")) as { users: { username: string; password: string; tenant: string }[] }).users;
const signIn = dev
  ? `  mode: DEVELOPMENT — no authentication; every call acts as tenant "${gateway.settings.devCaller.tenant}"`
  : [
      `  auth: embedded OAuth 2.1 authorization server at ${new URL(url).origin} (discovery, registration, PKCE)`,
      "  sign in as (development users, specs/users.yaml):",
      ...users.map((user) => `    ${user.username.padEnd(8)} ${user.password.padEnd(22)} tenant ${user.tenant}`),
    ].join("\n");

const packs = gateway.settings.endpoints.slice(1).map((endpoint) => `    ${endpoint.resource.padEnd(42)} ${endpoint.title ?? endpoint.name} (${endpoint.tools.length} tool${endpoint.tools.length === 1 ? "" : "s"}${endpoint.prompts.length ? `, ${endpoint.prompts.length} prompts` : ""})`);

process.stdout.write(`
toolgate is serving MCP at ${url}
${packs.length ? `  and the seed packs, each an MCP server of its own:\n${packs.join("\n")}\n` : ""}  sample backend: ${backend.url} (tenants acme, globex, initech)
${signIn}

Connect a client (it discovers OAuth from the URL alone):
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
