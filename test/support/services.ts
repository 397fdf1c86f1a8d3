import { connect } from "node:net";

/**
 * Whether a real service (Redis, PostgreSQL) is reachable for the tests that need it. On a
 * developer's machine without it those tests skip, saying why; in CI (TOOLGATE_REQUIRE_SERVICES=1,
 * set by .ci/run) a missing service fails the run instead.
 */
export async function serviceAvailable(name: string, url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  const reachable = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.setTimeout(1_000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
  if (reachable) return true;
  if (process.env.TOOLGATE_REQUIRE_SERVICES === "1") throw new Error(`${name} is required (TOOLGATE_REQUIRE_SERVICES=1) but not reachable at ${url}`);
  console.warn(`skipping the ${name} tests: ${name} is not reachable at ${url} (set REDIS_URL / DATABASE_URL, or start it)`);
  return false;
}

export const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
export const databaseUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
