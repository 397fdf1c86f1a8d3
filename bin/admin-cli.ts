import { randomBytes } from "node:crypto";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { createEmbeddedAuthServer } from "../runtime/auth-server/index.ts";
import { adminScope } from "../runtime/admin/admin-api.ts";
import { readUsersFile } from "../runtime/auth/read-users-file.ts";
import { loadGenerated } from "../runtime/config/load-generated.ts";
import { StartupError } from "../runtime/errors.ts";

export const adminUsage = `toolgate admin — the admin API from the command line

Usage:
  toolgate admin bootstrap --owner USER [--name NAME] [--resource URL]
      create the first admin machine credential directly in the embedded authorization server's
      database (TOOLGATE_AUTH_DB); prints its client id and secret once
  toolgate admin [--url URL] COMMAND …
      apps | apps set CLIENT_ID --tools g1,g2 [--scopes s1,s2] [--read-only] | apps reset CLIENT_ID
      tenants | tenants set TENANT [--mcp on|off] [--disabled-tools g1,g2] | tenants reset TENANT
      effective-tools --client CLIENT_ID --tenant TENANT [--scopes s1,s2]
      credentials [--owner USER] | credentials create --owner USER [--name NAME] [--scopes s1,s2]
      credentials revoke CLIENT_ID
      grants [--user USER] [--client CLIENT_ID] | grants revoke --user USER [--client CLIENT_ID]
      users revoke USER
      changes [--limit N]

  The gateway is at --url (default http://127.0.0.1:3000). The admin token comes from
  TOOLGATE_ADMIN_TOKEN, or is fetched with TOOLGATE_ADMIN_CLIENT_ID and TOOLGATE_ADMIN_CLIENT_SECRET
  (a machine credential holding ${adminScope}, e.g. from \`toolgate admin bootstrap\`).
`;

/** `toolgate admin …`; returns the exit code. */
export async function adminCli(argv: string[], generatedDir: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: "string", default: "http://127.0.0.1:3000" },
      owner: { type: "string" },
      name: { type: "string" },
      resource: { type: "string" },
      tools: { type: "string" },
      scopes: { type: "string" },
      "read-only": { type: "boolean", default: false },
      mcp: { type: "string" },
      "disabled-tools": { type: "string" },
      client: { type: "string" },
      tenant: { type: "string" },
      user: { type: "string" },
      limit: { type: "string" },
    },
  });
  const [command, action, target] = positionals;
  const list = (value: string | undefined) => value?.split(",").map((item) => item.trim()).filter(Boolean);
  if (command === undefined) {
    process.stdout.write(adminUsage);
    return 2;
  }
  if (command === "bootstrap") return bootstrap(generatedDir, values.owner, values.name, values.resource);

  const requests: Record<string, () => [method: string, path: string, body?: unknown]> = {
    apps: () => (action === "set" ? ["PUT", `/apps/${need(target, "CLIENT_ID")}`, { tools: list(need(values.tools, "--tools")), ...(values.scopes ? { scopes: list(values.scopes) } : {}), read_only: values["read-only"] }] : action === "reset" ? ["DELETE", `/apps/${need(target, "CLIENT_ID")}`] : ["GET", "/apps"]),
    tenants: () => (action === "set" ? ["PUT", `/tenants/${need(target, "TENANT")}`, { ...(values.mcp ? { mcp: values.mcp === "on" } : {}), ...(values["disabled-tools"] !== undefined ? { disabled_tools: list(values["disabled-tools"]) } : {}) }] : action === "reset" ? ["DELETE", `/tenants/${need(target, "TENANT")}`] : ["GET", "/tenants"]),
    "effective-tools": () => ["GET", `/effective-tools?${new URLSearchParams({ client: need(values.client, "--client"), tenant: need(values.tenant, "--tenant"), ...(values.scopes ? { scopes: values.scopes } : {}) })}`],
    credentials: () => (action === "create" ? ["POST", "/credentials", { owner: need(values.owner, "--owner"), ...(values.name ? { name: values.name } : {}), ...(values.scopes ? { scopes: list(values.scopes) } : {}) }] : action === "revoke" ? ["DELETE", `/credentials/${need(target, "CLIENT_ID")}`] : ["GET", `/credentials${values.owner ? `?owner=${encodeURIComponent(values.owner)}` : ""}`]),
    grants: () => [action === "revoke" ? "DELETE" : "GET", `/grants?${new URLSearchParams({ ...(values.user ? { username: values.user } : {}), ...(values.client ? { client_id: values.client } : {}) })}`],
    users: () => (action === "revoke" ? ["POST", `/users/${encodeURIComponent(need(target, "USER"))}/revoke`] : usageError("users revoke USER")),
    changes: () => ["GET", `/changes?limit=${Number(values.limit ?? 20)}`],
  };
  const build = Object.hasOwn(requests, command) ? requests[command] : undefined;
  if (!build) return usageError(`unknown admin command "${command}"`);
  const [method, path, body] = build();
  const response = await fetch(new URL(`/admin${path}`, values.url), {
    method,
    headers: { authorization: `Bearer ${await adminToken(values.url!)}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  process.stdout.write(text ? `${JSON.stringify(JSON.parse(text), null, 2)}\n` : `${response.status} ${response.statusText}\n`);
  return response.ok ? 0 : 1;
}

function need(value: string | undefined, what: string): string {
  if (value === undefined || value === "") throw new StartupError(`admin: ${what} is required (see \`toolgate admin\`)`);
  return value;
}

function usageError(message: string): never {
  throw new StartupError(`admin: ${message}\n\n${adminUsage}`);
}

async function adminToken(url: string): Promise<string> {
  if (process.env.TOOLGATE_ADMIN_TOKEN) return process.env.TOOLGATE_ADMIN_TOKEN;
  const clientId = process.env.TOOLGATE_ADMIN_CLIENT_ID;
  const clientSecret = process.env.TOOLGATE_ADMIN_CLIENT_SECRET;
  if (!clientId || !clientSecret) throw new StartupError("admin: set TOOLGATE_ADMIN_TOKEN, or TOOLGATE_ADMIN_CLIENT_ID and TOOLGATE_ADMIN_CLIENT_SECRET (see `toolgate admin bootstrap`)");
  const response = await fetch(new URL("/token", url), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret, scope: adminScope }),
  });
  const body = (await response.json()) as { access_token?: string; error_description?: string; error?: string };
  if (!body.access_token) throw new StartupError(`admin: the authorization server refused the admin credential: ${body.error_description ?? body.error ?? response.status}`);
  return body.access_token;
}

/** The first admin credential, written straight into the embedded authorization server's database. */
async function bootstrap(generatedDir: string, owner: string | undefined, name: string | undefined, resourceOverride: string | undefined): Promise<number> {
  const { manifest } = await loadGenerated(generatedDir);
  const auth = manifest.gateway.auth;
  if (auth?.issuer !== "embedded" || !auth.usersFile) throw new StartupError("admin bootstrap: the gateway's auth.issuer is not `embedded`; with an external IdP, give an admin the scope there");
  const resource = resourceOverride ?? manifest.gateway.resource;
  const server = await createEmbeddedAuthServer({
    issuer: new URL(resource).origin,
    resources: [{ resource, name: manifest.gateway.name, scopes: [...auth.scopesSupported, adminScope] }],
    privilegedScopes: [adminScope],
    tenantClaim: auth.tenantClaim,
    databasePath: resolve(process.env.TOOLGATE_AUTH_DB ?? ".toolgate/auth.sqlite"),
    users: readUsersFile(auth.usersFile),
    cookieKeys: [randomBytes(32).toString("base64url")],
  });
  try {
    const credential = await server.createMachineCredential({ owner: need(owner, "--owner"), name: name ?? "admin (bootstrap)", scopes: [adminScope] });
    process.stdout.write(`admin credential for ${credential.owner} (shown once; store the secret now):\n  TOOLGATE_ADMIN_CLIENT_ID=${credential.clientId}\n  TOOLGATE_ADMIN_CLIENT_SECRET=${credential.clientSecret}\n`);
    return 0;
  } catch (error) {
    throw new StartupError(`admin bootstrap: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await server.close();
  }
}
