import { describe, expect, it } from "vitest";
import type { Caller, Policy } from "../../../runtime/handler-api.ts";
import { decideAccess } from "../../../runtime/policy/decide-access.ts";

const tools = new Map(
  [
    { name: "get_company", scopes: ["read:companies"] },
    { name: "list_companies", scopes: ["read:companies"] },
    { name: "create_cta", scopes: ["write:ctas"] },
    { name: "ping_tool", scopes: [] },
  ].map((tool) => [tool.name, tool]),
);

const policy: Policy = {
  apps: {
    "read-app": { rules: { tools: ["*"], readOnly: true }, tools: ["get_company", "list_companies", "ping_tool"] },
    "ops-app": { rules: { tools: ["*"], readOnly: false }, tools: ["create_cta", "get_company", "list_companies", "ping_tool"] },
  },
  tenants: { initech: { mcp: false, disabledTools: [] }, globex: { mcp: true, disabledTools: ["list_companies"] } },
  pilotGroups: ["mcp-pilot"],
  blockedEmailDomains: ["gmail.com"],
};

const caller = (overrides: Partial<Caller> = {}): Caller => ({
  tenant: "acme",
  user: "u1",
  client: "ops-app",
  scopes: new Set(["read:companies"]),
  email: "ann@acme.example",
  groups: ["mcp-pilot"],
  ...overrides,
});

describe("decideAccess(caller, policy, tools)", () => {
  it.each([
    { name: "token scopes limit an app's tools; the rest is a step-up", given: caller(), visible: ["get_company", "list_companies", "ping_tool"], stepUp: { create_cta: ["write:ctas"] } },
    { name: "a read-only app never gets a write tool, whatever the scopes", given: caller({ client: "read-app", scopes: new Set(["read:companies", "write:ctas"]) }), visible: ["get_company", "list_companies", "ping_tool"], stepUp: {} },
    { name: "all scopes granted: every tool of the app", given: caller({ scopes: new Set(["read:companies", "write:ctas"]) }), visible: ["create_cta", "get_company", "list_companies", "ping_tool"], stepUp: {} },
    { name: "a tenant's disabled tool is gone", given: caller({ tenant: "globex" }), visible: ["get_company", "ping_tool"], stepUp: { create_cta: ["write:ctas"] } },
    { name: "no scopes: only tools that need none", given: caller({ scopes: new Set() }), visible: ["ping_tool"], stepUp: { create_cta: ["write:ctas"], get_company: ["read:companies"], list_companies: ["read:companies"] } },
  ])("$name", ({ given, visible, stepUp }) => {
    const access = decideAccess(given, policy, tools);
    expect(access.kind).toBe("allowed");
    if (access.kind !== "allowed") return;
    expect([...access.visible].sort()).toEqual(visible);
    expect(Object.fromEntries(access.stepUp)).toEqual(stepUp);
  });

  it.each([
    { name: "a tenant with MCP off", given: caller({ tenant: "initech" }), reason: 'MCP is turned off for organisation "initech"' },
    { name: "a personal email domain", given: caller({ email: "Ann@GMail.com" }), reason: "accounts at gmail.com may not use this server; sign in with your work account" },
    { name: "a user outside the pilot groups", given: caller({ groups: ["sales"] }), reason: "MCP access is limited to pilot groups, and this account is in none of them" },
    { name: "an app the policy does not know, with no default app", given: caller({ client: "random-dcr-client" }), reason: 'the OAuth app "random-dcr-client" is not allowed to use this server' },
    { name: "an app named like an Object.prototype member", given: caller({ client: "constructor" }), reason: 'the OAuth app "constructor" is not allowed to use this server' },
  ])("refuses $name", ({ given, reason }) => {
    expect(decideAccess(given, policy, tools)).toEqual({ kind: "denied", reason });
  });

  it("falls back to the default app for unlisted apps", () => {
    const withDefault: Policy = { ...policy, defaultApp: { rules: { tools: ["get_*"], readOnly: false }, tools: ["get_company"] } };
    const access = decideAccess(caller({ client: "random-dcr-client" }), withDefault, tools);
    expect(access).toEqual({ kind: "allowed", visible: ["get_company"], stepUp: new Map() });
  });
});
