import { randomUUID } from "node:crypto";
import { request } from "node:http";
import { base64url } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFixtureGateway, type FixtureGateway } from "../../support/fixture-gateway.ts";

// The golden fixture (its access.yaml: reader-app read-only, writer-app with a scope ceiling,
// narrow-app, a default app, tenant "frozen" off, tenant "limited" without list_items,
// gmail.com blocked) behind real token verification, attacked with every kind of bad token.
// fixture.token() is valid: user-1 of acme through writer-app, scope read:items.
let fixture: FixtureGateway;
let metadata: string;

beforeAll(async () => {
  fixture = await startFixtureGateway("basic", { reply: () => ({ status: 201, body: { id: "i1", name: "Lamp" } }), env: { TOOLGATE_METRICS_TOKEN: "metrics-secret" } });
  metadata = `${fixture.origin}/.well-known/oauth-protected-resource/mcp`;
});

afterAll(async () => {
  await fixture?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

interface Attempt {
  readonly name: string;
  readonly headers: () => Promise<Record<string, string | string[]>>;
  readonly path?: string;
  readonly call?: string;
  readonly status: number;
  /** The exact WWW-Authenticate (with M for the metadata URL), or null for none. */
  readonly challenge: string | null;
  /** A JSON-RPC error code the body must carry. */
  readonly rpcError?: number;
}

const missing = 'Bearer resource_metadata="M", scope="read:items write:items"';
const invalid = (description: string) => `Bearer resource_metadata="M", error="invalid_token", error_description="${description}", scope="read:items write:items"`;
const malformed = (description: string) => `Bearer resource_metadata="M", error="invalid_request", error_description="${description}"`;

const attempts: Attempt[] = [
  { name: "a valid token", headers: async () => bearer(await fixture.token()), status: 200, challenge: null },
  { name: "no token", headers: async () => ({}), status: 401, challenge: missing },
  {
    name: 'alg "none" (an unsigned token)',
    headers: async () => bearer(`${base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt" }))}.${base64url.encode(JSON.stringify(fixture.claims()))}.`),
    status: 401,
    challenge: invalid("the token's signing algorithm is not accepted"),
  },
  {
    name: "HS256 signed with the issuer's public key (key confusion)",
    headers: async () => bearer(await hs256WithPublicKey(fixture.claims())),
    status: 401,
    challenge: invalid("the token's signing algorithm is not accepted"),
  },
  { name: "expired", headers: async () => bearer(await fixture.token({ iat: now() - 7200, exp: now() - 3600 })), status: 401, challenge: invalid("the token has expired") },
  { name: "not yet valid", headers: async () => bearer(await fixture.token({ nbf: now() + 3600 })), status: 401, challenge: invalid("the token is not valid yet") },
  { name: "a wrong issuer", headers: async () => bearer(await fixture.token({ iss: "https://evil.example" })), status: 401, challenge: invalid("the token comes from an issuer this server does not trust") },
  { name: "a wrong audience", headers: async () => bearer(await fixture.token({ aud: "http://127.0.0.1:1/other" })), status: 401, challenge: invalid("the token was not issued for this resource (audience)") },
  { name: "no audience", headers: async () => bearer(await fixture.token({ aud: undefined })), status: 401, challenge: invalid("the token was not issued for this resource (audience)") },
  {
    name: "a token for another resource of the same issuer",
    headers: async () => bearer(await fixture.token({ aud: "https://crm.example.com/mcp" })),
    status: 401,
    challenge: invalid("the token was not issued for this resource (audience)"),
  },
  { name: "an unknown kid", headers: async () => bearer(await fixture.token({}, { kid: "rotated-away", foreignKey: true })), status: 401, challenge: invalid("the token was signed with a key this server does not know") },
  {
    name: "a tampered payload",
    headers: async () => {
      const [header, , signature] = (await fixture.token()).split(".");
      return bearer(`${header}.${base64url.encode(JSON.stringify(fixture.claims({ org_id: "globex" })))}.${signature}`);
    },
    status: 401,
    challenge: invalid("the token's signature is invalid"),
  },
  {
    name: "a stripped signature",
    headers: async () => bearer(`${(await fixture.token()).split(".").slice(0, 2).join(".")}.`),
    status: 401,
    challenge: invalid("the token's signature is invalid"),
  },
  { name: 'a wrong typ ("dpop+jwt")', headers: async () => bearer(await fixture.token({}, { typ: "dpop+jwt" })), status: 401, challenge: invalid("a token of type dpop+jwt is not an access token") },
  { name: "no tenant claim", headers: async () => bearer(await fixture.token({ org_id: undefined })), status: 401, challenge: invalid("the token has no valid org_id (tenant) claim") },
  {
    name: "a revoked token",
    headers: async () => {
      const jti = randomUUID();
      const token = await fixture.token({ jti, iat: now() - 5 });
      fixture.gateway.revocations.revoke("token", jti);
      return bearer(token);
    },
    status: 401,
    challenge: invalid("the token has been revoked (token)"),
  },
  { name: "a tenant with MCP turned off", headers: async () => bearer(await fixture.token({ org_id: "frozen" })), status: 403, challenge: null },
  {
    name: "an app calling a tool outside its allowlist (the tool does not exist for it)",
    call: "create_item",
    headers: async () => bearer(await fixture.token({ client_id: "narrow-app", scope: "read:items write:items" })),
    status: 200,
    challenge: null,
    rpcError: -32602,
  },
  {
    name: "a read-only app calling a write tool, whatever the token's scopes",
    call: "create_item",
    headers: async () => bearer(await fixture.token({ client_id: "reader-app", scope: "read:items write:items" })),
    status: 200,
    challenge: null,
    rpcError: -32602,
  },
  {
    name: "a tenant calling a tool disabled for it",
    call: "list_items",
    headers: async () => bearer(await fixture.token({ org_id: "limited" })),
    status: 200,
    challenge: null,
    rpcError: -32602,
  },
  { name: "a blocked personal email domain", headers: async () => bearer(await fixture.token({ email: "someone@gmail.com" })), status: 403, challenge: null },
  {
    name: "a missing scope for the tool called (step-up)",
    call: "create_item",
    headers: async () => bearer(await fixture.token()),
    status: 403,
    challenge: 'Bearer resource_metadata="M", error="insufficient_scope", error_description="create_item needs the scope write:items", scope="read:items write:items"',
  },
  { name: "the token in the query string", path: "/mcp?access_token=abc", headers: async () => ({}), status: 400, challenge: malformed("access tokens are accepted only in the Authorization header, never in the URL") },
  {
    name: "two Authorization headers",
    headers: async () => ({ authorization: [`Bearer ${await fixture.token()}`, `Bearer ${await fixture.token({ org_id: "globex" })}`] }),
    status: 400,
    challenge: malformed("send exactly one Authorization header"),
  },
  { name: "an oversized token", headers: async () => bearer("a".repeat(9000)), status: 400, challenge: malformed("the token exceeds 8192 bytes") },
  { name: "garbage", headers: async () => bearer("not-a-jwt"), status: 401, challenge: invalid("the token is malformed") },
  { name: "the Basic scheme", headers: async () => ({ authorization: "Basic dXNlcjpwYXNz" }), status: 400, challenge: malformed("the Authorization header must use the Bearer scheme") },
  { name: "an ES256 token (allowed algorithm, second key)", headers: async () => bearer(await fixture.token({}, { alg: "ES256" })), status: 200, challenge: null },
];

describe("token attacks and mistakes: exact status and WWW-Authenticate", () => {
  it.each(attempts)("$name → $status", async ({ headers, path, call, status, challenge, rpcError }) => {
    const body = call
      ? { jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: call, arguments: { name: "Chair" } } }
      : { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const response = await post(path ?? "/mcp", body, await headers());
    expect(response.status).toBe(status);
    expect(response.headers["www-authenticate"] ?? null).toBe(challenge?.replace("M", metadata) ?? null);
    expect(response.body).not.toMatch(/\s+at\s.+:\d+:\d+/);
    if (rpcError !== undefined) expect((JSON.parse(response.body) as { error: { code: number } }).error.code).toBe(rpcError);
  });

  it("an app sees only its allowlisted tools", async () => {
    const response = await post("/mcp", { jsonrpc: "2.0", id: 1, method: "tools/list" }, bearer(await fixture.token({ client_id: "narrow-app" })));
    expect((JSON.parse(response.body) as { result: { tools: { name: string }[] } }).result.tools.map((tool) => tool.name)).toEqual(["get_item"]);
  });
});

describe("the issuer's keys", () => {
  it("an unknown kid refetches the JWKS at most once per cooldown, however many such tokens come", async () => {
    const before = fixture.issuer.jwksRequests;
    for (let index = 0; index < 5; index++) {
      const response = await post("/mcp", { jsonrpc: "2.0", id: 1, method: "ping" }, bearer(await fixture.token({}, { kid: `unknown-${index}`, foreignKey: true })));
      expect(response.status).toBe(401);
    }
    expect(fixture.issuer.jwksRequests - before).toBeLessThanOrEqual(1);
    expect((await fetch(new URL("/metrics", fixture.resource))).status).toBe(401);
    const metrics = await (await fetch(new URL("/metrics", fixture.resource), { headers: { authorization: "Bearer metrics-secret" } })).text();
    expect(Number(/^toolgate_jwks_fetches_total (\d+)$/m.exec(metrics)?.[1])).toBe(fixture.issuer.jwksRequests);
  });
});

describe("protected resource metadata (RFC 9728)", () => {
  it.each(["/.well-known/oauth-protected-resource", "/.well-known/oauth-protected-resource/mcp"])("is served at %s", async (path) => {
    const response = await fetch(new URL(path, fixture.resource));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      resource: fixture.resource,
      authorization_servers: [fixture.issuer.issuer],
      scopes_supported: ["read:items", "write:items"],
      bearer_methods_supported: ["header"],
      resource_name: "fixture",
    });
  });
});

async function post(path: string, body: unknown, headers: Record<string, string | string[]>): Promise<{ status: number; headers: Record<string, string | undefined>; body: string }> {
  const target = new URL(path, fixture.resource);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { method: "POST", host: target.hostname, port: target.port, path: target.pathname + target.search, headers: { "content-type": "application/json", accept: "application/json, text/event-stream", ...headers } },
      (response) => {
        let text = "";
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers as Record<string, string | undefined>, body: text }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(JSON.stringify(body));
  });
}

/** The classic key-confusion forgery: HMAC-SHA256 keyed with the issuer's public key. */
async function hs256WithPublicKey(payload: object): Promise<string> {
  const { createHmac } = await import("node:crypto");
  const { createPublicKey } = await import("node:crypto");
  const pem = createPublicKey({ key: fixture.issuer.publicRsaJwk as never, format: "jwk" }).export({ type: "spki", format: "pem" });
  const signingInput = `${base64url.encode(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid: "rsa-1" }))}.${base64url.encode(JSON.stringify(payload))}`;
  return `${signingInput}.${createHmac("sha256", pem).update(signingInput).digest("base64url")}`;
}
