import type { Caller, Policy } from "../handler-api.ts";

/** What the runtime knows of a tool for access decisions. */
export interface ToolAccessInfo {
  readonly name: string;
  readonly scopes: readonly string[];
}

export type CallerAccess =
  | { readonly kind: "denied"; readonly reason: string }
  | {
      readonly kind: "allowed";
      /** Tools the caller sees and may call. */
      readonly visible: readonly string[];
      /** Tools the caller's app may use but the token lacks scopes for: tool → the scopes it needs. */
      readonly stepUp: ReadonlyMap<string, readonly string[]>;
    };

/**
 * A caller's tools: the endpoint's tools ∩ the OAuth app's allowlist (its globs, scope ceiling
 * and read-only flag, resolved at generate time) ∩ the tenant's settings ∩ the token's scopes.
 * Callers refused outright: a tenant with MCP off, a blocked email domain, a user outside the
 * pilot groups, an app the policy does not know. Deny by default.
 */
export function decideAccess(caller: Caller, policy: Policy, tools: ReadonlyMap<string, ToolAccessInfo>): CallerAccess {
  const tenant = Object.hasOwn(policy.tenants, caller.tenant) ? policy.tenants[caller.tenant] : undefined;
  if (tenant && !tenant.mcp) return { kind: "denied", reason: `MCP is turned off for organisation "${caller.tenant}"` };
  if (policy.blockedEmailDomains.length > 0 && caller.email !== undefined) {
    const domain = caller.email.slice(caller.email.lastIndexOf("@") + 1).toLowerCase();
    if (policy.blockedEmailDomains.includes(domain)) return { kind: "denied", reason: `accounts at ${domain} may not use this server; sign in with your work account` };
  }
  if (policy.pilotGroups !== undefined && !caller.groups.some((group) => policy.pilotGroups!.includes(group))) {
    return { kind: "denied", reason: "MCP access is limited to pilot groups, and this account is in none of them" };
  }
  const app = Object.hasOwn(policy.apps, caller.client) ? policy.apps[caller.client] : policy.defaultApp;
  if (!app) return { kind: "denied", reason: `the OAuth app "${caller.client}" is not allowed to use this server` };

  const disabled = new Set(tenant?.disabledTools ?? []);
  const visible: string[] = [];
  const stepUp = new Map<string, readonly string[]>();
  for (const name of app.tools) {
    const tool = tools.get(name);
    if (!tool || disabled.has(name)) continue;
    if (tool.scopes.every((scope) => caller.scopes.has(scope))) visible.push(name);
    else stepUp.set(name, tool.scopes);
  }
  return { kind: "allowed", visible, stepUp };
}
