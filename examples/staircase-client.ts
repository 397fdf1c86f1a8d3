// The Staircase seed's sample Python client ("Create Automations Using the Staircase AI MCP
// Server"), in TypeScript with the MCP SDK: a personal machine credential gets a token with the
// OAuth 2.0 client_credentials grant (client_secret_post), then asks staircase_query questions.
//
//   MCP_CLIENT_ID=… MCP_CLIENT_SECRET=… npm run staircase-client
//
// MCP_SERVER_URL defaults to http://127.0.0.1:3000/mcp/staircase; the token endpoint is derived
// from it exactly as the seed does (…/oauth/token). With `npm start`, a credential comes from the
// admin CLI: `toolgate admin bootstrap --owner alice --resource <gateway>/mcp` (prints an admin
// credential), then `toolgate admin --url <gateway> credentials create --owner alice --name …`.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

export const DEFAULT_SERVER_URL = "http://127.0.0.1:3000/mcp/staircase";

/** The seed's questions. */
export const QUESTIONS: readonly string[] = [
  "Prep me for my upcoming call with Acme Corp and summarize account health, " +
    "recent risks, wins, and key stakeholder changes into a one-page brief.",
];

/**
 * The token endpoint for an MCP server URL, as the seed computes it:
 * `MCP_SERVER_URL.rsplit("/mcp", 1)[0] + "/oauth/token"` — cut at the last "/mcp", wherever it is.
 * Like the seed, a URL whose only "/mcp" is the start of its host (`https://mcp.example.com`) is
 * cut there too.
 */
export function tokenEndpointFor(serverUrl: string): string {
  const cut = serverUrl.lastIndexOf("/mcp");
  return `${cut === -1 ? serverUrl : serverUrl.slice(0, cut)}/oauth/token`;
}

export interface ClientCredentials {
  tokenEndpoint: string;
  clientId: string;
  clientSecret: string;
  /** Injected for tests; the global `fetch` otherwise. */
  fetch?: typeof fetch;
}

/**
 * Fetches an access token with the client_credentials grant, authenticating with
 * client_secret_post (RFC 6749 §2.3.1: client_id and client_secret in the form body), as the
 * seed's authlib client does. Throws with the server's `error` / `error_description` on failure.
 */
export async function fetchClientCredentialsToken(credentials: ClientCredentials): Promise<string> {
  const { tokenEndpoint, clientId, clientSecret, fetch: send = fetch } = credentials;
  let response: Response;
  try {
    response = await send(tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret }),
    });
  } catch (error) {
    // fetch says only "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, …).
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
    throw new Error(`cannot reach the token endpoint ${tokenEndpoint}: ${cause}`);
  }
  const text = await response.text();
  let body: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object") body = parsed as Record<string, unknown>;
  } catch {
    // Not JSON: reported below with the status.
  }
  if (!response.ok) {
    const reason = [body.error, body.error_description].filter((part) => typeof part === "string").join(": ");
    throw new Error(`token request to ${tokenEndpoint} failed with HTTP ${response.status}${reason === "" ? "" : ` (${reason})`}`);
  }
  if (typeof body.access_token !== "string" || body.access_token === "") {
    throw new Error(`token response from ${tokenEndpoint} has no access_token`);
  }
  return body.access_token;
}

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

export interface RunOptions {
  serverUrl: string;
  accessToken: string;
  questions: readonly string[];
  /** console.log / console.error unless given. */
  output?: Output;
}

/**
 * Connects with the bearer token, lists the tools, and asks `staircase_query` each question,
 * printing its structured content. A failed question is reported on `error` and the next one is
 * asked, as in the seed; resolves with how many failed.
 */
export async function runQuestions(options: RunOptions): Promise<number> {
  const { serverUrl, accessToken, questions, output = { log: console.log, error: console.error } } = options;
  const client = new Client({ name: "staircase-client", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(serverUrl), {
    requestInit: { headers: { authorization: `Bearer ${accessToken}` } },
  }));
  let failures = 0;
  try {
    const { tools } = await client.listTools();
    output.log(`[MCP] Available tools: ${tools.map((tool) => tool.name).join(", ")}`);
    for (const question of questions) {
      try {
        output.log(`\n[MCP] Question: ${question}`);
        const result = await client.callTool({ name: "staircase_query", arguments: { query: question } });
        // fastmcp's call_tool raises on a tool error; the seed then prints "[MCP] Error: …".
        if (result.isError === true) throw new Error(toolErrorText(result.content));
        output.log(`[MCP] Response:\n${JSON.stringify(result.structuredContent ?? null, null, 2)}`);
      } catch (error) {
        failures += 1;
        output.error(`[MCP] Error: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } finally {
    await client.close();
  }
  return failures;
}

function toolErrorText(content: unknown): string {
  const texts = Array.isArray(content)
    ? content.filter((item): item is { type: "text"; text: string } => item?.type === "text" && typeof item.text === "string").map((item) => item.text)
    : [];
  return texts.length === 0 ? "the tool reported an error" : texts.join("\n");
}

/** The seed's `main()`: environment → token → questions. Resolves with the process exit code. */
export async function main(env: NodeJS.ProcessEnv = process.env, output: Output = { log: console.log, error: console.error }): Promise<number> {
  const serverUrl = env.MCP_SERVER_URL ?? DEFAULT_SERVER_URL;
  const missing = ["MCP_CLIENT_ID", "MCP_CLIENT_SECRET"].filter((name) => (env[name] ?? "") === "");
  if (missing.length > 0) {
    output.error(`[Auth] Set ${missing.join(" and ")} to the credential's client id and secret.`);
    return 2;
  }
  try {
    const accessToken = await fetchClientCredentialsToken({
      tokenEndpoint: tokenEndpointFor(serverUrl), clientId: env.MCP_CLIENT_ID as string, clientSecret: env.MCP_CLIENT_SECRET as string,
    });
    output.log(`[Auth] Obtained client_credentials token (len=${accessToken.length})`);
    const failures = await runQuestions({ serverUrl, accessToken, questions: QUESTIONS, output });
    return failures === 0 ? 0 : 1;
  } catch (error) {
    output.error(`[MCP] Error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

// Run only when executed (`node examples/staircase-client.ts`), not when imported by tests.
if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main();
}
