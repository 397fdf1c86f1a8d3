import type { ErrorSink } from "../errors.ts";
import { locate, type PathSegment, type YamlFile } from "../load/yaml-file.ts";
import { didYouMean } from "../suggest.ts";
import { matchTools, resolveApp } from "../../runtime/policy/resolve-app.ts";
import type { AppPolicyModel, PolicyModel, ToolModel } from "./types.ts";

interface AppSpec {
  name?: string;
  tools: string[];
  scopes?: string[];
  read_only?: boolean;
}

interface AccessSpec {
  apps?: Record<string, AppSpec>;
  default_app?: AppSpec;
  tenants?: Record<string, { mcp?: boolean; disabled_tools?: string[] }>;
  users?: { pilot_groups?: string[]; blocked_email_domains?: string[] };
}

/** Deny by default: with no access.yaml, no OAuth app may use any tool. */
export const emptyPolicy: PolicyModel = { apps: {}, defaultApp: undefined, tenants: {}, pilotGroups: undefined, blockedEmailDomains: [] };

/**
 * Resolves the admins' access policy against the tools: each app's globs, scope ceiling and
 * read-only flag become the list of tools it may use, so the runtime decides by set lookups and
 * a review of generated/policy.json shows exactly who can call what. A glob that matches nothing
 * is an error (it is almost always a typo).
 */
export function buildPolicy(access: YamlFile | undefined, tools: readonly ToolModel[], sink: ErrorSink): PolicyModel {
  if (!access) return emptyPolicy;
  const spec = (access.value ?? {}) as AccessSpec;
  const names = tools.map((tool) => tool.name);
  const facts = tools.map((tool) => ({ name: tool.name, scopes: tool.scopes, readOnly: tool.annotations.readOnlyHint }));
  const scopes = [...new Set(tools.flatMap((tool) => tool.scopes))];
  const report = (path: readonly PathSegment[], glob: string, candidates: readonly string[], what: string) =>
    sink.add(locate(access, path), `"${glob}" matches no ${what}`, didYouMean(glob, candidates) ?? `${what}s: ${candidates.join(", ") || "none"}`);

  const buildApp = (app: AppSpec, path: readonly PathSegment[]): AppPolicyModel => {
    const rules = { tools: app.tools, ...(app.scopes !== undefined ? { scopes: app.scopes } : {}), readOnly: app.read_only === true };
    const resolved = resolveApp(rules, facts);
    for (const { field, index, glob } of resolved.unmatched) report([...path, field, index], glob, field === "tools" ? names : scopes, field === "tools" ? "tool" : "scope");
    return { name: app.name, rules: { tools: app.tools, scopes: app.scopes, readOnly: rules.readOnly }, tools: resolved.tools };
  };

  const apps: Record<string, AppPolicyModel> = {};
  for (const clientId of Object.keys(spec.apps ?? {}).sort()) {
    Object.defineProperty(apps, clientId, { value: buildApp(spec.apps![clientId]!, ["apps", clientId]), enumerable: true });
  }
  const tenants: Record<string, { mcp: boolean; disabledTools: string[] }> = {};
  for (const tenant of Object.keys(spec.tenants ?? {}).sort()) {
    const settings = spec.tenants![tenant]!;
    const disabled = matchTools(settings.disabled_tools ?? [], names);
    for (const { index, glob } of disabled.unmatched) report(["tenants", tenant, "disabled_tools", index], glob, names, "tool");
    Object.defineProperty(tenants, tenant, { value: { mcp: settings.mcp !== false, disabledTools: disabled.names }, enumerable: true });
  }
  return {
    apps,
    defaultApp: spec.default_app && buildApp(spec.default_app, ["default_app"]),
    tenants,
    pilotGroups: spec.users?.pilot_groups,
    blockedEmailDomains: (spec.users?.blocked_email_domains ?? []).map((domain) => domain.toLowerCase()).sort(),
  };
}
