// The gateway with authentication on, for the benchmark: embedded authorization server (in
// memory), one machine credential, and its access token printed as `token <jwt>` before serving.
//   PORT=… TOOLGATE_BACKEND_CS_URL=… SAMPLE_BACKEND_TOKEN=… node bench/auth-gateway.ts
import { fileURLToPath } from "node:url";
import { createGateway } from "../runtime/index.ts";

const port = Number(process.env.PORT ?? 3000);
const url = `http://127.0.0.1:${port}/mcp`;
const gateway = await createGateway({
  generatedDir: fileURLToPath(new URL("../generated/", import.meta.url)),
  dev: false,
  resource: url,
  authDatabasePath: ":memory:",
  stateDatabasePath: ":memory:",
  env: { ...process.env, TOOLGATE_COOKIE_KEYS: "bench-cookie-key-0123456789abcdef" },
});
await gateway.listen(port, "127.0.0.1");
const credential = await gateway.authorizationServer!.createMachineCredential({ owner: "alice", name: "bench" });
const response = await fetch(new URL("/token", url), {
  method: "POST",
  headers: { "content-type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams({ grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret }),
});
const { access_token: token } = (await response.json()) as { access_token: string };
process.stdout.write(`token ${token}\nauth gateway listening on ${url}\n`);
process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
