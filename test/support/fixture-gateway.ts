import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import type { JWTPayload } from "jose";
import { createGateway, createLogger, loadGenerated, type Gateway, type GatewayOptions } from "../../runtime/index.ts";
import { freePort } from "./net.ts";
import { startRecordingBackend, type RecordedRequest, type RecordingBackend, type Reply } from "./recording-backend.ts";
import { startTestIssuer, type SignOptions, type TestIssuer } from "./test-issuer.ts";

/** A golden bundle of the generator's tests, `test/generator/golden/<fixture>/`; both call their backend `shop`. */
export type Fixture = "basic" | "endpoints";

/** Any gateway setting, plus how the recording backend answers and where it serves `shop`. */
export interface FixtureGatewayOptions extends Partial<GatewayOptions> {
  /** How the recording backend answers each request (default: 200 with `{}`). */
  readonly reply?: (request: RecordedRequest) => Reply;
  /** Where the `shop` backend lives under the recording backend's URL, e.g. `/t/{tenant}` (default: at its root). */
  readonly backendPath?: string;
}

/** A started {@link startFixtureGateway}: the gateway, what it trusts and calls, and tokens for it. */
export interface FixtureGateway {
  readonly gateway: Gateway;
  /** `http://127.0.0.1:<port>`, where `gateway` listens. */
  readonly origin: string;
  /** The main endpoint, `${origin}/mcp` unless `options.resource` says otherwise: the audience of its tokens. */
  readonly resource: string;
  readonly issuer: TestIssuer;
  readonly backend: RecordingBackend;
  /**
   * The claims of a valid access token for `resource`: user-1 of tenant acme through writer-app,
   * scope read:items, valid for ten minutes, a fresh jti. `overrides` replace any of them (an
   * undefined value leaves that claim out).
   */
  claims(overrides?: Record<string, unknown>): JWTPayload;
  /** `claims(overrides)`, signed by `issuer`. */
  token(overrides?: Record<string, unknown>, options?: SignOptions): Promise<string>;
  /**
   * One more instance of the same deployment (same bundle, options, issuer, backend and resource)
   * on a port of its own, as behind a load balancer; `close()` closes it too.
   */
  replica(): Promise<{ readonly gateway: Gateway; readonly url: string }>;
  /** Closes every instance, then the backend and the issuer. */
  close(): Promise<void>;
}

/**
 * A gateway over a golden fixture as a deployment runs it (authentication on, in-memory state),
 * with a test issuer whose tokens it trusts and a recording backend as its `shop` backend, on a
 * free loopback port. `options` override any gateway setting; `options.env` is merged over the
 * basic fixture's backend credential, `SHOP_TOKEN=backend-secret`.
 */
export async function startFixtureGateway(fixture: Fixture, options: FixtureGatewayOptions = {}): Promise<FixtureGateway> {
  const { reply, backendPath = "", ...gatewayOptions } = options;
  const golden = fileURLToPath(new URL(`../generator/golden/${fixture}/`, import.meta.url));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const resource = gatewayOptions.resource ?? `${origin}/mcp`;
  const issuer = await startTestIssuer();
  const backend = await startRecordingBackend(reply);
  const instances: Gateway[] = [];
  const close = async () => {
    for (const gateway of instances) await gateway.close();
    await backend.close();
    await issuer.close();
  };

  const start = async (listenPort: number) => {
    const gateway = await createGateway({
      bundle: await loadGenerated(golden),
      dev: false,
      stateDatabasePath: ":memory:",
      issuer: { issuer: issuer.issuer },
      backendUrls: { shop: `${backend.url}${backendPath}` },
      logger: createLogger("silent"),
      ...gatewayOptions,
      resource,
      env: { SHOP_TOKEN: "backend-secret", ...gatewayOptions.env },
    });
    instances.push(gateway);
    // With REDIS_URL, an instance is not ready before it knows the revocations made so far.
    await gateway.revocationsShared;
    const { url } = await gateway.listen(listenPort, "127.0.0.1");
    return { gateway, url };
  };
  const claims = (overrides: Record<string, unknown> = {}): JWTPayload => {
    const now = Math.floor(Date.now() / 1000);
    return { iss: issuer.issuer, aud: resource, sub: "user-1", client_id: "writer-app", org_id: "acme", scope: "read:items", iat: now, exp: now + 600, jti: randomUUID(), ...overrides };
  };

  try {
    const { gateway } = await start(port);
    return { gateway, origin, resource, issuer, backend, claims, token: (overrides, signOptions) => issuer.sign(claims(overrides), signOptions), replica: () => start(0), close };
  } catch (error) {
    await close();
    throw error;
  }
}
