import type { OAuthClientProvider } from "@modelcontextprotocol/sdk/client/auth.js";
import type { OAuthClientInformationMixed, OAuthClientMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { Browser, consentCheckboxes } from "../runtime/auth-server/support.ts";

export const redirectUrl = "http://127.0.0.1:9/callback";

/**
 * An MCP client's OAuth state kept in memory, as a desktop client would keep it on disk. The
 * SDK drives discovery, registration, PKCE and token exchange through it; `authorizationUrl` is
 * where it would open the user's browser.
 */
export class MemoryOAuthProvider implements OAuthClientProvider {
  authorizationUrl: URL | undefined;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = "";

  get redirectUrl(): string {
    return redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return { client_name: "toolgate e2e client", redirect_uris: [redirectUrl], grant_types: ["authorization_code", "refresh_token"], response_types: ["code"], token_endpoint_auth_method: "none" };
  }

  clientInformation() {
    return this.#client;
  }

  saveClientInformation(information: OAuthClientInformationMixed) {
    this.#client = information;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens) {
    this.#tokens = tokens;
  }

  redirectToAuthorization(url: URL) {
    this.authorizationUrl = url;
  }

  saveCodeVerifier(verifier: string) {
    this.#verifier = verifier;
  }

  codeVerifier() {
    return this.#verifier;
  }
}

/**
 * The user's part, done by a cookie-keeping browser: open the authorization URL, sign in, tick
 * the scopes to grant on the consent page, and return the code from the redirect back.
 */
export async function signInAndConsent(authorizationUrl: URL, user: { username: string; password: string }, grant: (offered: Map<string, boolean>) => string[]): Promise<{ code: string; offered: Map<string, boolean> }> {
  const browser = new Browser(authorizationUrl.origin);
  const loginPage = await browser.follow(await browser.get(authorizationUrl.href));
  if (loginPage.status !== 200) throw new Error(`expected the login page, got ${loginPage.status}`);
  const interaction = new URL(loginPage.url).pathname;
  const consentPage = await browser.follow(await browser.post(`${interaction}/login`, user));
  const offered = consentCheckboxes(await consentPage.text());
  const done = await browser.follow(await browser.post(`${new URL(consentPage.url).pathname}/consent`, { decision: "allow", scope: grant(offered) }));
  const code = new URL(done.headers.get("location") ?? "about:blank").searchParams.get("code");
  if (!code) throw new Error(`no authorization code (HTTP ${done.status})`);
  return { code, offered };
}
