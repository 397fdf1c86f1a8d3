import type { AppPolicy, Policy } from "../handler-api.ts";
import { matchTools, resolveApp, type ToolFacts } from "../policy/resolve-app.ts";
import type { AppOverride, TenantOverride } from "./admin-store.ts";

/**
 * The policy in force: access.yaml (resolved at generate time) with admins' overrides on top,
 * resolved here the same way the generator resolves the spec.
 */
export function effectivePolicy(base: Policy, apps: ReadonlyMap<string, AppOverride>, tenants: ReadonlyMap<string, TenantOverride>, tools: readonly ToolFacts[]): Policy {
  const names = tools.map((tool) => tool.name);
  const appEntries: [string, AppPolicy][] = Object.entries(base.apps);
  for (const [clientId, override] of apps) {
    const resolved: AppPolicy = { ...(override.name !== undefined ? { name: override.name } : {}), rules: override.rules, tools: resolveApp(override.rules, tools).tools };
    const index = appEntries.findIndex(([id]) => id === clientId);
    if (index === -1) appEntries.push([clientId, resolved]);
    else appEntries[index] = [clientId, resolved];
  }
  const tenantEntries: [string, { mcp: boolean; disabledTools: readonly string[] }][] = Object.entries(base.tenants);
  for (const [tenant, override] of tenants) {
    const settings = { mcp: override.mcp, disabledTools: matchTools(override.disabledTools, names).names };
    const index = tenantEntries.findIndex(([id]) => id === tenant);
    if (index === -1) tenantEntries.push([tenant, settings]);
    else tenantEntries[index] = [tenant, settings];
  }
  return { ...base, apps: fromEntries(appEntries), tenants: fromEntries(tenantEntries) };
}

/** Like Object.fromEntries, but a key such as "__proto__" stays a key. */
function fromEntries<T>(entries: readonly [string, T][]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [key, value] of entries) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
  return out;
}
