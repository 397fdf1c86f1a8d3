import { createHash, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Router from "@koa/router";
import { createLocalJWKSet, jwtVerify, type JWTPayload, type JWTVerifyResult } from "jose";
import Koa from "koa";
import { createEmbeddedAuthServer, type EmbeddedAuthServer, type EmbeddedAuthServerOptions } from "../../../runtime/auth-server/index.ts";

export const SCOPES = ["read:accounts", "read:users", "write:workflows", "metadata:write"] as const;
export const REDIRECT_URI = "http://127.0.0.1:9/callback";
export const USERS: EmbeddedAuthServerOptions["users"] = [
  { username: "alice", password: "correct horse battery staple", tenant: "acme", email: "alice@acme.example", name: "Alice", groups: ["cs-managers"] },
  { username: "bob", password: "hunter2-but-longer", tenant: "globex" },
];

export interface Running {
  readonly server: EmbeddedAuthServer;
  readonly issuer: string;
  readonly resource: string;
  close(): Promise<void>;
}

/**
 * The authorization server mounted in a plain Koa app exactly as the gateway mounts it: the
 * app's own routes first, then `middleware` at the root. Listens on 127.0.0.1, port 0.
 */
export async function startAuthServer(overrides: Partial<EmbeddedAuthServerOptions> | ((origin: string) => Partial<EmbeddedAuthServerOptions>) = {}, port = 0): Promise<Running> {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  router.get("/healthz", (ctx) => {
    ctx.body = { status: "ok" };
  });
  app.use(router.routes());
  app.use(router.allowedMethods());
  let handler: ReturnType<Koa["callback"]> | undefined;
  // No keep-alive: a restarted server reuses the port, and a pooled socket to the old one would fail.
  const http: Server = createServer((req, res) => {
    res.shouldKeepAlive = false;
    void handler!(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    http.once("error", reject);
    http.listen(port, "127.0.0.1", () => resolve());
  });
  const issuer = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  const options: EmbeddedAuthServerOptions = {
    issuer,
    resources: [{ resource: `${issuer}/mcp`, name: "Customer success tools", scopes: [...SCOPES] }],
    tenantClaim: "org_id",
    databasePath: ":memory:",
    users: USERS,
    cookieKeys: ["a-development-cookie-key-0123456789"],
    ...(typeof overrides === "function" ? overrides(issuer) : overrides),
  };
  const server = await createEmbeddedAuthServer(options);
  const resource = options.resources[0]!.resource;
  app.use(server.middleware);
  handler = app.callback();
  return {
    server,
    issuer,
    resource,
    async close() {
      await new Promise<void>((resolve) => {
        http.close(() => resolve());
        http.closeAllConnections();
      });
      await server.close();
    },
  };
}

/** A browser's cookie jar, enough for oidc-provider's cookies (paths are ignored). */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const expired = attributes.some((attribute) => {
        const [key = "", val = ""] = attribute.split("=");
        if (key.toLowerCase() === "max-age") return Number(val) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(val) <= Date.now();
        return false;
      });
      if (expired || value === "") this.#cookies.delete(name);
      else this.#cookies.set(name, value);
    }
  }
}

/** A browser: follows redirects on the issuer's origin by hand, keeping cookies. */
export class Browser {
  readonly jar = new CookieJar();
  readonly #origin: string;

  constructor(origin: string) {
    this.#origin = origin;
  }

  async get(url: string): Promise<Response> {
    return this.#send(url, { method: "GET" });
  }

  async post(url: string, form: Record<string, string | readonly string[]>): Promise<Response> {
    return this.#send(url, { method: "POST", body: formBody(form), headers: { "content-type": "application/x-www-form-urlencoded" } });
  }

  /** Follows redirects within the issuer; stops at a page or at a redirect that leaves it. */
  async follow(response: Response): Promise<Response> {
    let current = response;
    for (let hops = 0; hops < 10; hops++) {
      const location = current.headers.get("location");
      if (current.status < 300 || current.status >= 400 || !location) return current;
      const next = new URL(location, this.#origin);
      if (next.origin !== this.#origin) return current;
      current = await this.get(next.href);
    }
    throw new Error("too many redirects");
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = this.jar.header();
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(new URL(url, this.#origin), { ...init, headers, redirect: "manual" });
    this.jar.store(response);
    return response;
  }
}

export function formBody(form: Record<string, string | readonly string[]>): URLSearchParams {
  const body = new URLSearchParams();
  for (const [key, value] of Object.entries(form)) {
    for (const item of typeof value === "string" ? [value] : value) body.append(key, item);
  }
  return body;
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

export async function registerClient(issuer: string, metadata: Record<string, unknown> = {}): Promise<{ client_id: string; client_secret?: string }> {
  const response = await fetch(`${issuer}/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none", client_name: "Test MCP client", ...metadata }),
  });
  if (response.status !== 201) throw new Error(`registration failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as { client_id: string; client_secret?: string };
}

export async function registerPublicClient(issuer: string, metadata: Record<string, unknown> = {}): Promise<string> {
  return (await registerClient(issuer, metadata)).client_id;
}

/** Client authentication for /token: client_id alone (public) or HTTP Basic (confidential). */
export function clientAuth(client: { client_id: string; client_secret?: string }): { form: Record<string, string>; headers: Record<string, string> } {
  if (!client.client_secret) return { form: { client_id: client.client_id }, headers: {} };
  const basic = Buffer.from(`${encodeURIComponent(client.client_id)}:${encodeURIComponent(client.client_secret)}`).toString("base64");
  return { form: {}, headers: { authorization: `Basic ${basic}` } };
}

export async function token(issuer: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${issuer}/token`, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: formBody(form) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** The consent page's checkboxes: scope → ticked. */
export function consentCheckboxes(html: string): Map<string, boolean> {
  const boxes = new Map<string, boolean>();
  for (const match of html.matchAll(/<input type="checkbox" name="scope" value="([^"]*)"( checked)?>/g)) {
    boxes.set(match[1]!, match[2] !== undefined);
  }
  return boxes;
}

export interface AuthorizationRun {
  readonly browser: Browser;
  readonly loginPage: Response;
  readonly interactionPath: string;
}

/** GET /authorize in a fresh browser; returns the page it lands on (the login form). */
export async function startAuthorization(running: Running, params: Record<string, string>): Promise<AuthorizationRun> {
  const browser = new Browser(running.issuer);
  const first = await browser.get(`/authorize?${new URLSearchParams(params)}`);
  const loginPage = await browser.follow(first);
  return { browser, loginPage, interactionPath: new URL(loginPage.url).pathname };
}

/** Drives login and consent with the given ticked scopes; returns the code from the redirect. */
export async function authorize(running: Running, clientId: string, options: { scope: string; tick: readonly string[]; challenge: string; username?: string; password?: string; resource?: string | null }): Promise<{ code: string; consentHtml: string }> {
  const params: Record<string, string> = {
    client_id: clientId,
    response_type: "code",
    redirect_uri: REDIRECT_URI,
    scope: options.scope,
    code_challenge: options.challenge,
    code_challenge_method: "S256",
    state: "state-123",
  };
  if (options.resource !== null) params.resource = options.resource ?? running.resource;
  const { browser, loginPage, interactionPath } = await startAuthorization(running, params);
  if (loginPage.status !== 200) throw new Error(`expected the login page, got ${loginPage.status}: ${await loginPage.text()}`);
  const user = USERS[0]!;
  const consentPage = await browser.follow(await browser.post(`${interactionPath}/login`, { username: options.username ?? user.username, password: options.password ?? user.password }));
  const consentHtml = await consentPage.text();
  const consentPath = new URL(consentPage.url).pathname;
  const done = await browser.follow(await browser.post(`${consentPath}/consent`, { decision: "allow", scope: options.tick }));
  const location = new URL(done.headers.get("location") ?? "about:blank");
  const code = location.searchParams.get("code");
  if (!code) throw new Error(`no code: ${done.status} ${location.href} ${await done.text()}`);
  return { code, consentHtml };
}

export async function verifyAccessToken(running: Running, jwt: string): Promise<JWTVerifyResult<JWTPayload & Record<string, unknown>>> {
  const jwks = (await (await fetch(`${running.issuer}/jwks`)).json()) as Parameters<typeof createLocalJWKSet>[0];
  return jwtVerify(jwt, createLocalJWKSet(jwks), { issuer: running.issuer, audience: running.resource, typ: "at+jwt" });
}
