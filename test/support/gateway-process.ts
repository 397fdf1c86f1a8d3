// A gateway in its own process, for tests that need several instances: the golden fixture in
// development mode, its backend and limits given through the environment. Prints its MCP URL.
//   BACKEND_URL=… LIMITS='{"default":{"callsPerMinute":10},…}' REDIS_URL=… node test/support/gateway-process.ts
import { fileURLToPath } from "node:url";
import { createGateway, createLogger, loadGenerated } from "../../runtime/index.ts";

const gateway = await createGateway({
  bundle: await loadGenerated(fileURLToPath(new URL("../generator/golden/basic/", import.meta.url))),
  dev: true,
  env: { SHOP_TOKEN: "backend-secret", REDIS_URL: process.env.REDIS_URL, TOOLGATE_REDIS_PREFIX: process.env.TOOLGATE_REDIS_PREFIX },
  backendUrls: { shop: process.env.BACKEND_URL! },
  ...(process.env.LIMITS ? { limits: JSON.parse(process.env.LIMITS) } : {}),
  ...(process.env.AUDIT_DB ? { auditDatabasePath: process.env.AUDIT_DB } : {}),
  logger: createLogger("silent"),
});
const { url } = await gateway.listen(0, "127.0.0.1");
process.stdout.write(`${url}\n`);
process.on("SIGTERM", () => void gateway.close().then(() => process.exit(0)));
