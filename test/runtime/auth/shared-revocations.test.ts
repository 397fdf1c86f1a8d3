import { randomUUID } from "node:crypto";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Gateway } from "../../../runtime/index.ts";
import { startFixtureGateway, type FixtureGateway } from "../../support/fixture-gateway.ts";
import { redisUrl, serviceAvailable } from "../../support/services.ts";

// Two gateway instances sharing revocations through a real Redis: a revocation on one stops
// the token on the other within a second.
const available = await serviceAvailable("Redis", redisUrl);

describe.skipIf(!available)("revocations shared through Redis", () => {
  let fixture: FixtureGateway;
  const instances: { gateway: Gateway; url: string }[] = [];
  const prefix = `toolgate-test-${randomUUID()}:`;

  beforeAll(async () => {
    fixture = await startFixtureGateway("basic", { reply: () => ({ body: { total: 0, data: [] } }), env: { REDIS_URL: redisUrl, TOOLGATE_REDIS_PREFIX: prefix } });
    instances.push({ gateway: fixture.gateway, url: fixture.resource }, await fixture.replica());
  });

  afterAll(async () => {
    await fixture?.close();
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    await redis.del(`${prefix}revocations`);
    await redis.quit();
  });

  const call = async (url: string, token: string) =>
    (await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) })).status;

  it.each(["token", "client", "subject", "tenant"] as const)("revoking by %s on one instance stops the token on the other within a second", async (target) => {
    const claims = { sub: `user-${randomUUID()}`, client_id: `app-${randomUUID()}`, org_id: `t${randomUUID().slice(0, 8)}`, iat: Math.floor(Date.now() / 1000) - 2, jti: randomUUID() };
    const token = await fixture.token(claims);
    const [a, b] = instances as [{ gateway: Gateway; url: string }, { gateway: Gateway; url: string }];
    expect(await call(b.url, token)).toBe(200);
    const id = { token: claims.jti, client: claims.client_id, subject: claims.sub, tenant: claims.org_id }[target];
    a.gateway.revocations.revoke(target, id);
    const started = Date.now();
    let status = 200;
    while (status === 200 && Date.now() - started < 1_000) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      status = await call(b.url, token);
    }
    expect(status).toBe(401);
  });

  it("an instance that starts later knows earlier revocations", async () => {
    const claims = { sub: "late-user", client_id: "late-app", iat: Math.floor(Date.now() / 1000) - 2, jti: randomUUID() };
    instances[0]!.gateway.revocations.revoke("token", claims.jti);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late = await fixture.replica();
    expect(await call(late.url, await fixture.token(claims))).toBe(401);
  });
});
