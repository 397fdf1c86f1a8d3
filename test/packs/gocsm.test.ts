import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Gateway, GatewayOptions } from "../../runtime/index.ts";
import type { AuditRecord } from "../../runtime/audit/index.ts";
import { EXAMPLE_BACKEND_TOKEN, startExampleBackend, startExampleGateway } from "../support/example-gateway.ts";
import { postRaw } from "../support/mcp-client.ts";
import { MemoryOAuthProvider, signInAndConsent } from "../support/oauth-client.ts";

// The GoCSM pack (specs/tools/gocsm/, endpoints.gocsm in specs/gateway.yaml) against its seed,
// /work/shared/seeds/gocsm-mcp-connect.txt: one test per promise, each through the real MCP SDK
// client connected to /mcp/gocsm by its own OAuth flow (discovery, dynamic registration, PKCE,
// sign-in and consent). docs/packs/gocsm.md maps each promise to its spec lines and to these tests.
const generatedDir = fileURLToPath(new URL("../../generated/", import.meta.url));
const manifest = JSON.parse(readFileSync(new URL("manifest.json", `file://${generatedDir}`), "utf8")) as {
  gateway: { audit: { retentionDays: number } };
  tools: { name: string; source: string; scopes: string[] }[];
};
const alice = { username: "alice", password: "alice-dev-password" };
const gina = { username: "gina", password: "gina-dev-password" };

/** The seed's tool catalog, group by group (its "Tool Catalog" section), and the file holding each group. */
const catalog: Record<string, string[]> = {
  "discovery.yaml": ["list_tracked_accounts", "search_accounts", "get_account", "search_users", "get_user", "get_agency_overview"],
  "risk-triage.yaml": ["list_accounts_at_risk", "list_inactive_users", "list_failed_payments", "list_upcoming_renewals"],
  "adoption.yaml": ["get_feature_metrics", "list_feature_adoption_gaps", "list_feature_metric_movers"],
  "login-activity.yaml": ["get_login_activity"],
  "revenue.yaml": ["get_revenue_summary", "list_upsell_candidates"],
  "feedback.yaml": ["list_feedback_responses", "request_feedback"],
  "actions.yaml": ["list_workflows", "trigger_workflow", "set_account_priority", "set_user_key_status"],
};
const allTools = Object.values(catalog).flat().sort();
const actionTools = ["request_feedback", "set_account_priority", "set_user_key_status", "trigger_workflow"];

/** The seed's "OAuth Permissions" table: what each scope allows. */
const permissions: Record<string, string[]> = {
  "read:accounts": ["get_account", "get_agency_overview", "get_feature_metrics", "list_accounts_at_risk", "list_feature_adoption_gaps", "list_feature_metric_movers", "list_tracked_accounts", "list_workflows", "search_accounts"],
  "read:users": ["get_login_activity", "get_user", "list_inactive_users", "search_users"],
  "read:revenue": ["get_revenue_summary", "list_failed_payments", "list_upcoming_renewals", "list_upsell_candidates"],
  "read:feedback": ["list_feedback_responses"],
  "write:workflows": ["trigger_workflow"],
  "write:feedback": ["request_feedback"],
  "write:metadata": ["set_account_priority", "set_user_key_status"],
};
const scopes = Object.keys(permissions).sort();

interface Running {
  gateway: Gateway;
  origin: string;
  main: string;
  gocsm: string;
}

let backend: Awaited<ReturnType<typeof startExampleBackend>>;
let running: Running;
/** A second gateway whose per-agency limit is 3 calls a minute. */
let limited: Running;
const audit: AuditRecord[] = [];
const clients: Client[] = [];

async function startGateway(options: Partial<GatewayOptions> = {}): Promise<Running> {
  const { gateway, origin } = await startExampleGateway(backend, options);
  return { gateway, origin, main: `${origin}/mcp`, gocsm: `${origin}/mcp/gocsm` };
}

beforeAll(async () => {
  backend = await startExampleBackend();
  running = await startGateway({ audit: { append: async (record) => void audit.push(record) } });
  limited = await startGateway({ limits: { default: { callsPerMinute: 3 }, tenants: {}, apps: {}, onStoreError: "open" } });
});

afterAll(async () => {
  for (const client of clients) await client.close();
  await running?.gateway.close();
  await limited?.gateway.close();
  await backend?.close();
});

type Grant = (offered: Map<string, boolean>) => string[];
/** What a user leaves as it is on the consent page: the read scopes. */
const asOffered: Grant = (offered) => [...offered].filter(([, ticked]) => ticked).map(([scope]) => scope);
const everything: Grant = (offered) => [...offered.keys()];

/**
 * The seed's connection: the client knows only the server URL; a 401 sends it through discovery,
 * dynamic registration and PKCE to the browser, where the user signs in and approves scopes.
 */
async function connect(url: string, grant: Grant, user = alice) {
  const provider = new MemoryOAuthProvider();
  const transport = new StreamableHTTPClientTransport(new URL(url), { authProvider: provider });
  await expect(new Client({ name: "gocsm-pack", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  const { code, offered } = await signInAndConsent(provider.authorizationUrl!, user, grant);
  await transport.finishAuth(code);
  const client = new Client({ name: "gocsm-pack", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(url), { authProvider: provider }));
  clients.push(client);
  return { client, provider, offered };
}

type Result = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: any };
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as Result;
async function ok(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await call(client, name, args);
  expect(result.isError, `${name}: ${result.content[0]?.text}`).toBeFalsy();
  return result.structuredContent;
}
const names = async (client: Client) => (await client.listTools()).tools.map((tool) => tool.name).sort();

/** An acme account by exact name, found as the model would: search_accounts. */
async function accountNamed(client: Client, name: string): Promise<{ id: string; tracked: boolean }> {
  const found = await ok(client, "search_accounts", { q: name });
  const account = found.data.find((entry: { name: string }) => entry.name === name);
  expect(account, name).toBeDefined();
  return account;
}

let reader: Client;
let writer: Client;
beforeAll(async () => {
  reader = (await connect(running.gocsm, asOffered)).client;
  writer = (await connect(running.gocsm, everything)).client;
});

describe("What You Get", () => {
  it("exposes exactly its 22 tools, by name", async () => {
    expect(await names(writer)).toEqual(allTools);
    expect(allTools).toHaveLength(22);
  });

  it("its tool catalog's groups are the pack's files, one per category", () => {
    const inPack = manifest.tools.filter((tool) => tool.source.startsWith("specs/tools/gocsm/"));
    const byFile = Object.fromEntries(Object.keys(catalog).map((file) => [file, inPack.filter((tool) => tool.source.startsWith(`specs/tools/gocsm/${file}:`)).map((tool) => tool.name).sort()]));
    expect(byFile).toEqual(Object.fromEntries(Object.entries(catalog).map(([file, tools]) => [file, [...tools].sort()])));
  });

  it("its tools come in its five categories, which clients see in each tool's _meta", async () => {
    const categories: Record<string, readonly string[]> = {
      Discovery: ["list_tracked_accounts", "search_accounts", "get_account", "search_users", "get_user", "get_agency_overview"],
      "Risk & Triage": ["list_accounts_at_risk", "list_inactive_users", "list_failed_payments", "list_upcoming_renewals", "list_feedback_responses"],
      "Product Adoption": ["get_feature_metrics", "list_feature_adoption_gaps", "list_feature_metric_movers", "get_login_activity"],
      "Revenue & Expansion": ["get_revenue_summary", "list_upsell_candidates"],
      Actions: ["list_workflows", "trigger_workflow", "request_feedback", "set_account_priority", "set_user_key_status"],
    };
    const { client } = await connect(running.gocsm, everything);
    const { tools } = await client.listTools();
    const seen: Record<string, string[]> = {};
    for (const tool of tools) (seen[String(tool._meta?.["dev.toolgate/category"])] ??= []).push(tool.name);
    expect(Object.fromEntries(Object.entries(seen).map(([category, names]) => [category, names.sort()]))).toEqual(Object.fromEntries(Object.entries(categories).map(([category, names]) => [category, [...names].sort()])));
  });

  it("read-only by default: consent offers the read scopes ticked and the write scopes unticked, so a default grant lists no action tool", async () => {
    const { client, offered } = await connect(running.gocsm, asOffered);
    expect([...offered.keys()].sort()).toEqual(scopes);
    for (const [scope, ticked] of offered) expect(ticked, scope).toBe(scope.startsWith("read:"));
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual(allTools.filter((name) => !actionTools.includes(name)));
    expect(tools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
  });

  it("action tools only run with their write scope: without it a call is refused with the step-up challenge naming the scope", async () => {
    const { client, provider } = await connect(running.gocsm, asOffered);
    const response = await postRaw(running.gocsm, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "trigger_workflow", arguments: { workflow_id: "wf_renewal_reminder_30d", account_id: "cmp_x" } } }), { authorization: `Bearer ${provider.tokens()!.access_token}` });
    expect(response.status).toBe(403);
    expect(response.headers.get("www-authenticate")).toMatch(/error="insufficient_scope", error_description="trigger_workflow needs the scope write:workflows", scope="[^"]*\bwrite:workflows\b[^"]*"/);
    // The SDK client tries to step up on that 403; without a user at the browser the call still fails.
    await expect(client.callTool({ name: "set_account_priority", arguments: { account_id: "cmp_x", priority: "high" } })).rejects.toMatchObject({ code: 403 });
  });

  it("granting write:workflows at consent makes trigger_workflow (and only it of the action tools) available and working", async () => {
    const { client } = await connect(running.gocsm, (offered) => [...asOffered(offered), "write:workflows"]);
    const listed = await names(client);
    expect(listed).toContain("trigger_workflow");
    expect(listed.filter((name) => actionTools.includes(name))).toEqual(["trigger_workflow"]);
    const account = await accountNamed(client, "Crest Security");
    const run = await ok(client, "trigger_workflow", { workflow_id: "wf_qbr_scheduler", account_id: account.id });
    expect(run).toMatchObject({ workflow_id: "wf_qbr_scheduler", company_id: account.id, status: "queued" });
  });
});

describe("OAuth Permissions", () => {
  it("the endpoint's scopes_supported are GoCSM's seven scopes", async () => {
    const metadata = (await (await fetch(`${running.origin}/.well-known/oauth-protected-resource/mcp/gocsm`)).json()) as { scopes_supported: string[] };
    expect([...metadata.scopes_supported].sort()).toEqual(scopes);
  });

  it.each(scopes)("%s allows what the seed's permissions table says, and nothing else", async (scope) => {
    const { client } = await connect(running.gocsm, () => [scope]);
    expect(await names(client)).toEqual(permissions[scope]);
  });

  it("the permissions table covers every tool once", () => {
    expect(Object.values(permissions).flat().sort()).toEqual(allTools);
    for (const tool of manifest.tools.filter((entry) => allTools.includes(entry.name))) {
      expect(tool.scopes, tool.name).toEqual([Object.keys(permissions).find((scope) => permissions[scope]!.includes(tool.name))]);
    }
  });
});

describe("discovery (Any Other MCP Client)", () => {
  it("/.well-known/mcp.json describes the GoCSM endpoint: URL, streamable-http transport, OAuth and its scopes", async () => {
    const response = await fetch(`${running.origin}/.well-known/mcp.json`);
    expect(response.status).toBe(200);
    const card = (await response.json()) as { endpoints: { name: string; url: string; transport: { type: string }; authentication: { protectedResourceMetadata: string; scopes: string[] } }[] };
    const gocsm = card.endpoints.find((endpoint) => endpoint.name === "gocsm");
    expect(gocsm).toMatchObject({
      url: running.gocsm,
      transport: { type: "streamable-http" },
      authentication: { protectedResourceMetadata: `${running.origin}/.well-known/oauth-protected-resource/mcp/gocsm` },
    });
    expect([...gocsm!.authentication.scopes].sort()).toEqual(scopes);
  });

  it("/.well-known/oauth-authorization-server (RFC 8414) gives the manual configuration: authorize, token, register, revoke, PKCE S256", async () => {
    const response = await fetch(`${running.origin}/.well-known/oauth-authorization-server`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      issuer: running.origin,
      authorization_endpoint: `${running.origin}/authorize`,
      token_endpoint: `${running.origin}/token`,
      registration_endpoint: `${running.origin}/register`,
      revocation_endpoint: `${running.origin}/revoke`,
      code_challenge_methods_supported: ["S256"],
      grant_types_supported: expect.arrayContaining(["authorization_code", "refresh_token"]),
    });
  });

  it("/.well-known/oauth-protected-resource/mcp/gocsm (RFC 9728) names the GoCSM resource and its authorization server", async () => {
    const response = await fetch(`${running.origin}/.well-known/oauth-protected-resource/mcp/gocsm`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ resource: running.gocsm, authorization_servers: [running.origin], bearer_methods_supported: ["header"], resource_name: "GoCSM" });
  });

  it("the client registers itself (dynamic client registration, RFC 7591) and gets a token for the GoCSM resource only", async () => {
    const { provider } = await connect(running.gocsm, asOffered);
    expect((provider.clientInformation() as { client_id: string }).client_id).toMatch(/\S+/);
    const payload = JSON.parse(Buffer.from(provider.tokens()!.access_token.split(".")[1]!, "base64url").toString()) as { aud: string; org_id: string; sub: string };
    expect(payload).toMatchObject({ aud: running.gocsm, org_id: "acme", sub: "alice" });
  });
});

describe("Security & Data Handling", () => {
  it("an account outside the caller's tracked set answers 403 forbidden, saying it is not tracked", async () => {
    const untracked = await accountNamed(reader, "AcmeCo");
    expect(untracked.tracked).toBe(false);
    const result = await call(reader, "get_account", { account_id: untracked.id });
    expect(result.isError).toBe(true);
    expect(result.content[0]!.text).toContain("403 Forbidden");
    expect(result.content[0]!.text).toContain(`Account AcmeCo (${untracked.id}) is not in your tracked accounts`);
    const tracked = (await ok(reader, "list_tracked_accounts", { limit: 1 })).data[0];
    expect(await ok(reader, "get_account", { account_id: tracked.id })).toMatchObject({ id: tracked.id, tracked: true });
  });

  it("tenancy isolation: an acme token cannot read a globex account", async () => {
    const globex = (await (await fetch(`${backend.url}/tenants/globex/companies?tracked=true&limit=1`, { headers: { authorization: `Bearer ${EXAMPLE_BACKEND_TOKEN}` } })).json()) as { data: { id: string }[] };
    for (const id of [globex.data[0]!.id, `../../globex/companies/${globex.data[0]!.id}`]) {
      const result = await call(reader, "get_account", { account_id: id });
      expect(result.isError, id).toBe(true);
      expect(result.content[0]!.text, id).toContain("404 Not Found");
    }
    const { data } = await ok(reader, "list_tracked_accounts", { limit: 100 });
    expect(data.map((account: { id: string }) => account.id)).not.toContain(globex.data[0]!.id);
  });

  it("a token is for one endpoint: the main endpoint's token is refused by /mcp/gocsm", async () => {
    const { provider } = await connect(running.main, asOffered);
    const response = await postRaw(running.gocsm, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { authorization: `Bearer ${provider.tokens()!.access_token}` });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
    expect(response.headers.get("www-authenticate")).toContain(`resource_metadata="${running.origin}/.well-known/oauth-protected-resource/mcp/gocsm"`);
  });

  it("audit log: every tool call is recorded with timestamp, tool name, account_id and outcome (retained 90 days)", async () => {
    const tracked = (await ok(reader, "list_tracked_accounts", { limit: 1 })).data[0];
    const untracked = await accountNamed(reader, "AcmeCo");
    const before = audit.length;
    await ok(reader, "get_account", { account_id: tracked.id });
    await call(reader, "get_account", { account_id: untracked.id });
    await ok(reader, "get_agency_overview");
    const records = audit.slice(before);
    expect(records).toEqual([
      expect.objectContaining({ tool: "get_account", resourceIds: { account_id: tracked.id }, outcome: "ok", tenant: "acme", user: "alice" }),
      expect.objectContaining({ tool: "get_account", resourceIds: { account_id: untracked.id }, outcome: "backend_error", backendStatus: 403 }),
      expect.objectContaining({ tool: "get_agency_overview", resourceIds: {}, outcome: "ok" }),
    ]);
    for (const record of records) expect(Date.parse(record.time)).not.toBeNaN();
    expect(new Set(records.map((record) => record.endpoint))).toEqual(new Set(["gocsm"]));
    expect(manifest.gateway.audit.retentionDays).toBe(90);
  });

  it("rate limits: per agency, a client over the limit gets 429 with Retry-After; another agency is unaffected", async () => {
    const { client, provider } = await connect(limited.gocsm, asOffered);
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "get_agency_overview", arguments: {} } });
    const headers = { authorization: `Bearer ${provider.tokens()!.access_token}` };
    // A fixed one-minute window: keep calling until refused (a window may turn over once).
    let refused: Awaited<ReturnType<typeof postRaw>> | undefined;
    for (let attempt = 0; attempt < 8 && !refused; attempt++) {
      const response = await postRaw(limited.gocsm, body, headers);
      if (response.status === 429) refused = response;
      else expect(response.status).toBe(200);
    }
    expect(refused?.status).toBe(429);
    expect(Number(refused!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(Number(refused!.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    expect(refused!.json()).toMatchObject({ error: { data: { limit: "calls_per_minute", scope: "tenant", value: 3 } } });
    // The SDK client sees the same 429.
    let error: unknown;
    for (let attempt = 0; attempt < 8 && !error; attempt++) error = await client.callTool({ name: "get_agency_overview", arguments: {} }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).toMatchObject({ code: 429 });
    // Per agency: globex has its own allowance.
    const { client: globex } = await connect(limited.gocsm, asOffered, gina);
    expect((await ok(globex, "get_agency_overview")).tenant_id).toBe("globex");
  });

  it("token revocation via /revoke: revoking the client's refresh token cuts its access at once", async () => {
    const { client, provider } = await connect(running.gocsm, asOffered);
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    const revoked = await fetch(`${running.origin}/revoke`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: provider.tokens()!.refresh_token!, token_type_hint: "refresh_token", client_id: (provider.clientInformation() as { client_id: string }).client_id }),
    });
    expect(revoked.status).toBe(200);
    const response = await postRaw(running.gocsm, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { authorization: `Bearer ${provider.tokens()!.access_token}` });
    expect(response.status).toBe(401);
  });
});

describe("Example Conversations", () => {
  it("Pulse check: an agency health summary, then the three accounts most likely to churn", async () => {
    const overview = await ok(reader, "get_agency_overview");
    expect(overview).toMatchObject({ tenant_id: "acme", as_of: "2026-06-01" });
    expect(overview.companies.tracked).toBeGreaterThan(0);
    expect(overview.health_distribution.healthy + overview.health_distribution.watch + overview.health_distribution.at_risk).toBe(overview.companies.total - overview.companies.churned);
    expect(overview.revenue.mrr).toBeGreaterThan(0);
    const atRisk = await ok(reader, "list_accounts_at_risk", { limit: 3 });
    expect(atRisk.data).toHaveLength(3);
    const riskScores = atRisk.data.map((account: { risk_score: number }) => account.risk_score);
    expect(riskScores).toEqual([...riskScores].sort((a, b) => b - a));
    for (const account of atRisk.data) {
      expect(account.tracked, account.company_name).toBe(true);
      expect(account.signals.length, account.company_name).toBeGreaterThan(0);
    }
  });

  it("Outreach prep: renewals in the next 14 days in the Watch or At Risk band, sorted by MRR, each with its top risk signal", async () => {
    const renewals = await ok(reader, "list_upcoming_renewals", { within_days: 14, health_band: ["watch", "at_risk"], sort: "-mrr" });
    expect(renewals.data.length).toBeGreaterThan(1);
    const mrr = renewals.data.map((renewal: { mrr: number }) => renewal.mrr);
    expect(mrr).toEqual([...mrr].sort((a, b) => b - a));
    for (const renewal of renewals.data) {
      expect(["watch", "at_risk"], renewal.company_name).toContain(renewal.health_band);
      expect(renewal.days_until_renewal).toBeGreaterThanOrEqual(0);
      expect(renewal.days_until_renewal).toBeLessThanOrEqual(14);
    }
    // The top risk signal each renewal carries is the first of the account's ranked signals.
    const ranked = await ok(reader, "list_accounts_at_risk", { min_severity: "low", limit: 100 });
    const signalsOf = new Map<string, { code: string }[]>(ranked.data.map((account: { company_id: string; signals: { code: string }[] }) => [account.company_id, account.signals]));
    const trackedRenewals = renewals.data.filter((renewal: { tracked: boolean }) => renewal.tracked);
    expect(trackedRenewals.some((renewal: { top_risk_signal: unknown }) => renewal.top_risk_signal !== null)).toBe(true);
    for (const renewal of trackedRenewals) {
      expect(renewal.top_risk_signal, renewal.company_name).toEqual(signalsOf.get(renewal.company_id)?.[0] ?? null);
    }
  });

  it("Adoption coaching: the features with the biggest week-over-week drop across tracked accounts", async () => {
    const movers = await ok(reader, "list_feature_metric_movers");
    expect(movers.tracked_accounts).toBeGreaterThan(0);
    expect(movers.movers.length).toBeGreaterThan(0);
    const changes = movers.movers.map((mover: { change: number }) => mover.change);
    expect(changes.every((change: number) => change < 0)).toBe(true);
    expect(changes).toEqual([...changes].sort((a, b) => a - b));
    for (const mover of movers.movers) expect(mover.change).toBe(mover.events_this_week - mover.events_last_week);
    for (const feature of movers.features) {
      if (feature.events_last_week > 0) expect(feature.change_pct).toBeCloseTo(((feature.events_this_week - feature.events_last_week) / feature.events_last_week) * 100, 0);
    }
  });

  it("Action: list the workflows available for AcmeCo, then trigger 'Renewal Reminder — 30 day' on the account owner (requires write:workflows)", async () => {
    const acmeCo = await accountNamed(writer, "AcmeCo");
    const workflows = await ok(writer, "list_workflows", { active: true });
    const reminder = workflows.data.find((workflow: { name: string }) => workflow.name === "Renewal Reminder — 30 day");
    expect(reminder).toMatchObject({ active: true, requires_relationship: false });
    const before = audit.length;
    const run = await ok(writer, "trigger_workflow", { workflow_id: reminder.id, account_id: acmeCo.id });
    expect(run).toMatchObject({ workflow_id: reminder.id, workflow_name: "Renewal Reminder — 30 day", company_id: acmeCo.id, relationship_id: null, status: "queued" });
    expect(audit.slice(before)).toEqual([expect.objectContaining({ tool: "trigger_workflow", resourceIds: { account_id: acmeCo.id, workflow_id: reminder.id }, outcome: "ok" })]);
    const listed = await ok(writer, "list_workflows", { active: true });
    expect(listed.data.find((workflow: { id: string }) => workflow.id === reminder.id).last_run_at).toBe(run.triggered_at);
  });

  it("\"Show me the five accounts most at risk of churning\" is list_accounts_at_risk", async () => {
    const { data } = await ok(reader, "list_accounts_at_risk", { limit: 5 });
    expect(data).toHaveLength(5);
  });

  it("\"Upcoming renewals over $500/mo in the next 30 days, flag any in the Watch band\" is list_upcoming_renewals with filters", async () => {
    const { data } = await ok(reader, "list_upcoming_renewals", { within_days: 30, min_mrr: 500 });
    expect(data.length).toBeGreaterThan(0);
    for (const renewal of data) {
      expect(renewal.mrr).toBeGreaterThanOrEqual(500);
      expect(renewal.days_until_renewal).toBeLessThanOrEqual(30);
    }
    expect(data.some((renewal: { health_band: string }) => renewal.health_band === "watch")).toBe(true);
  });

  it("\"Who hasn't logged in to AcmeCo in 30 days?\" is search_accounts then list_inactive_users", async () => {
    const acmeCo = await accountNamed(reader, "AcmeCo");
    const inactive = await ok(reader, "list_inactive_users", { account_id: acmeCo.id, inactive_days: 30 });
    expect(inactive).toMatchObject({ company_id: acmeCo.id, inactive_days: 30 });
    expect(inactive.inactive_total).toBe(inactive.inactive_users.length);
    for (const user of inactive.inactive_users) {
      expect(user.company_id).toBe(acmeCo.id);
      if (user.days_since_login !== null) expect(user.days_since_login).toBeGreaterThanOrEqual(30);
    }
  });

  it("the write tools act: request_feedback, set_account_priority and set_user_key_status with their write scopes", async () => {
    const account = await accountNamed(writer, "Crest Security");
    const { data: users } = await ok(writer, "search_users", { account_id: account.id, status: "active", limit: 1 });
    const user = users[0];
    expect(await ok(writer, "set_account_priority", { account_id: account.id, priority: "critical" })).toMatchObject({ id: account.id, priority: "critical" });
    expect(await ok(writer, "set_user_key_status", { user_id: user.id, is_key_user: !user.is_key_user })).toMatchObject({ id: user.id, is_key_user: !user.is_key_user });
    expect(await ok(writer, "request_feedback", { account_id: account.id, user_id: user.id })).toMatchObject({ company_id: account.id, relationship_id: user.id, survey: "nps", status: "sent" });
  });
});
