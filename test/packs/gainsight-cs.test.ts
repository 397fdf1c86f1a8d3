import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Tool } from "@modelcontextprotocol/sdk/types.js";
import type { Gateway } from "../../runtime/index.ts";
import { startExampleBackend, startExampleGateway } from "../support/example-gateway.ts";
import { postRaw } from "../support/mcp-client.ts";
import { MemoryOAuthProvider, signInAndConsent } from "../support/oauth-client.ts";

// The Gainsight CS spec pack (specs/tools/gainsight-cs/, gateway.yaml endpoints.gainsight-cs):
// each promise of the seed FAQ (docs/packs/gainsight-cs.md), exercised through the real MCP SDK
// client, signed in through the SDK's own OAuth flow (PKCE) against the embedded authorization
// server, exactly as `npm start` serves it.
const alice = { username: "alice", password: "alice-dev-password" };
const now = new Date("2026-06-01T00:00:00Z");

let backend: Awaited<ReturnType<typeof startExampleBackend>>;
let gateway: Gateway;
let origin: string;
let packUrl: string;
const clients: Client[] = [];

/** Alice with every scope she was offered (write scopes ticked), and alice with the default (read-only) grant. */
let full: Client;
let fullProvider: MemoryOAuthProvider;
let readOnly: Client;
let readOnlyProvider: MemoryOAuthProvider;

type Grant = (offered: Map<string, boolean>) => string[];
const everyScope: Grant = (offered) => [...offered.keys()];
const defaultTicks: Grant = (offered) => [...offered].filter(([, ticked]) => ticked).map(([scope]) => scope);

beforeAll(async () => {
  backend = await startExampleBackend(now);
  ({ gateway, origin } = await startExampleGateway(backend));
  packUrl = `${origin}/mcp/gainsight-cs`;
  ({ provider: fullProvider } = await signIn(alice, everyScope));
  full = await connect(fullProvider);
  ({ provider: readOnlyProvider } = await signIn(alice, defaultTicks));
  readOnly = await connect(readOnlyProvider);
});

afterAll(async () => {
  for (const client of clients) await client.close().catch(() => undefined);
  await gateway?.close();
  await backend?.close();
});

/** The SDK's dance up to a token: 401 → discovery → registration → browser sign-in and consent → code exchange. */
async function signIn(user: { username: string; password: string }, grant: Grant, beforeConsent?: (provider: MemoryOAuthProvider) => Promise<void>) {
  const provider = new MemoryOAuthProvider();
  const transport = new StreamableHTTPClientTransport(new URL(packUrl), { authProvider: provider });
  await expect(new Client({ name: "gainsight-pack", version: "1.0.0" }).connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  await beforeConsent?.(provider);
  const { code, offered } = await signInAndConsent(provider.authorizationUrl!, user, grant);
  await transport.finishAuth(code);
  return { provider, offered };
}

async function connect(provider: MemoryOAuthProvider): Promise<Client> {
  const client = new Client({ name: "gainsight-pack", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(packUrl), { authProvider: provider }));
  clients.push(client);
  return client;
}

/** A token from an administrator-issued machine credential (client credentials) for the main endpoint's resource, where /admin lives. */
async function machineToken(owner: string, scopes: string[]): Promise<string> {
  const credential = await gateway.authorizationServer!.createMachineCredential({ owner, name: `${owner}'s console`, scopes });
  const response = await fetch(new URL("/token", origin), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: credential.clientId, client_secret: credential.clientSecret, resource: `${origin}/mcp` }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

const admin = async (path: string, token: string, init: RequestInit = {}) =>
  fetch(new URL(path, origin), { ...init, headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...(init.headers as Record<string, string> | undefined) } });

type Result = { isError?: boolean; content: { type: string; text: string }[]; structuredContent?: Record<string, unknown> };
/** Structured results, read loosely in assertions. */
type Json = any;
const call = async (client: Client, name: string, args: Record<string, unknown> = {}) => (await client.callTool({ name, arguments: args })) as Result;
/** A call that must succeed; its structured result. */
async function read(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Json> {
  const result = await call(client, name, args);
  expect(result.isError, `${name}: ${result.content[0]?.text}`).toBeFalsy();
  return result.structuredContent;
}
const names = (tools: readonly Tool[]) => tools.map((tool) => tool.name).sort();
const listTools = async (client: Client) => (await client.listTools()).tools;

/** A value of a custom field's type, as list_activity_types defines it. */
function sampleValue(field: { type: string; options: string[] | null }): unknown {
  switch (field.type) {
    case "picklist": return field.options![field.options!.length - 1];
    case "integer": return 4;
    case "number": return 2.5;
    case "boolean": return true;
    case "date": return "2026-05-28";
    default: return "Agreed next steps with the sponsor";
  }
}

const PACK_TOOLS = [
  "create_cta", "create_success_plan", "get_account_brief", "get_company", "get_company_scorecard", "get_contact", "get_cta",
  "gs_find_users", "gs_get_cta_with_timeline", "gs_get_success_plan", "gs_get_task", "gs_get_timeline_entry", "gs_list_cockpit", "gs_list_tasks",
  "gs_log_company_timeline_entry", "gs_log_cta_timeline_entry", "gs_log_relationship_timeline_entry", "gs_log_success_plan_timeline_entry",
  "gs_query_companies", "gs_query_ctas", "gs_query_relationships", "gs_query_success_plans", "gs_query_tasks", "gs_query_timeline",
  "gs_update_success_plan", "gs_update_timeline_entry", "list_activity_types", "list_companies", "list_cta_types", "list_ctas",
  "list_success_plan_templates", "list_success_plans", "list_timeline_activities", "meta_get_object_metadata", "meta_get_picklist", "meta_list_objects",
  "search_contacts", "update_cta",
];
const WRITE_TOOLS = [
  "create_cta", "create_success_plan", "gs_log_company_timeline_entry", "gs_log_cta_timeline_entry", "gs_log_relationship_timeline_entry",
  "gs_log_success_plan_timeline_entry", "gs_update_success_plan", "gs_update_timeline_entry", "update_cta",
];
const TIMELINE_TOOLS = [
  "gs_get_timeline_entry", "gs_log_company_timeline_entry", "gs_log_cta_timeline_entry", "gs_log_relationship_timeline_entry",
  "gs_log_success_plan_timeline_entry", "gs_query_timeline", "gs_update_timeline_entry", "list_activity_types", "list_timeline_activities",
];

describe("Gainsight CS pack: setup and authentication", () => {
  it("OAuth 2.0 with PKCE at the user level: the SDK finds the pack's own resource, signs the user in and gets a token for it", async () => {
    const metadata = (await (await fetch(new URL("/.well-known/oauth-protected-resource/mcp/gainsight-cs", origin))).json()) as { resource: string; authorization_servers: string[]; scopes_supported: string[] };
    expect(metadata.resource).toBe(packUrl);
    expect(metadata.authorization_servers).toEqual([origin]);
    expect(metadata.scopes_supported).toEqual(["read:companies", "read:contacts", "read:ctas", "read:metadata", "read:success_plans", "read:tasks", "read:timeline", "read:users", "write:ctas", "write:success_plans", "write:timeline"]);
    const { provider, offered } = await signIn({ username: "bob", password: "bob-dev-password" }, defaultTicks);
    expect(provider.authorizationUrl!.searchParams.get("code_challenge_method")).toBe("S256");
    expect(provider.authorizationUrl!.searchParams.get("resource")).toBe(packUrl);
    expect([...offered.keys()].sort()).toEqual(metadata.scopes_supported);
    const claims = decodeJwt(provider.tokens()!.access_token);
    expect(claims).toMatchObject({ aud: packUrl, sub: "bob", org_id: "acme", email: "bob@acme.example" });
    // Each end user signs in with their own credentials: the token is bob's, not a shared one.
    expect((await connect(provider)).getServerVersion()?.name).toBe("toolgate-example");
    // A token for another endpoint of the gateway (another audience) is refused here.
    const mainToken = await machineToken("bob", ["read:companies"]);
    expect((await postRaw(packUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { authorization: `Bearer ${mainToken}` })).status).toBe(401);
  });

  it("sits beside the gateway's other endpoints, so one client can use it with other MCP servers: the server card lists it", async () => {
    const card = (await (await fetch(new URL("/.well-known/mcp.json", origin))).json()) as { endpoints: { name: string; url: string; capabilities: Record<string, unknown>; authentication: { protectedResourceMetadata: string } }[] };
    const pack = card.endpoints.find((endpoint) => endpoint.name === "gainsight-cs")!;
    expect(pack).toMatchObject({ url: packUrl, authentication: { protectedResourceMetadata: `${origin}/.well-known/oauth-protected-resource/mcp/gainsight-cs` } });
    expect(Object.keys(pack.capabilities).sort()).toEqual(["prompts", "tools"]);
  });

  it("serves the pack's tools at /mcp/gainsight-cs: the main tools its toolset names and the pack's own files, nothing else", async () => {
    expect(names(await listTools(full))).toEqual(PACK_TOOLS);
    expect(full.getInstructions()).toContain("One record per call; nothing can be deleted; tasks are read-only.");
  });
});

describe("Gainsight CS pack: flexible querying", () => {
  it("queries companies with filters, sorting and aggregation", async () => {
    const atRisk = await read(full, "list_companies", { health_band: "at_risk", sort: "-arr", limit: 10 });
    expect(atRisk.data.length).toBeGreaterThan(1);
    expect(atRisk.data.every((company: Json) => company.health_band === "at_risk")).toBe(true);
    const arrs = atRisk.data.map((company: Json) => company.arr);
    expect(arrs).toEqual([...arrs].sort((a, b) => b - a));
    // The seed's business rule ("ARR over $500K and a health score below 50"), at the sample data's scale.
    const highRisk = await read(full, "gs_query_companies", {
      fields: ["id", "name", "arr", "health_score"],
      filters: [{ field: "arr", op: "gt", value: 100_000 }, { field: "health_score", op: "lt", value: 50 }],
      sort: [{ field: "health_score", direction: "asc" }], limit: 100,
    });
    expect(highRisk.data.length).toBeGreaterThan(0);
    expect(highRisk.data.every((row: Json) => row.arr > 100_000 && row.health_score < 50)).toBe(true);
    const scores = highRisk.data.map((row: Json) => row.health_score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    const byBand = await read(full, "gs_query_companies", { aggregate: { group_by: ["health_band"], metrics: [{ fn: "count" }, { fn: "sum", field: "arr" }] }, sort: [{ field: "count", direction: "desc" }] });
    expect(byBand.data.map((row: Json) => row.health_band).sort()).toEqual(["at_risk", "healthy", "watch"]);
    expect(byBand.data.reduce((sum: number, row: Json) => sum + row.count, 0)).toBe(220);
    expect(byBand.data[0]).toHaveProperty("sum_arr");
  });

  it("queries relationships with filters, sorting and aggregation", async () => {
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const keyUsers = await read(full, "search_contacts", { company_id: company.id, is_key_user: true, sort: "-last_login_at" });
    expect(keyUsers.data.length).toBeGreaterThan(0);
    expect(keyUsers.data.every((person: Json) => person.company_id === company.id && person.is_key_user)).toBe(true);
    const byRole = await read(full, "gs_query_relationships", { filters: [{ field: "company_id", op: "eq", value: company.id }], aggregate: { group_by: ["role"], metrics: [{ fn: "count" }] } });
    expect(byRole.data.reduce((sum: number, row: Json) => sum + row.count, 0)).toBe((await read(full, "search_contacts", { company_id: company.id, limit: 1 })).total);
  });

  it("searches company and relationship data across the instance", async () => {
    const companies = await read(full, "list_companies", { q: "acme", limit: 10 });
    expect(companies.data.map((company: Json) => company.name)).toEqual(expect.arrayContaining(["AcmeCo", "Acme Corp"]));
    const [person] = (await read(full, "search_contacts", { limit: 1 })).data;
    const found = await read(full, "search_contacts", { q: person.email });
    expect(found.data.map((match: Json) => match.id)).toContain(person.id);
    expect(await read(full, "get_contact", { contact_id: person.id })).toMatchObject({ id: person.id, email: person.email });
  });

  it("queries across objects: the timeline with CTAs", async () => {
    const onCtas = await read(full, "gs_query_timeline", { filters: [{ field: "context_type", op: "eq", value: "cta" }], sort: [{ field: "activity_date", direction: "desc" }], limit: 5 });
    expect(onCtas.data.length).toBeGreaterThan(0);
    const ctaId = onCtas.data[0].cta_id as string;
    const result = await call(full, "gs_get_cta_with_timeline", { cta_id: ctaId });
    expect(result.isError).toBeFalsy();
    const joined = result.structuredContent as Json;
    expect(joined.cta.id).toBe(ctaId);
    expect(joined.timeline.data.length).toBeGreaterThan(0);
    expect(joined.timeline.data.every((entry: Json) => entry.cta_id === ctaId)).toBe(true);
    expect(joined.tasks.data.every((task: Json) => task.cta_id === ctaId)).toBe(true);
    expect(joined.errors).toEqual([]);
    expect(result.content[0]!.text).toContain(`CTA ${joined.cta.name} (${ctaId})`);
    // The same join over a portfolio: timeline entries of every open risk CTA, counted per CTA.
    const risks = await read(full, "list_ctas", { type_id: "risk", status: "open", limit: 100 });
    const perCta = await read(full, "gs_query_timeline", { filters: [{ field: "cta_id", op: "in", value: risks.data.map((cta: Json) => cta.id) }], aggregate: { group_by: ["cta_id"], metrics: [{ fn: "count" }] } });
    expect(perCta.data.every((row: Json) => risks.data.some((cta: Json) => cta.id === row.cta_id))).toBe(true);
  });
});

describe("Gainsight CS pack: reads", () => {
  it("reads CTAs", async () => {
    const open = await read(full, "list_ctas", { status: "open", sort: "-priority", limit: 5 });
    expect(open.data.every((cta: Json) => cta.status === "open")).toBe(true);
    expect(await read(full, "get_cta", { cta_id: open.data[0].id })).toMatchObject({ id: open.data[0].id, status: "open" });
  });

  it("reads the cockpit: a CSM's open CTAs across accounts", async () => {
    const csms = await read(full, "gs_find_users", { role: "csm", active: true });
    const withCtas = [];
    for (const csm of csms.data) {
      const cockpit = await read(full, "gs_list_cockpit", { owner_id: csm.id });
      if (cockpit.total > 0) withCtas.push({ csm, cockpit });
    }
    expect(withCtas.length).toBeGreaterThan(0);
    const { csm, cockpit } = withCtas[0]!;
    expect(cockpit.data.every((cta: Json) => cta.owner_id === csm.id && cta.status === "open")).toBe(true);
    const dues = cockpit.data.map((cta: Json) => cta.due_date);
    expect(dues).toEqual([...dues].sort());
    expect((await call(full, "gs_list_cockpit", { owner_id: csm.id })).content[0]!.text).toContain(`${cockpit.total} CTAs in this cockpit`);
  });

  it("reads tasks, which are read-only", async () => {
    const tasks = await read(full, "gs_list_tasks", { status: "open", limit: 5 });
    expect(tasks.data.length).toBeGreaterThan(0);
    const byStatus = await read(full, "gs_query_tasks", { aggregate: { group_by: ["status"], metrics: [{ fn: "count" }] } });
    expect(byStatus.data.find((row: Json) => row.status === "open").count).toBe(tasks.total);
    expect(await read(full, "gs_get_task", { task_id: tasks.data[0].id })).toMatchObject({ id: tasks.data[0].id });
    const taskTools = (await listTools(full)).filter((tool) => /task/.test(tool.name));
    expect(taskTools.map((tool) => tool.name).sort()).toEqual(["gs_get_task", "gs_list_tasks", "gs_query_tasks"]);
    expect(taskTools.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
  });

  it("reads success plans", async () => {
    const plans = await read(full, "list_success_plans", { status: "active", limit: 5 });
    expect(plans.data.length).toBeGreaterThan(0);
    const plan = await read(full, "gs_get_success_plan", { success_plan_id: plans.data[0].id });
    expect(plan).toMatchObject({ id: plans.data[0].id, status: "active" });
    expect(plan.objectives.length).toBeGreaterThan(0);
  });

  it("reads scorecards", async () => {
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const scorecard = await read(full, "get_company_scorecard", { company_id: company.id });
    expect(scorecard).toMatchObject({ company_id: company.id });
    expect(scorecard.measures.map((measure: Json) => measure.id)).toEqual(["product_usage", "engagement", "support", "nps", "financial"]);
  });

  it("reads timeline entries", async () => {
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const timeline = await read(full, "list_timeline_activities", { company_id: company.id, since: "2026-01-01", limit: 5 });
    expect(timeline.data.length).toBeGreaterThan(0);
    const dates = timeline.data.map((entry: Json) => entry.activity_date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(await read(full, "gs_get_timeline_entry", { activity_id: timeline.data[0].id })).toMatchObject({ id: timeline.data[0].id, company_id: company.id });
  });
});

describe("Gainsight CS pack: create and update", () => {
  it("creates and updates a CTA", async () => {
    const [company] = (await read(full, "list_companies", { q: "Acme Corp", limit: 1 })).data;
    const created = await read(full, "create_cta", { company_id: company.id, name: "Post-incident follow-up", type_id: "pir", reason_id: "outage", comments: "Outage on May 30; walk the sponsor through the RCA.", due_date: "2026-06-10" });
    expect(created).toMatchObject({ company_id: company.id, type_id: "pir", status_id: "new", priority: "critical", source: "api" });
    const updated = await read(full, "update_cta", { cta_id: created.id, status_id: "work_in_progress", priority: "high", comments: "RCA call booked." });
    expect(updated).toMatchObject({ id: created.id, status_id: "work_in_progress", priority: "high", comments: "RCA call booked." });
    expect(await read(full, "get_cta", { cta_id: created.id })).toMatchObject({ status_id: "work_in_progress" });
  });

  it("creates a success plan from a template, and updates it", async () => {
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const template = (await read(full, "list_success_plan_templates")).data.find((entry: Json) => entry.id === "renewal_readiness");
    const plan = await read(full, "create_success_plan", { company_id: company.id, name: "FY27 renewal readiness", template_id: template.id, start_date: "2026-06-01" });
    expect(plan).toMatchObject({ company_id: company.id, template_id: "renewal_readiness", plan_type: "renewal", status: "active" });
    expect(plan.objectives.map((objective: Json) => objective.name)).toEqual(template.objectives.map((objective: Json) => objective.name));
    expect(plan.task_count).toBe(template.objectives.reduce((sum: number, objective: Json) => sum + objective.tasks.length, 0));
    const updated = await read(full, "gs_update_success_plan", { success_plan_id: plan.id, description: "Drafted by the assistant from the account brief.", due_date: "2026-08-15" });
    expect(updated).toMatchObject({ id: plan.id, description: "Drafted by the assistant from the account brief.", due_date: "2026-08-15" });
  });

  it("logs timeline entries at the company, relationship, CTA and success plan level with every custom field of the activity type, and updates one", async () => {
    const types = (await read(full, "list_activity_types")).data as { id: string; custom_fields: { name: string; type: string; options: string[] | null; required: boolean }[] }[];
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const [person] = (await read(full, "search_contacts", { company_id: company.id, limit: 1 })).data;
    const [cta] = (await read(full, "list_ctas", { status: "open", limit: 1 })).data;
    const [plan] = (await read(full, "list_success_plans", { status: "active", limit: 1 })).data;
    const levels = [
      { tool: "gs_log_company_timeline_entry", context: { company_id: company.id }, level: "company", type: "meeting", companyId: company.id },
      { tool: "gs_log_relationship_timeline_entry", context: { relationship_id: person.id }, level: "relationship", type: "call", companyId: person.company_id },
      { tool: "gs_log_cta_timeline_entry", context: { cta_id: cta.id }, level: "cta", type: "escalation", companyId: cta.company_id },
      { tool: "gs_log_success_plan_timeline_entry", context: { success_plan_id: plan.id }, level: "success_plan", type: "milestone", companyId: plan.company_id },
    ];
    const logged: Json[] = [];
    for (const { tool, context, level, type, companyId } of levels) {
      const definition = types.find((entry) => entry.id === type)!;
      const customFields = Object.fromEntries(definition.custom_fields.map((field) => [field.name, sampleValue(field)]));
      expect(Object.keys(customFields).length, type).toBeGreaterThan(1);
      const entry = await read(full, tool, { ...context, type_id: type, subject: `Logged on the ${level}`, notes: "From the assistant.", custom_fields: customFields });
      expect(entry, tool).toMatchObject({ ...context, context_type: level, type_id: type, custom_fields: customFields, company_id: companyId });
      logged.push(entry);
    }
    const meeting = logged[0];
    const updated = await read(full, "gs_update_timeline_entry", { activity_id: meeting.id, subject: "QBR with the sponsor", custom_fields: { next_steps: "Send the value summary", attendees_count: 6 } });
    expect(updated.custom_fields).toEqual({ ...meeting.custom_fields, next_steps: "Send the value summary", attendees_count: 6 });
    expect(await read(full, "gs_get_timeline_entry", { activity_id: meeting.id })).toMatchObject({ subject: "QBR with the sponsor", context_type: "company" });
  });
});

describe("Gainsight CS pack: read-only configuration inspection", () => {
  it("inspects field schemas, picklist values, CTA type dependencies, success plan templates and activity types, read-only", async () => {
    const objects = await read(full, "meta_list_objects");
    expect(objects.data.map((object: Json) => object.name)).toEqual(expect.arrayContaining(["companies", "relationships", "ctas", "tasks", "success_plans", "timeline"]));
    const ctaFields = await read(full, "meta_get_object_metadata", { objectName: "ctas" });
    expect(ctaFields.fields.filter((field: Json) => field.required).map((field: Json) => field.name)).toEqual(["company_id", "name", "type_id", "due_date"]);
    const statuses = await read(full, "meta_get_picklist", { picklistName: "cta_status" });
    expect(statuses.values.map((value: Json) => value.value)).toContain("closed_lost");
    const pir = (await read(full, "list_cta_types")).data.find((type: Json) => type.id === "pir");
    expect(pir.required_fields).toEqual(["reason_id", "comments"]);
    expect(Array.isArray(pir.dependencies)).toBe(true);
    expect(pir.statuses.map((status: Json) => status.id)).toEqual(["new", "work_in_progress", "closed_success"]);
    expect((await read(full, "list_success_plan_templates")).data.every((template: Json) => template.objectives.length > 0)).toBe(true);
    const meeting = (await read(full, "list_activity_types")).data.find((type: Json) => type.id === "meeting");
    expect(meeting.custom_fields.map((field: Json) => field.name)).toEqual(["meeting_type", "attendees_count", "next_steps"]);
    const tools = await listTools(full);
    for (const name of ["meta_list_objects", "meta_get_object_metadata", "meta_get_picklist", "list_cta_types", "list_success_plan_templates", "list_activity_types"]) {
      expect(tools.find((tool) => tool.name === name)?.annotations?.readOnlyHint, name).toBe(true);
    }
  });
});

describe("Gainsight CS pack: what it cannot do", () => {
  it("no delete tool exists: no tool deletes, and the destructive ones are updates", async () => {
    const tools = await listTools(full);
    for (const tool of tools) {
      expect(`${tool.name} ${tool.title ?? ""}`, tool.name).not.toMatch(/delete|remove|purge|destroy|archive/i);
      expect(tool.description ?? "", tool.name).not.toMatch(/\b(delete|deletes|remove|removes|purge|destroy)\b/i);
    }
    const destructive = tools.filter((tool) => tool.annotations?.destructiveHint === true).map((tool) => tool.name).sort();
    expect(destructive).toEqual(["gs_update_success_plan", "gs_update_timeline_entry", "update_cta"]);
  });

  it("one record per call: no write tool takes a list of records", async () => {
    const writes = (await listTools(full)).filter((tool) => tool.annotations?.readOnlyHint !== true);
    expect(names(writes)).toEqual(WRITE_TOOLS);
    for (const tool of writes) {
      const properties = Object.entries((tool.inputSchema.properties ?? {}) as Record<string, { type?: unknown }>);
      const lists = properties.filter(([, schema]) => schema.type === "array" || (Array.isArray(schema.type) && schema.type.includes("array")));
      expect(lists, tool.name).toEqual([]);
    }
    // Updates name exactly one record, by a required id.
    for (const tool of writes.filter((candidate) => candidate.name.includes("update"))) {
      expect(tool.inputSchema.required?.filter((name) => name.endsWith("_id")), tool.name).toHaveLength(1);
    }
  });

  it("a missing mandatory field is refused with an error that names it", async () => {
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const noComments = await call(full, "create_cta", { company_id: company.id, name: "PIR", type_id: "pir", reason_id: "outage", due_date: "2026-06-10" });
    expect(noComments.isError).toBe(true);
    expect(noComments.content[0]!.text).toContain("field 'comments' is required for CTA type 'pir'");
    const noDueDate = await call(full, "create_cta", { company_id: company.id, name: "Expansion", type_id: "expansion" });
    expect(noDueDate.isError).toBe(true);
    expect(noDueDate.content[0]!.text).toContain("due_date");
    const noMeetingType = await call(full, "gs_log_company_timeline_entry", { company_id: company.id, type_id: "meeting", subject: "Kickoff", custom_fields: { attendees_count: 3 } });
    expect(noMeetingType.isError).toBe(true);
    expect(noMeetingType.content[0]!.text).toContain("custom_fields.meeting_type");
    const noContext = await call(full, "gs_log_cta_timeline_entry", { type_id: "update", subject: "Note" });
    expect(noContext.isError).toBe(true);
    // The tool requires its context (input.require), so the gateway refuses it before the backend sees it.
    expect(noContext.content[0]!.text).toMatch(/Invalid arguments for tool gs_log_cta_timeline_entry:\n- .*cta_id/);
  });
});

describe("Gainsight CS pack: permissions", () => {
  it("a read-only grant gets 403 insufficient_scope on every write tool, although the user may write", async () => {
    const visible = await listTools(readOnly);
    expect(visible.length).toBeGreaterThan(15);
    expect(visible.every((tool) => tool.annotations?.readOnlyHint === true)).toBe(true);
    const writes = (await listTools(full)).filter((tool) => tool.annotations?.readOnlyHint !== true).map((tool) => tool.name);
    expect(writes.sort()).toEqual(WRITE_TOOLS);
    const token = readOnlyProvider.tokens()!.access_token;
    for (const name of writes) {
      const response = await postRaw(packUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name, arguments: {} } }), { authorization: `Bearer ${token}` });
      expect(response.status, name).toBe(403);
      expect(response.headers.get("www-authenticate"), name).toMatch(/error="insufficient_scope"/);
      expect(response.headers.get("www-authenticate"), name).toMatch(/scope="[^"]*\bwrite:/);
    }
    // The SDK client surfaces it as an error (it tries to step up, and can only refresh).
    await expect(readOnly.callTool({ name: "create_cta", arguments: {} })).rejects.toMatchObject({ code: 403 });
  });

  it("per-tool scoping per OAuth app: a timeline-only app reaches the timeline tools and nothing else", async () => {
    const adminToken = await machineToken("alice", ["toolgate:admin"]);
    const apps = (await (await admin("/admin/apps", adminToken)).json()) as { apps: { client_id: string; source: string; rules: Json; tools: string[] }[] };
    const timelineOnly = apps.apps.find((app) => app.client_id === "timeline-only")!;
    expect(timelineOnly).toMatchObject({ source: "spec" });
    expect([...timelineOnly.tools].sort()).toEqual(TIMELINE_TOOLS);
    // An OAuth app the admin scopes the same way: the MCP client registers, the admin gives its
    // client_id the timeline-only rules, then the user signs in through it with every scope.
    const { provider } = await signIn(alice, everyScope, async (registered) => {
      const clientId = (registered.clientInformation() as { client_id: string }).client_id;
      const set = await admin(`/admin/apps/${encodeURIComponent(clientId)}`, adminToken, { method: "PUT", body: JSON.stringify({ name: "Timeline-only assistant", tools: timelineOnly.rules.tools }) });
      expect(set.status).toBe(200);
    });
    const client = await connect(provider);
    expect(names(await listTools(client))).toEqual(TIMELINE_TOOLS);
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    expect((await read(client, "list_timeline_activities", { company_id: company.id, limit: 1 })).data).toHaveLength(1);
    // The same user, through the default app, still has the CTA tools; through this one they do not exist.
    expect(names(await listTools(full))).toContain("create_cta");
    await expect(client.callTool({ name: "create_cta", arguments: { company_id: company.id, name: "x", type_id: "expansion", due_date: "2026-07-01" } })).rejects.toMatchObject({ code: -32602 });
  });

  it("limits MCP to a pilot group: a user outside it is refused", async () => {
    const { provider } = await signIn({ username: "nora", password: "nora-dev-password" }, everyScope);
    expect(decodeJwt(provider.tokens()!.access_token).groups).toEqual(["cs-team"]);
    const response = await postRaw(packUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { authorization: `Bearer ${provider.tokens()!.access_token}` });
    expect(response.status).toBe(403);
    expect(response.text).toContain("MCP access is limited to pilot groups");
    expect(response.headers.get("www-authenticate") ?? "").not.toContain("insufficient_scope");
    await expect(connect(provider)).rejects.toThrow();
  });

  it("blocks personal email domains", async () => {
    const { provider } = await signIn({ username: "pat", password: "pat-dev-password" }, everyScope);
    expect(decodeJwt(provider.tokens()!.access_token).email).toBe("pat.acme@gmail.com");
    const response = await postRaw(packUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }), { authorization: `Bearer ${provider.tokens()!.access_token}` });
    expect(response.status).toBe(403);
    expect(response.text).toContain("accounts at gmail.com may not use this server");
    await expect(connect(provider)).rejects.toThrow();
  });
});

describe("Gainsight CS pack: account briefs", () => {
  it("builds an account brief in one call: company, open CTAs, recent timeline and scorecard", async () => {
    const [company] = (await read(full, "list_companies", { q: "AcmeCo", limit: 1 })).data;
    const result = await call(full, "get_account_brief", { company_id: company.id, recent_activities: 5 });
    expect(result.isError).toBeFalsy();
    const brief = result.structuredContent as Json;
    expect(Object.keys(brief).sort()).toEqual(["company", "errors", "open_ctas", "scorecard", "timeline"]);
    expect(brief.company).toMatchObject({ id: company.id, name: "AcmeCo" });
    expect(brief.open_ctas.data.every((cta: Json) => cta.company_id === company.id && cta.status === "open")).toBe(true);
    expect(brief.timeline.data.length).toBeLessThanOrEqual(5);
    expect(brief.timeline.data.every((entry: Json) => entry.company_id === company.id)).toBe(true);
    expect(brief.scorecard.company_id).toBe(company.id);
    expect(brief.errors).toEqual([]);
    const text = result.content[0]!.text;
    expect(text).toContain(`Account brief: AcmeCo (${company.id})`);
    expect(text).toContain(`Open CTAs (${brief.open_ctas.total}):`);
    expect(text).toContain(`Scorecard: ${brief.scorecard.overall_score}`);
    const tool = (await listTools(full)).find((candidate) => candidate.name === "get_account_brief")!;
    expect(tool.annotations?.readOnlyHint).toBe(true);
  });

  it("hides the account brief from a caller who lacks one of its steps' scopes", async () => {
    const { provider } = await signIn(alice, (offered) => defaultTicks(offered).filter((scope) => scope !== "read:timeline"));
    const client = await connect(provider);
    const visible = names(await listTools(client));
    expect(visible).toContain("get_company");
    expect(visible).toContain("list_ctas");
    expect(visible).not.toContain("list_timeline_activities");
    expect(visible).not.toContain("get_account_brief");
    // Queries need the scope of the object they read: CTAs yes, the timeline not.
    expect(visible).toContain("gs_query_ctas");
    expect(visible).not.toContain("gs_query_timeline");
    // Prompts that use it go with it.
    expect((await client.listPrompts()).prompts).toEqual([]);
  });

  it("the admin's effective-tools report agrees with tools/list on the account brief (regression: it listed a composite whose steps the app may not call)", async () => {
    const adminToken = await machineToken("alice", ["toolgate:admin"]);
    let clientId = "";
    const { provider } = await signIn(alice, everyScope, async (registered) => {
      clientId = (registered.clientInformation() as { client_id: string }).client_id;
      expect((await admin(`/admin/apps/${encodeURIComponent(clientId)}`, adminToken, { method: "PUT", body: JSON.stringify({ name: "get_* only", tools: ["get_*"] }) })).status).toBe(200);
    });
    const listed = names(await listTools(await connect(provider)));
    expect(listed).toEqual(["get_company", "get_company_scorecard", "get_contact", "get_cta"]);
    const scopes = String(decodeJwt(provider.tokens()!.access_token).scope).split(" ").join(",");
    const report = (await (await admin(`/admin/effective-tools?client=${encodeURIComponent(clientId)}&tenant=acme&scopes=${scopes}&groups=mcp-pilot`, adminToken)).json()) as { tools: string[] };
    expect(report.tools.filter((name) => PACK_TOOLS.includes(name))).toEqual(listed);
  });
});

describe("Gainsight CS pack: prompts", () => {
  it("lists the three prompts with their arguments", async () => {
    const { prompts } = await full.listPrompts();
    expect(prompts.map((prompt) => prompt.name)).toEqual(["account_handoff_30_day_focus", "meeting_prep_brief", "renewal_outreach_prep"]);
    const byName = Object.fromEntries(prompts.map((prompt) => [prompt.name, prompt]));
    expect(byName.meeting_prep_brief!.title).toBe("Meeting prep brief");
    expect(byName.meeting_prep_brief!.arguments?.map(({ name, required }) => ({ name, required }))).toEqual([
      { name: "account_name", required: true }, { name: "meeting_date", required: false }, { name: "lookback_days", required: false },
    ]);
    expect(byName.account_handoff_30_day_focus!.arguments?.map((argument) => argument.name)).toEqual(["account_name", "previous_owner", "start_date", "focus"]);
    expect(byName.renewal_outreach_prep!.arguments?.map((argument) => argument.name)).toEqual(["account_name", "renewal_date", "channel", "include_expansion"]);
    // Read tools are all they use, so a read-only grant lists them too.
    expect((await readOnly.listPrompts()).prompts).toHaveLength(3);
  });

  it("renders each prompt with its arguments", async () => {
    const text = async (name: string, args: Record<string, string>) => {
      const { messages } = await full.getPrompt({ name, arguments: args });
      expect(messages).toHaveLength(1);
      expect(messages[0]!.role).toBe("user");
      return (messages[0]!.content as { text: string }).text;
    };
    const meeting = await text("meeting_prep_brief", { account_name: "AcmeCo" });
    expect(meeting).toContain("I have a meeting with AcmeCo tomorrow. Query Gainsight for recent activities and PIR CTAs. Create a meeting prep brief with: Top 3 things to know going in, potential landmines to avoid, and suggested talking points.");
    expect(meeting).toContain("the last 90 days");
    const dated = await text("meeting_prep_brief", { account_name: "AcmeCo", meeting_date: "2026-06-03", lookback_days: "30" });
    expect(dated).toContain("I have a meeting with AcmeCo on 2026-06-03.");
    expect(dated).toContain("the last 30 days");
    const handoff = await text("account_handoff_30_day_focus", { account_name: "Acme Corp", previous_owner: "Bob", focus: "adoption" });
    expect(handoff).toContain("I am taking over the account Acme Corp from Bob. Give me my 30-day focus.");
    expect(handoff).toContain("with the emphasis on adoption");
    const renewal = await text("renewal_outreach_prep", { account_name: "AcmeCo", renewal_date: "2026-09-30", channel: "call", include_expansion: "true" });
    expect(renewal).toContain("Prepare my renewal outreach for AcmeCo, renewing on 2026-09-30.");
    expect(renewal).toContain("a draft call to open the renewal conversation. Look for an expansion angle too");
    const noExpansion = await text("renewal_outreach_prep", { account_name: "AcmeCo", include_expansion: "false" });
    expect(noExpansion).toContain("a draft email to open the renewal conversation.");
    expect(noExpansion).not.toContain("expansion angle");
  });

  it("refuses a missing required argument and a badly typed one as invalid params", async () => {
    for (const [name, args, reason] of [
      ["meeting_prep_brief", {}, '"account_name" is required'],
      ["meeting_prep_brief", { account_name: "AcmeCo", meeting_date: "tomorrow" }, '"meeting_date" must be a date (YYYY-MM-DD)'],
      ["meeting_prep_brief", { account_name: "AcmeCo", lookback_days: "a month" }, '"lookback_days" must be a whole number'],
      ["account_handoff_30_day_focus", { account_name: "AcmeCo", focus: "everything" }, '"focus" must be one of retention, adoption, expansion, renewal'],
      ["renewal_outreach_prep", { account_name: "AcmeCo", include_expansion: "yes" }, '"include_expansion" must be "true" or "false"'],
    ] as const) {
      await expect(full.getPrompt({ name, arguments: args as Record<string, string> }), reason).rejects.toMatchObject({ code: -32602, message: expect.stringContaining(reason) });
    }
  });
});

describe("Gainsight CS pack: limits", () => {
  it("counts MCP calls toward the tenant's limits: a bulk run of writes stops at the tenant's writes per minute (429)", async () => {
    // gateway.yaml limits.default.writes_per_minute: 30, for every tenant; globex has made no writes yet.
    const { provider } = await signIn({ username: "gina", password: "gina-dev-password" }, everyScope);
    const gina = await connect(provider);
    const [cta] = (await read(gina, "list_ctas", { status: "open", limit: 1 })).data;
    for (let index = 0; index < 30; index++) await read(gina, "update_cta", { cta_id: cta.id, priority: index % 2 ? "high" : "medium" });
    const refused = await postRaw(packUrl, JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/call", params: { name: "update_cta", arguments: { cta_id: cta.id, priority: "low" } } }), { authorization: `Bearer ${provider.tokens()!.access_token}` });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused.json()).toMatchObject({ error: { message: expect.stringContaining("tenant globex reached its limit of 30 calls per minute to tools that change data"), data: { limit: "writes_per_minute", scope: "tenant", value: 30 } } });
    // Reads still go through: the write limit is its own.
    await read(gina, "get_cta", { cta_id: cta.id });
  });
});

describe("Gainsight CS pack: audit", () => {
  it("customer-facing audit: a tenant admin reads their own tenant's MCP tool calls", async () => {
    // Gina (globex) uses the pack, then reads globex's audit trail with her tenant-admin token.
    const { provider } = await signIn({ username: "gina", password: "gina-dev-password" }, defaultTicks);
    const gina = await connect(provider);
    const [company] = (await read(gina, "list_companies", { q: "Globex", limit: 1 })).data;
    await read(gina, "get_account_brief", { company_id: company.id });
    const tenantAdmin = await machineToken("gina", ["toolgate:tenant-admin"]);
    for (const query of ["", "?tenant=acme"]) {
      const response = await admin(`/admin/audit${query}`, tenantAdmin);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { records: { tenant: string; user: string; client: string; tool: string; outcome: string; resourceIds: Record<string, string> }[] };
      expect(new Set(page.records.map((record) => record.tenant))).toEqual(new Set(["globex"]));
      const brief = page.records.find((record) => record.tool === "get_account_brief")!;
      expect(brief).toMatchObject({ user: "gina", outcome: "ok", resourceIds: { company_id: company.id }, client: (provider.clientInformation() as { client_id: string }).client_id });
    }
    // Without the tenant-admin scope, no audit.
    expect((await admin("/admin/audit", await machineToken("gina", ["read:companies"]))).status).toBe(403);
  });

  it("admins see which users authorized the OAuth app, and when", async () => {
    const adminToken = await machineToken("alice", ["toolgate:admin"]);
    const clientId = (fullProvider.clientInformation() as { client_id: string }).client_id;
    const { grants } = (await (await admin(`/admin/grants?client_id=${encodeURIComponent(clientId)}`, adminToken)).json()) as { grants: { username: string; tenant: string; createdAt: string; scopes: string[] }[] };
    expect(grants).toHaveLength(1);
    expect(grants[0]).toMatchObject({ username: "alice", tenant: "acme" });
    expect(Date.parse(grants[0]!.createdAt)).toBeGreaterThan(0);
    expect(grants[0]!.scopes).toContain("write:ctas");
  });
});
