import Router from "@koa/router";
import type { Context, Next } from "koa";
import type { Logger } from "pino";
import type { AuditLog, AuditQuery } from "../audit/index.ts";
import type { EmbeddedAuthServer } from "../auth-server/index.ts";
import { MACHINE_PREFIX as MACHINE_CREDENTIAL_PREFIX } from "../auth-server/machine-credentials.ts";
import type { Challenges } from "../auth/auth-errors.ts";
import { readBearerToken } from "../auth/read-bearer-token.ts";
import type { VerifiedToken } from "../auth/verify-access-token.ts";
import { GatewayError } from "../errors.ts";
import type { Caller, Policy } from "../handler-api.ts";
import { readBody } from "../http/read-body.ts";
import { dropUnreachableComposites } from "../policy/composite-access.ts";
import { decideAccess } from "../policy/decide-access.ts";
import { matchTools, resolveApp, type AppRules, type ToolFacts } from "../policy/resolve-app.ts";
import type { AdminStore } from "./admin-store.ts";
import { effectivePolicy } from "./effective-policy.ts";

/** The scope a token needs for /admin. */
export const adminScope = "toolgate:admin";

/** The scope of a tenant's own admin: the audit trail of that tenant only. */
export const tenantAdminScope = "toolgate:tenant-admin";

export interface AdminApiOptions {
  readonly verify: (token: string) => Promise<VerifiedToken>;
  readonly challenges: Challenges;
  readonly store: AdminStore;
  /** The policy of generated/policy.json (access.yaml). */
  readonly basePolicy: Policy;
  /** Every tool; a composite with the tools its steps call (`requires`). */
  readonly tools: readonly (ToolFacts & { readonly requires?: readonly string[] })[];
  /** Told the policy in force whenever an admin changes it. */
  readonly onPolicy: (policy: Policy) => void;
  readonly authorizationServer: EmbeddedAuthServer | undefined;
  /** The audit trail, for GET /admin/audit. */
  readonly audit: AuditLog | undefined;
  readonly logger: Logger;
}

/** A bad admin request: answered as `{ "error": { "code", "message" } }`. */
class AdminRequestError extends GatewayError {
  override readonly code: string;
  override readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const toolGlob = /^[A-Za-z0-9_.*:-]+$/;
const tenantId = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The admin API under /admin: per-app tool allowlists and scope ceilings (persisted overrides
 * on top of access.yaml), tenant settings, machine credentials, an "effective tools" report and
 * the change log. Every request needs a token with the admin scope; every change is recorded
 * with its actor before the answer is sent.
 */
export async function createAdminApi(options: AdminApiOptions): Promise<Router> {
  const { store, tools, logger } = options;
  const names = tools.map((tool) => tool.name);
  const composites = new Map(tools.filter((tool) => tool.requires?.length).map((tool) => [tool.name, tool.requires!]));
  const apply = async () => {
    const [apps, tenants] = await Promise.all([store.appOverrides(), store.tenantOverrides()]);
    const next = effectivePolicy(options.basePolicy, apps, tenants, tools);
    options.onPolicy(next);
    return next;
  };
  let policy = await apply();
  // Another instance changed the overrides (shared store): take them up here too.
  store.onChange(() => {
    apply().then(
      (next) => (policy = next),
      (error: unknown) => logger.error({ err: error }, "admin overrides could not be reloaded"),
    );
  });
  const change = async (ctx: Context, action: string, target: string, tenant: string | null, detail: unknown) => {
    const actor = (ctx.state.admin as Caller).user;
    const entry = await store.record({ actor, tenant, action, target, detail });
    logger.info({ admin: actor, action, target, changeId: entry.id }, "admin change");
  };

  /** Issues a machine credential acting as `owner`; the answer holds its secret, shown this once (only its hash is kept). */
  const issueCredential = async (ctx: Context, owner: string, body: Record<string, unknown>, detail: Record<string, unknown>) => {
    const server = requireAuthorizationServer(options);
    const scopes = body.scopes === undefined ? undefined : parseGlobs(body.scopes, "scopes");
    let credential;
    try {
      credential = await server.createMachineCredential({ owner, ...(typeof body.name === "string" ? { name: body.name } : {}), ...(scopes ? { scopes } : {}) });
    } catch (error) {
      throw new AdminRequestError(400, "invalid_credential", error instanceof Error ? error.message : "the credential could not be created");
    }
    await change(ctx, "credential.create", credential.clientId, credential.tenant, { owner: credential.owner, name: body.name ?? null, scopes: credential.scopes ?? null, ...detail });
    ctx.status = 201;
    ctx.body = { client_id: credential.clientId, client_secret: credential.clientSecret, name: credential.name, owner: credential.owner, tenant: credential.tenant, scopes: credential.scopes ?? null, created_at: credential.createdAt };
  };

  const router = new Router({ prefix: "/admin" });
  router.use(adminErrors(logger));

  // The audit trail: global admins see every tenant, a tenant admin only their own.
  router.get("/audit", requireAdmin(options, [adminScope, tenantAdminScope]), async (ctx) => {
    if (!options.audit) throw new AdminRequestError(404, "no_audit", "this gateway keeps no audit trail");
    const admin = ctx.state.admin as Caller;
    const text = (name: string) => (typeof ctx.query[name] === "string" ? (ctx.query[name] as string) : undefined);
    const tenant = admin.scopes.has(adminScope) ? text("tenant") : admin.tenant;
    const limit = text("limit") === undefined ? undefined : Number(text("limit"));
    const query = Object.fromEntries(
      Object.entries({ tenant, user: text("user"), client: text("client"), endpoint: text("endpoint"), tool: text("tool"), outcome: text("outcome"), from: text("from"), to: text("to"), limit, cursor: text("cursor") }).filter(([, value]) => value !== undefined),
    );
    ctx.body = await options.audit.query(query as AuditQuery);
  });

  // Personal credentials (the Staircase seed's "Settings > Profile > MCP credentials"): any
  // signed-in user manages their own machine credentials, acting as themselves. A token that
  // itself comes from a machine credential cannot mint more.
  router.get("/me/credentials", requireUser(options), async (ctx) => {
    const server = requireAuthorizationServer(options);
    ctx.body = { credentials: await server.listMachineCredentials({ owner: (ctx.state.user as Caller).user }) };
  });
  router.post("/me/credentials", requireUser(options), async (ctx) => {
    const user = ctx.state.user as Caller;
    ctx.state.admin = user;
    await issueCredential(ctx, user.user, await readJson(ctx), { self_service: true });
  });
  router.delete("/me/credentials/:clientId", requireUser(options), async (ctx) => {
    const server = requireAuthorizationServer(options);
    const user = ctx.state.user as Caller;
    const own = (await server.listMachineCredentials({ owner: user.user })).some((credential) => credential.clientId === ctx.params.clientId);
    if (!own || !(await server.revokeMachineCredential(ctx.params.clientId!))) throw new AdminRequestError(404, "not_found", `you have no credential ${ctx.params.clientId}`);
    ctx.state.admin = user;
    await change(ctx, "credential.revoke", ctx.params.clientId!, user.tenant, { self_service: true });
    ctx.status = 204;
  });

  router.use(requireAdmin(options, [adminScope]));

  router.get("/apps", async (ctx) => {
    const overrides = await store.appOverrides();
    ctx.body = {
      apps: Object.entries(policy.apps).map(([clientId, app]) => ({ client_id: clientId, name: app.name ?? null, source: overrides.has(clientId) ? "override" : "spec", rules: app.rules, tools: app.tools })),
      default_app: policy.defaultApp ?? null,
    };
  });

  router.put("/apps/:clientId", async (ctx) => {
    const clientId = ctx.params.clientId!;
    const body = await readJson(ctx);
    const rules = parseAppRules(body);
    const resolved = resolveApp(rules, tools);
    if (resolved.unmatched.length > 0) {
      throw new AdminRequestError(400, "unmatched_glob", `these match nothing: ${resolved.unmatched.map((entry) => `${entry.field}[${entry.index}] "${entry.glob}"`).join(", ")}`);
    }
    const name = typeof body.name === "string" ? body.name : undefined;
    await store.setAppOverride(clientId, { ...(name !== undefined ? { name } : {}), rules, updatedBy: (ctx.state.admin as Caller).user });
    await change(ctx, "app.set", clientId, null, { name, rules, tools: resolved.tools });
    policy = await apply();
    ctx.body = { client_id: clientId, rules, tools: resolved.tools };
  });

  router.delete("/apps/:clientId", async (ctx) => {
    if (!(await store.deleteAppOverride(ctx.params.clientId!))) throw new AdminRequestError(404, "not_found", `no override for app ${ctx.params.clientId}`);
    await change(ctx, "app.reset", ctx.params.clientId!, null, null);
    policy = await apply();
    ctx.status = 204;
  });

  router.get("/tenants", async (ctx) => {
    const overrides = await store.tenantOverrides();
    ctx.body = { tenants: Object.entries(policy.tenants).map(([tenant, settings]) => ({ tenant, source: overrides.has(tenant) ? "override" : "spec", mcp: settings.mcp, disabled_tools: settings.disabledTools })) };
  });

  router.put("/tenants/:tenant", async (ctx) => {
    const tenant = ctx.params.tenant!;
    if (!tenantId.test(tenant)) throw new AdminRequestError(400, "invalid_tenant", "a tenant id is 1 to 64 letters, digits, `_` or `-`");
    const body = await readJson(ctx);
    const current = Object.hasOwn(policy.tenants, tenant) ? policy.tenants[tenant] : undefined;
    const mcp = body.mcp === undefined ? (current?.mcp ?? true) : body.mcp;
    if (typeof mcp !== "boolean") throw new AdminRequestError(400, "invalid_field", "mcp must be true or false");
    const disabledTools = body.disabled_tools === undefined ? [...(current?.disabledTools ?? [])] : parseGlobs(body.disabled_tools, "disabled_tools");
    const { unmatched } = matchTools(disabledTools, names);
    if (unmatched.length > 0) throw new AdminRequestError(400, "unmatched_glob", `these match no tool: ${unmatched.map((entry) => entry.glob).join(", ")}`);
    await store.setTenantOverride(tenant, { mcp, disabledTools, updatedBy: (ctx.state.admin as Caller).user });
    await change(ctx, mcp ? "tenant.set" : "tenant.disable_mcp", tenant, tenant, { mcp, disabled_tools: disabledTools });
    policy = await apply();
    ctx.body = { tenant, mcp, disabled_tools: policy.tenants[tenant]!.disabledTools };
  });

  router.delete("/tenants/:tenant", async (ctx) => {
    if (!(await store.deleteTenantOverride(ctx.params.tenant!))) throw new AdminRequestError(404, "not_found", `no override for tenant ${ctx.params.tenant}`);
    await change(ctx, "tenant.reset", ctx.params.tenant!, ctx.params.tenant!, null);
    policy = await apply();
    ctx.status = 204;
  });

  router.get("/effective-tools", (ctx) => {
    const client = String(ctx.query.client ?? "");
    const tenant = String(ctx.query.tenant ?? "");
    if (!client || !tenantId.test(tenant)) throw new AdminRequestError(400, "missing_field", "give ?client=<client_id>&tenant=<tenant> (optionally &scopes=a,b &email= &groups=a,b)");
    const allScopes = [...new Set(tools.flatMap((tool) => tool.scopes))];
    const caller: Caller = {
      tenant,
      user: String(ctx.query.user ?? "(any user)"),
      client,
      scopes: new Set(typeof ctx.query.scopes === "string" ? ctx.query.scopes.split(",").filter(Boolean) : allScopes),
      email: typeof ctx.query.email === "string" ? ctx.query.email : undefined,
      groups: typeof ctx.query.groups === "string" ? ctx.query.groups.split(",").filter(Boolean) : (policy.pilotGroups ?? []).slice(0, 1),
    };
    const access = decideAccess(caller, policy, new Map(tools.map((tool) => [tool.name, tool])));
    if (access.kind === "denied") {
      ctx.body = { client, tenant, allowed: false, reason: access.reason };
      return;
    }
    // As tools/list decides: a composite whose steps the caller may not all call does not exist for them.
    const visible = new Set(access.visible);
    dropUnreachableComposites(visible, composites);
    ctx.body = { client, tenant, allowed: true, tools: access.visible.filter((name) => visible.has(name)), needs_scopes: Object.fromEntries(access.stepUp) };
  });

  router.get("/credentials", async (ctx) => {
    const server = requireAuthorizationServer(options);
    ctx.body = { credentials: await server.listMachineCredentials(typeof ctx.query.owner === "string" ? { owner: ctx.query.owner } : undefined) };
  });

  router.post("/credentials", async (ctx) => {
    const body = await readJson(ctx);
    if (typeof body.owner !== "string" || body.owner === "") throw new AdminRequestError(400, "missing_field", "owner (a username) is required");
    await issueCredential(ctx, body.owner, body, {});
  });

  router.delete("/credentials/:clientId", async (ctx) => {
    const server = requireAuthorizationServer(options);
    if (!(await server.revokeMachineCredential(ctx.params.clientId!))) throw new AdminRequestError(404, "not_found", `no credential ${ctx.params.clientId}`);
    await change(ctx, "credential.revoke", ctx.params.clientId!, null, null);
    ctx.status = 204;
  });

  router.get("/grants", async (ctx) => {
    const server = requireAuthorizationServer(options);
    const filter = grantFilter(ctx);
    ctx.body = { grants: await server.listGrants(filter) };
  });

  router.delete("/grants", async (ctx) => {
    const server = requireAuthorizationServer(options);
    const filter = grantFilter(ctx);
    if (Object.keys(filter).length === 0) throw new AdminRequestError(400, "missing_field", "name what to revoke: ?username=, ?client_id= and/or ?tenant=");
    const revoked = await server.revokeGrants(filter);
    await change(ctx, "grants.revoke", JSON.stringify(filter), filter.tenant ?? null, { revoked });
    ctx.body = { revoked };
  });

  router.post("/users/:username/revoke", async (ctx) => {
    const server = requireAuthorizationServer(options);
    const revoked = await server.revokeUser(ctx.params.username!);
    await change(ctx, "user.revoke", ctx.params.username!, null, revoked);
    ctx.body = { username: ctx.params.username, ...revoked };
  });

  router.get("/changes", async (ctx) => {
    const limit = Math.min(Math.max(Number(ctx.query.limit ?? 50) || 50, 1), 500);
    const before = ctx.query.before === undefined ? undefined : Number(ctx.query.before);
    const changes = await store.changes({ limit, ...(before !== undefined && Number.isInteger(before) ? { before } : {}) });
    ctx.body = { changes, next_before: changes.length === limit ? changes.at(-1)!.id : null };
  });

  return router;
}

/** A signed-in person's own token (not a machine credential's): they act on their own things only. */
function requireUser(options: AdminApiOptions) {
  const { verify, challenges } = options;
  return async function requireUser(ctx: Context, next: Next): Promise<void> {
    const token = readBearerToken(ctx.req, challenges);
    if (token === undefined) throw challenges.missing();
    const { caller } = await verify(token);
    if (caller.client.startsWith(MACHINE_CREDENTIAL_PREFIX)) throw new AdminRequestError(403, "forbidden", "a machine credential cannot manage credentials; sign in as yourself");
    ctx.state.user = caller;
    await next();
  };
}

function requireAdmin(options: AdminApiOptions, scopes: readonly string[]) {
  const { verify, challenges } = options;
  return async function requireAdmin(ctx: Context, next: Next): Promise<void> {
    if (ctx.state.admin) return next();
    const token = readBearerToken(ctx.req, challenges);
    if (token === undefined) throw challenges.missing();
    const { caller } = await verify(token);
    if (!scopes.some((scope) => caller.scopes.has(scope))) throw challenges.insufficientScope([scopes[0]!], `this part of the admin API needs the scope ${scopes.join(" or ")}`);
    ctx.state.admin = caller;
    await next();
  };
}

function adminErrors(logger: Logger) {
  return async function adminErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (error) {
      ctx.type = "application/json";
      if (error instanceof GatewayError && error.expose) {
        ctx.status = error.status;
        for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
        ctx.body = { error: { code: error.code, message: error.message } };
        return;
      }
      logger.error({ err: error, requestId: ctx.state.requestId }, "admin API internal error");
      ctx.status = 500;
      ctx.body = { error: { code: "internal_error", message: "Internal error" } };
    }
  };
}

function grantFilter(ctx: Context): { username?: string; clientId?: string; tenant?: string } {
  const pick = (name: string) => (typeof ctx.query[name] === "string" && ctx.query[name] !== "" ? (ctx.query[name] as string) : undefined);
  const username = pick("username");
  const clientId = pick("client_id");
  const tenant = pick("tenant");
  return { ...(username ? { username } : {}), ...(clientId ? { clientId } : {}), ...(tenant ? { tenant } : {}) };
}

function requireAuthorizationServer(options: AdminApiOptions): EmbeddedAuthServer {
  if (!options.authorizationServer) throw new AdminRequestError(404, "no_authorization_server", "machine credentials are issued by the embedded authorization server; this gateway uses an external issuer");
  return options.authorizationServer;
}

async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  if (!(ctx.get("content-type") ?? "").toLowerCase().startsWith("application/json")) throw new AdminRequestError(415, "unsupported_media_type", "send application/json");
  let value: unknown;
  try {
    value = JSON.parse((await readBody(ctx.req, 65_536)).toString("utf8"));
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw new AdminRequestError(400, "invalid_json", "the body is not valid JSON");
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new AdminRequestError(400, "invalid_json", "the body must be a JSON object");
  return value as Record<string, unknown>;
}

function parseGlobs(value: unknown, field: string): string[] {
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string" && toolGlob.test(item))) {
    throw new AdminRequestError(400, "invalid_field", `${field} must be a list of names or globs (letters, digits, _ . - : and *)`);
  }
  return value as string[];
}

function parseAppRules(body: Record<string, unknown>): AppRules {
  if (body.tools === undefined) throw new AdminRequestError(400, "missing_field", "tools (a list of tool globs) is required");
  const readOnly = body.read_only ?? false;
  if (typeof readOnly !== "boolean") throw new AdminRequestError(400, "invalid_field", "read_only must be true or false");
  return { tools: parseGlobs(body.tools, "tools"), ...(body.scopes !== undefined ? { scopes: parseGlobs(body.scopes, "scopes") } : {}), readOnly };
}
