import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { MemoryOAuthProvider, signInAndConsent } from "../support/oauth-client.ts";
import { freePort } from "../support/net.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const state = mkdtempSync(join(tmpdir(), "toolgate-npm-start-"));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
  rmSync(state, { recursive: true, force: true });
});


/** Runs `npm start`'s script with free ports; resolves with what it printed once it serves. */
async function start(extraEnv: Record<string, string> = {}): Promise<{ url: string; output: string }> {
  const [port, backendPort] = [await freePort(), await freePort()];
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SAMPLE_BACKEND_PORT: String(backendPort), LOG_LEVEL: "warn", TOOLGATE_AUTH_DB: join(state, `auth-${port}.sqlite`), TOOLGATE_STATE_DB: join(state, `state-${port}.sqlite`), ...extraEnv };
  delete env.SAMPLE_BACKEND_TOKEN;
  const child = spawn(process.execPath, ["--experimental-strip-types", "examples/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const output = await new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout!.on("data", (chunk) => {
      text += chunk;
      if (text.includes("Press Ctrl+C")) resolve(text);
    });
    child.stderr!.on("data", (chunk) => (text += chunk));
    child.once("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${text}`)));
  });
  return { url: `http://127.0.0.1:${port}/mcp`, output };
}

describe("npm start", () => {
  it("serves the example tools behind the embedded authorization server; the SDK client gets in with only the URL", async () => {
    const { url, output } = await start();
    expect(output).toContain(`toolgate is serving MCP at ${url}`);
    for (const pack of ["gocsm", "gainsight-cs", "staircase"]) expect(output).toContain(`${url}/${pack}`);
    expect(output).toContain("alice");
    const provider = new MemoryOAuthProvider();
    const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
    await expect(new Client({ name: "npm-start-e2e", version: "1" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
    const { code } = await signInAndConsent(provider.authorizationUrl!, { username: "alice", password: "alice-dev-password" }, (scopes) => [...scopes].filter(([, ticked]) => ticked).map(([scope]) => scope));
    await transport.finishAuth(code);
    const client = new Client({ name: "npm-start-e2e", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toContain("get_company");
      const result = await client.callTool({ name: "list_companies", arguments: { limit: 2 } });
      expect(result.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });

  it("with TOOLGATE_DEV=1 serves without authentication, and says so", async () => {
    const { url, output } = await start({ TOOLGATE_DEV: "1" });
    expect(output).toContain("DEVELOPMENT");
    const client = new Client({ name: "npm-start-dev", version: "1" });
    await client.connect(new StreamableHTTPClientTransport(new URL(url)));
    try {
      expect((await client.listTools()).tools.length).toBeGreaterThan(15);
    } finally {
      await client.close();
    }
  });
});
