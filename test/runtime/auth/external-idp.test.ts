import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGateway, createLogger, loadGenerated, type Gateway } from "../../../runtime/index.ts";
import { connectClient } from "../../support/mcp-client.ts";
import { startRecordingBackend } from "../../support/recording-backend.ts";
import { freePort } from "../../support/net.ts";

// toolgate as a plain resource server in front of an independent authorization server process
// (oidc-provider, configured like an enterprise IdP): discovery by issuer URL, JWKS over HTTP.
const golden = fileURLToPath(new URL("../../generator/golden/basic/", import.meta.url));
const script = fileURLToPath(new URL("../../support/external-idp-process.ts", import.meta.url));

let idp: ChildProcess;
let issuer: string;
let backend: Awaited<ReturnType<typeof startRecordingBackend>>;
let gateway: Gateway;
let resource: string;

beforeAll(async () => {
  const port = await freePort();
  resource = `http://127.0.0.1:${port}/mcp`;
  idp = spawn(process.execPath, [script], { env: { ...process.env, RESOURCE: resource, SCOPES: "read:items write:items" }, stdio: ["ignore", "pipe", "pipe"] });
  issuer = await new Promise<string>((resolve, reject) => {
    let output = "";
    idp.stdout!.on("data", (chunk) => {
      output += chunk;
      const line = output.split("\n").find((text) => text.startsWith("http://"));
      if (line) resolve(line.trim());
    });
    idp.stderr!.on("data", (chunk) => (output += chunk));
    idp.once("exit", (code) => reject(new Error(`the external IdP exited with ${code}: ${output}`)));
  });
  backend = await startRecordingBackend(() => ({ body: { total: 1, data: [{ id: "i1", name: "Lamp" }] } }));
  gateway = await createGateway({
    bundle: await loadGenerated(golden),
    dev: false,
    stateDatabasePath: ":memory:",
    resource,
    issuer: { issuer },
    env: { SHOP_TOKEN: "backend-secret" },
    backendUrls: { shop: backend.url },
    logger: createLogger("silent"),
  });
  await gateway.listen(port, "127.0.0.1");
});

afterAll(async () => {
  await gateway?.close();
  await backend?.close();
  idp?.kill("SIGTERM");
});

async function clientCredentialsToken(): Promise<string> {
  const response = await fetch(`${issuer}/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: "writer-app", client_secret: "external-secret", resource, scope: "read:items write:items" }),
  });
  const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

describe("an external IdP by issuer URL", () => {
  it("its client_credentials JWT lets the SDK client list and call tools", async () => {
    const client = await connectClient(resource, { authorization: `Bearer ${await clientCredentialsToken()}` });
    try {
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name)).toEqual(["archive_item", "create_item", "get_item", "item_names", "list_items", "shop_get_tree"]);
      const result = await client.callTool({ name: "list_items", arguments: {} });
      expect(result.isError).toBeFalsy();
      expect(backend.requests.at(-1)!.url).toBe("/items?limit=20");
      expect(backend.requests.at(-1)!.headers.authorization).toBe("Bearer backend-secret");
    } finally {
      await client.close();
    }
  });

  it("the protected resource metadata points clients at that IdP", async () => {
    const response = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", resource));
    expect(((await response.json()) as { authorization_servers: string[] }).authorization_servers).toEqual([issuer]);
  });
});
