import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createClient } from "redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, createLogger, loadGenerated, type Gateway } from "../../../runtime/index.ts";
import { redisUrl, serviceAvailable } from "../../support/services.ts";
import { startRecordingBackend } from "../../support/recording-backend.ts";
import { startTestIssuer } from "../../support/test-issuer.ts";

// Two gateway instances sharing revocations through a real Redis: a revocation on one stops
// the token on the other within a second.
const available = await serviceAvailable("Redis", redisUrl);
const golden = fileURLToPath(new URL("../../generator/golden/basic/", import.meta.url));
const resource = "http://127.0.0.1:3999/mcp";

describe.skipIf(!available)("revocations shared through Redis", () => {
  let issuer: Awaited<ReturnType<typeof startTestIssuer>>;
  let backend: Awaited<ReturnType<typeof startRecordingBackend>>;
  const instances: { gateway: Gateway; url: string }[] = [];
  const prefix = `toolgate-test-${randomUUID()}:`;

  beforeAll(async () => {
    issuer = await startTestIssuer();
    backend = await startRecordingBackend(() => ({ body: { total: 0, data: [] } }));
    for (let index = 0; index < 2; index++) {
      const gateway = await createGateway({
        bundle: await loadGenerated(golden),
        dev: false,
        resource,
        issuer: { issuer: issuer.issuer },
        stateDatabasePath: ":memory:",
        env: { SHOP_TOKEN: "s", REDIS_URL: redisUrl, TOOLGATE_REDIS_PREFIX: prefix },
        backendUrls: { shop: backend.url },
        logger: createLogger("silent"),
      });
      await gateway.revocationsShared;
      const { url } = await gateway.listen(0, "127.0.0.1");
      instances.push({ gateway, url });
    }
  });

  afterAll(async () => {
    for (const { gateway } of instances) await gateway.close();
    const redis = createClient({ url: redisUrl });
    await redis.connect();
    await redis.del(`${prefix}revocations`);
    await redis.quit();
    await backend?.close();
    await issuer?.close();
  });

  const call = async (url: string, token: string) =>
    (await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json", accept: "application/json, text/event-stream" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }) })).status;

  it.each(["token", "client", "subject", "tenant"] as const)("revoking by %s on one instance stops the token on the other within a second", async (target) => {
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer.issuer, aud: resource, sub: `user-${randomUUID()}`, client_id: `app-${randomUUID()}`, org_id: `t${randomUUID().slice(0, 8)}`, scope: "read:items", iat: now - 2, exp: now + 600, jti: randomUUID() };
    const token = await issuer.sign(claims);
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
    const now = Math.floor(Date.now() / 1000);
    const claims = { iss: issuer.issuer, aud: resource, sub: "late-user", client_id: "late-app", org_id: "acme", scope: "read:items", iat: now - 2, exp: now + 600, jti: randomUUID() };
    instances[0]!.gateway.revocations.revoke("token", claims.jti);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const late = await createGateway({
      bundle: await loadGenerated(golden), dev: false, resource, issuer: { issuer: issuer.issuer }, stateDatabasePath: ":memory:",
      env: { SHOP_TOKEN: "s", REDIS_URL: redisUrl, TOOLGATE_REDIS_PREFIX: prefix }, backendUrls: { shop: backend.url }, logger: createLogger("silent"),
    });
    await late.revocationsShared;
    const { url } = await late.listen(0, "127.0.0.1");
    try {
      expect(await call(url, await issuer.sign(claims))).toBe(401);
    } finally {
      await late.close();
    }
  });
});
