import { createRequire } from "node:module";
import type { createClient as CreateClient } from "redis";
import type { Logger } from "pino";
import type { RevocationList, RevocationTarget } from "./revocation-list.ts";

// redis is required on first use: loading it is a sixth of the runtime's start-up, and it is only
// needed when REDIS_URL is set.
const require = createRequire(import.meta.url);

const targets = new Set<RevocationTarget>(["token", "grant", "session", "client", "subject", "tenant"]);

/** Revocations shared by every instance through Redis. */
export interface SharedRevocations {
  /** Settles once connected, subscribed and caught up (start-up never waits for it). */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

/**
 * Shares the revocation list through Redis, so a revocation on one instance stops the token on
 * all of them at once: each revocation is written to a hash (for instances that start later)
 * and published (for the running ones). Checks stay in-process, so a request never waits on
 * Redis; if Redis is unreachable, instances keep their own list, log, and reconnect.
 */
export function shareRevocations(url: string, list: RevocationList, logger: Logger, maxAgeSeconds: number, prefix = "toolgate:"): SharedRevocations {
  const channel = `${prefix}revocations`;
  const hash = `${prefix}revocations`;
  const { createClient } = require("redis") as { createClient: typeof CreateClient };
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 5_000) } });
  const subscriber = client.duplicate();
  let lastError = "";
  for (const connection of [client, subscriber]) {
    connection.on("error", (error: Error) => {
      if (error.message !== lastError) logger.error({ err: error.message }, "revocations: Redis unreachable; revocations made here stay on this instance until it is back");
      lastError = error.message;
    });
  }
  const apply = (field: string, value: string) => {
    const separator = field.indexOf(":");
    const target = field.slice(0, separator) as RevocationTarget;
    const at = Number(value);
    if (separator > 0 && targets.has(target) && Number.isFinite(at)) list.apply(target, field.slice(separator + 1), at);
  };
  const ready = (async () => {
    await Promise.all([client.connect(), subscriber.connect()]);
    await subscriber.subscribe(channel, (message) => {
      const space = message.indexOf(" ");
      apply(message.slice(space + 1), message.slice(0, space));
    });
    const now = Math.floor(Date.now() / 1000);
    for (const [field, value] of Object.entries(await client.hGetAll(hash))) {
      if (Number(value) < now - maxAgeSeconds) void client.hDel(hash, field);
      else apply(field, value);
    }
    logger.info("revocations: shared through Redis");
  })();
  ready.catch(() => undefined);
  list.onRevoke((target, id, at) => {
    const field = `${target}:${id}`;
    client
      .multi()
      .hSet(hash, field, String(at))
      .publish(channel, `${at} ${field}`)
      .exec()
      .catch((error: Error) => logger.error({ err: error.message, target }, "revocations: could not share a revocation through Redis"));
  });
  return {
    ready,
    async close() {
      await Promise.allSettled([subscriber.quit(), client.quit()]);
    },
  };
}
