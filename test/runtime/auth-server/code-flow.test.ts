import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorize, clientAuth, consentCheckboxes, pkce, registerClient, REDIRECT_URI, registerPublicClient, startAuthorization, startAuthServer, token, USERS, verifyAccessToken, type Running } from "./support.ts";

let running: Running;
beforeAll(async () => {
  running = await startAuthServer();
});
afterAll(async () => {
  await running.close();
});

describe("authorization code flow with PKCE, over HTTP", () => {
  it.each([
    { kind: "public (token_endpoint_auth_method none)", metadata: {} },
    { kind: "confidential (client_secret_basic)", metadata: { token_endpoint_auth_method: "client_secret_basic" } },
  ])("$kind: registers, signs in, consents to the ticked scopes, gets a JWT for the resource; refresh rotates", async ({ metadata }) => {
    const client = await registerClient(running.issuer, metadata);
    const auth = clientAuth(client);
    const { verifier, challenge } = pkce();
    const { code } = await authorize(running, client.client_id, {
      scope: "read:accounts read:users write:workflows",
      tick: ["read:accounts", "write:workflows"],
      challenge,
    });

    const exchanged = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, resource: running.resource, ...auth.form }, auth.headers);
    expect(exchanged.status).toBe(200);
    expect(exchanged.body).toMatchObject({ token_type: "Bearer", expires_in: 43200, scope: "read:accounts write:workflows" });
    expect(typeof exchanged.body.refresh_token).toBe("string");

    const { payload, protectedHeader } = await verifyAccessToken(running, exchanged.body.access_token as string);
    expect(protectedHeader).toMatchObject({ typ: "at+jwt", alg: "RS256" });
    expect(payload).toMatchObject({
      iss: running.issuer,
      aud: running.resource,
      sub: "alice",
      client_id: client.client_id,
      scope: "read:accounts write:workflows",
      org_id: "acme",
      email: "alice@acme.example",
      groups: ["cs-managers"],
    });
    expect(payload.exp! - payload.iat!).toBe(43200);

    const refreshed = await token(running.issuer, { grant_type: "refresh_token", refresh_token: exchanged.body.refresh_token as string, ...auth.form }, auth.headers);
    expect(refreshed.status).toBe(200);
    expect(typeof refreshed.body.refresh_token).toBe("string");
    expect(refreshed.body.refresh_token).not.toBe(exchanged.body.refresh_token);
    const again = await verifyAccessToken(running, refreshed.body.access_token as string);
    expect(again.payload).toMatchObject({ aud: running.resource, scope: "read:accounts write:workflows", org_id: "acme", sub: "alice" });

    // Rotation: the first refresh token was consumed; presenting it again fails (and revokes the grant).
    const replayed = await token(running.issuer, { grant_type: "refresh_token", refresh_token: exchanged.body.refresh_token as string, ...auth.form }, auth.headers);
    expect(replayed).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
    const afterReplay = await token(running.issuer, { grant_type: "refresh_token", refresh_token: refreshed.body.refresh_token as string, ...auth.form }, auth.headers);
    expect(afterReplay).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it("gets a token for the single resource when the client sends no resource parameter", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { verifier, challenge } = pkce();
    const { code } = await authorize(running, clientId, { scope: "read:accounts", tick: ["read:accounts"], challenge, resource: null });
    const exchanged = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: verifier, client_id: clientId });
    expect(exchanged.status).toBe(200);
    const { payload } = await verifyAccessToken(running, exchanged.body.access_token as string);
    expect(payload).toMatchObject({ aud: running.resource, scope: "read:accounts" });
  });

  it("offers every scope of the resource, write scopes unticked, when the request has no scope", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { browser, loginPage, interactionPath } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, code_challenge: pkce().challenge, code_challenge_method: "S256", resource: running.resource,
    });
    expect(loginPage.status).toBe(200);
    const consent = await browser.follow(await browser.post(`${interactionPath}/login`, { username: USERS[0]!.username, password: USERS[0]!.password }));
    expect(Object.fromEntries(consentCheckboxes(await consent.text()))).toEqual({ "read:accounts": true, "read:users": true, "write:workflows": false, "metadata:write": false });
  });
});

describe("consent page", () => {
  it.each([
    { given: "read:accounts read:users", want: { "read:accounts": true, "read:users": true } },
    { given: "read:accounts write:workflows", want: { "read:accounts": true, "write:workflows": false } },
    { given: "metadata:write", want: { "metadata:write": false } },
  ])("requested $given → ticked by default $want", async ({ given, want }) => {
    const clientId = await registerPublicClient(running.issuer);
    const { browser, interactionPath } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: given, code_challenge: pkce().challenge, code_challenge_method: "S256", resource: running.resource,
    });
    const consent = await browser.follow(await browser.post(`${interactionPath}/login`, { username: USERS[0]!.username, password: USERS[0]!.password }));
    expect(consent.status).toBe(200);
    expect(Object.fromEntries(consentCheckboxes(await consent.text()))).toEqual(want);
  });

  it("escapes the client's registered name", async () => {
    const clientId = await registerPublicClient(running.issuer, { client_name: `<script>alert("x")</script>` });
    const { loginPage } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: pkce().challenge, code_challenge_method: "S256", resource: running.resource,
    });
    const html = await loginPage.text();
    expect(html).not.toContain("<script>");
    expect(html).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("denying sends access_denied back to the client, with no code", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { browser, interactionPath } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: pkce().challenge, code_challenge_method: "S256", resource: running.resource,
    });
    const consent = await browser.follow(await browser.post(`${interactionPath}/login`, { username: USERS[0]!.username, password: USERS[0]!.password }));
    const done = await browser.follow(await browser.post(`${new URL(consent.url).pathname}/consent`, { decision: "deny", scope: "read:accounts" }));
    const location = new URL(done.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.has("code")).toBe(false);
  });
});

describe("refusals", () => {
  const confidential = { token_endpoint_auth_method: "client_secret_basic" };
  it.each([
    { name: "PKCE missing, public client", metadata: {}, pkceParams: {} as Record<string, string> },
    { name: "PKCE missing, confidential client", metadata: confidential, pkceParams: {} as Record<string, string> },
    { name: "PKCE plain, public client", metadata: {}, pkceParams: { code_challenge: "a".repeat(43), code_challenge_method: "plain" } as Record<string, string> },
    { name: "PKCE plain, confidential client", metadata: confidential, pkceParams: { code_challenge: "a".repeat(43), code_challenge_method: "plain" } as Record<string, string> },
  ])("$name → an error, not a login page", async ({ metadata, pkceParams }) => {
    const clientId = await registerPublicClient(running.issuer, metadata);
    const { loginPage } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", resource: running.resource, ...pkceParams,
    });
    // The error goes back to the (registered) redirect URI.
    expect(loginPage.status).toBe(303);
    const location = new URL(loginPage.headers.get("location")!);
    expect(location.origin + location.pathname).toBe(REDIRECT_URI);
    expect(location.searchParams.get("error")).toBe("invalid_request");
    expect(location.searchParams.has("code")).toBe(false);
  });

  it("a wrong code_verifier at /token → invalid_grant", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { challenge } = pkce();
    const { code } = await authorize(running, clientId, { scope: "read:accounts", tick: ["read:accounts"], challenge });
    const exchanged = await token(running.issuer, { grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI, code_verifier: pkce().verifier, client_id: clientId });
    expect(exchanged).toMatchObject({ status: 400, body: { error: "invalid_grant" } });
  });

  it.each([
    { name: "wrong password", username: "alice", password: "wrong" },
    { name: "unknown user", username: "mallory", password: "correct horse battery staple" },
    { name: "another user's password", username: "bob", password: "correct horse battery staple" },
  ])("$name → the login page again with an error, no code", async ({ username, password }) => {
    const clientId = await registerPublicClient(running.issuer);
    const { browser, interactionPath } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: pkce().challenge, code_challenge_method: "S256", resource: running.resource,
    });
    const response = await browser.post(`${interactionPath}/login`, { username, password });
    expect(response.status).toBe(200);
    expect(response.headers.get("location")).toBeNull();
    const html = await response.text();
    expect(html).toContain("Wrong username or password.");
    expect(html).toContain('name="password"');
  });

  it("an unknown resource → invalid_target", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { loginPage } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: pkce().challenge, code_challenge_method: "S256", resource: "https://elsewhere.example/mcp",
    });
    expect(new URL(loginPage.headers.get("location")!).searchParams.get("error")).toBe("invalid_target");
  });

  it("a login POST without the browser's interaction cookie is refused", async () => {
    const clientId = await registerPublicClient(running.issuer);
    const { interactionPath } = await startAuthorization(running, {
      client_id: clientId, response_type: "code", redirect_uri: REDIRECT_URI, scope: "read:accounts", code_challenge: pkce().challenge, code_challenge_method: "S256", resource: running.resource,
    });
    const response = await fetch(`${running.issuer}${interactionPath}/login`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams({ username: "alice", password: USERS[0]!.password }), redirect: "manual",
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("location")).toBeNull();
  });
});

describe("mounting", () => {
  it("leaves the gateway's own routes and unknown paths alone", async () => {
    expect((await fetch(`${running.issuer}/healthz`)).status).toBe(200);
    expect((await fetch(`${running.issuer}/nope`)).status).toBe(404);
  });
});
