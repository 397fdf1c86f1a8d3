import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, pkce, REDIRECT_URI, startAuthorization, startAuthServer, token, verifyAccessToken, type Running } from "./support.ts";

/** A client's web server on 127.0.0.1 serving metadata documents, counting requests per path. */
interface DocumentServer {
  /** The `client_id` for a path: https, as the specification requires (fetched over HTTP in tests). */
  clientId(path: string): string;
  serve(path: string, answer: (req: IncomingMessage, res: ServerResponse) => void): void;
  hits(path: string): number;
  close(): Promise<void>;
}

async function startDocumentServer(): Promise<DocumentServer> {
  const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
  const counts = new Map<string, number>();
  const http: Server = createServer((req, res) => {
    const path = req.url ?? "/";
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const route = routes.get(path);
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", () => resolve()));
  const port = (http.address() as AddressInfo).port;
  return {
    clientId: (path) => `https://127.0.0.1:${port}${path}`,
    serve: (path, answer) => void routes.set(path, answer),
    hits: (path) => counts.get(path) ?? 0,
    close: () => new Promise<void>((resolve) => {
      http.close(() => resolve());
      http.closeAllConnections();
    }),
  };
}

const json = (body: unknown, headers: Record<string, string> = {}) => (_req: IncomingMessage, res: ServerResponse) => {
  res.writeHead(200, { "content-type": "application/json", ...headers }).end(typeof body === "string" ? body : JSON.stringify(body));
};

let documents: DocumentServer;
let running: Running;
beforeAll(async () => {
  documents = await startDocumentServer();
  running = await startAuthServer({ allowInsecureClientMetadataUrls: true });
});
afterAll(async () => {
  await running?.close();
  await documents?.close();
});

function publicClientDocument(path: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { client_id: documents.clientId(path), client_name: "Document Client", redirect_uris: [REDIRECT_URI], token_endpoint_auth_method: "none", grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], ...overrides };
}

/** GET /authorize for a client id: the login page (via a redirect) when the client resolves. */
async function authorizeStatus(clientId: string): Promise<{ status: number; body: string }> {
  const { challenge } = pkce();
  const { loginPage } = await startAuthorization(running, { client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: challenge, code_challenge_method: "S256", resource: running.resource });
  return { status: loginPage.status, body: await loginPage.text() };
}

describe("Client ID Metadata Documents (the MCP 2025-11-25 authorization spec's preferred registration)", () => {
  it("the metadata advertises client_id_metadata_document_supported", async () => {
    const metadata = (await (await fetch(`${running.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
    expect(metadata.client_id_metadata_document_supported).toBe(true);
  });

  it("a public client known only by its document URL signs a user in, gets tokens, and the document is fetched once (cached)", async () => {
    const path = "/good/client.json";
    documents.serve(path, json(publicClientDocument(path), { "cache-control": "max-age=600" }));
    const clientId = documents.clientId(path);
    for (const round of [1, 2]) {
      const { verifier, challenge } = pkce();
      const { code, consentHtml } = await authorize(running, clientId, { scope: "read:accounts", tick: ["read:accounts"], challenge });
      if (round === 1) expect(consentHtml).toContain("Document Client");
      const issued = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId });
      expect(issued.status).toBe(200);
      const { payload } = await verifyAccessToken(running, issued.body.access_token as string);
      expect(payload).toMatchObject({ client_id: clientId, sub: "alice", scope: "read:accounts" });
      const refreshed = await token(running.issuer, { grant_type: "refresh_token", refresh_token: issued.body.refresh_token as string, client_id: clientId });
      expect(refreshed.status).toBe(200);
    }
    expect(documents.hits(path)).toBe(1);
    const grants = await running.server.listGrants({ clientId });
    // Each sign-in ran in a fresh browser, so each made its own grant.
    expect(grants).toEqual([1, 2].map(() => expect.objectContaining({ clientId, clientName: "Document Client", username: "alice", tenant: "acme", scopes: ["read:accounts"], lastUsedAt: expect.any(String) })));
  });

  it.each([
    { name: "client_id in the document is another URL", document: (path: string) => publicClientDocument(path, { client_id: documents.clientId("/elsewhere.json") }), want: "client_id does not match" },
    { name: "a shared-secret client (client_secret_basic)", document: (path: string) => publicClientDocument(path, { token_endpoint_auth_method: "client_secret_basic" }), want: "must not use shared-secret" },
    { name: "a document carrying a client_secret", document: (path: string) => publicClientDocument(path, { client_secret: "s3cret-s3cret-s3cret-s3cret-s3cret" }), want: "must not contain client_secret" },
    { name: "no redirect URIs", document: (path: string) => publicClientDocument(path, { redirect_uris: [] }), want: "invalid_redirect_uri" },
    { name: "a client asking for client_credentials", document: (path: string) => publicClientDocument(path, { grant_types: ["authorization_code", "client_credentials"] }), want: "a client_credentials client needs toolgate_owner" },
    { name: "a client claiming to act as a user (toolgate_owner)", document: (path: string) => publicClientDocument(path, { toolgate_owner: "alice", toolgate_tenant: "acme" }), want: "client is not allowed" },
    { name: "a document over 64 KiB", document: (path: string) => publicClientDocument(path, { client_name: "x".repeat(65 * 1024) }), want: "document fetch failed" },
    { name: "a JSON array", document: () => [], want: "not a JSON object" },
    { name: "not JSON", document: () => "<html>hello</html>", want: "document fetch failed" },
  ])("refused: $name", async ({ name, document, want }) => {
    const path = `/bad/${encodeURIComponent(name)}.json`;
    documents.serve(path, json(document(path)));
    const answer = await authorizeStatus(documents.clientId(path));
    expect(answer.status).toBe(400);
    expect(answer.body).toContain(want);
    expect(documents.hits(path)).toBe(1);
  });

  it("a document just under 64 KiB is accepted", async () => {
    const path = "/large/client.json";
    const document = publicClientDocument(path, { client_name: "Large" });
    document.logo_text = "x".repeat(63 * 1024);
    documents.serve(path, json(document));
    const answer = await authorizeStatus(documents.clientId(path));
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("Large");
  });

  it.each([
    { name: "a 404", clientId: () => documents.clientId("/missing.json") },
    { name: "a redirect (not followed)", clientId: () => {
      documents.serve("/moved.json", (_req, res) => res.writeHead(302, { location: documents.clientId("/good/client.json") }).end());
      return documents.clientId("/moved.json");
    } },
    { name: "an http: client_id", clientId: () => documents.clientId("/good/client.json").replace("https:", "http:") },
    { name: "a client_id URL with a fragment", clientId: () => `${documents.clientId("/good/client.json")}#x` },
  ])("refused: $name", async ({ clientId }) => {
    const answer = await authorizeStatus(clientId());
    expect(answer.status).toBe(400);
    expect(answer.body).toContain("invalid_client");
  });

  it("a server that does not answer within 5 s is refused", { timeout: 15_000 }, async () => {
    const path = "/slow.json";
    documents.serve(path, (_req, res) => void setTimeout(() => json(publicClientDocument(path))(_req, res), 7_000).unref());
    const started = Date.now();
    const answer = await authorizeStatus(documents.clientId(path));
    expect(answer.status).toBe(400);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(Date.now() - started).toBeLessThan(7_000);
    expect(documents.hits(path)).toBe(1);
  });
});

describe("Client ID Metadata Documents without the test-only option", () => {
  it.each([
    { name: "loopback documents are refused (the SSRF guard applies)", options: {}, advertised: true },
    { name: "documents turned off: not advertised, not resolved", options: { clientIdMetadataDocuments: false, allowInsecureClientMetadataUrls: true }, advertised: false },
  ])("$name", async ({ options, advertised }) => {
    const path = "/strict/client.json";
    documents.serve(path, json(publicClientDocument(path)));
    const strict = await startAuthServer(options);
    try {
      const metadata = (await (await fetch(`${strict.issuer}/.well-known/oauth-authorization-server`)).json()) as Record<string, unknown>;
      expect(metadata.client_id_metadata_document_supported === true).toBe(advertised);
      const { challenge } = pkce();
      const { loginPage } = await startAuthorization(strict, { client_id: documents.clientId(path), response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: challenge, code_challenge_method: "S256" });
      expect(loginPage.status).toBe(400);
      expect(await loginPage.text()).toContain("invalid_client");
      expect(documents.hits(path)).toBe(0);
    } finally {
      await strict.close();
    }
  });
});
