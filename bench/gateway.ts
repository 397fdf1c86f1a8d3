// One gateway variant for the benchmark, in its own process. Environment:
//   PORT, TOOLGATE_BACKEND_CS_URL, SAMPLE_BACKEND_TOKEN  where it listens and what it calls
//   AUTH=on       the embedded authorization server; prints `token <jwt>` (a machine credential's)
//   GUARDS=on     limits (tenant, app and user; never reached) and the audit trail (SQLite, a temp file)
//   REDIS_URL     limits shared through Redis instead of in memory
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createGateway, createLogger } from "../runtime/index.ts";

const port = Number(process.env.PORT ?? 3000);
const url = `http://127.0.0.1:${port}/mcp`;
const auth = process.env.AUTH === "on";
const guards = process.env.GUARDS === "on";
const limitsOn = guards || process.env.LIMITS === "on";
const auditOn = guards || process.env.AUDIT === "on";
const high = { callsPerMinute: 100_000_000, writesPerMinute: 100_000_000, concurrent: 10_000, backendCallsPerDay: 1_000_000_000 };
const gateway = await createGateway({
  generatedDir: fileURLToPath(new URL("../generated/", import.meta.url)),
  dev: !auth,
  resource: url,
  authDatabasePath: ":memory:",
  stateDatabasePath: ":memory:",
  env: { ...process.env, TOOLGATE_COOKIE_KEYS: "bench-cookie-key-0123456789abcdef", TOOLGATE_REDIS_PREFIX: `toolgate-bench-${process.pid}:` },
  limits: limitsOn ? { default: high, tenants: {}, apps: { "dev-client": high }, users: high, onStoreError: "open" } : { default: {}, tenants: {}, apps: {}, onStoreError: "open" },
  ...(auditOn ? { auditDatabasePath: join(mkdtempSync(join(tmpdir(), "toolgate-bench-")), "audit.sqlite") } : { audit: { append: async () => undefined } }),
  logger: createLogger("warn"),
});
await gateway.listen(port, "127.0.0.1");
if (auth) {
  const credential = await gateway.authorizationServer!.createMachineCredential({ owner: "alice", name: "bench" });
  const response = await fetch(new URL("/token", url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret }),
  });
  process.stdout.write(`token ${((await response.json()) as { access_token: string }).access_token}\n`);
}
process.stdout.write(`gateway listening on ${url}\n`);
process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
