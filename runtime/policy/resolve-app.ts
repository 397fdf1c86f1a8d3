import { globToRegExp } from "./glob.ts";

/** An app's rules as admins write them (access.yaml, or an admin override). */
export interface AppRules {
  readonly tools: readonly string[];
  readonly scopes?: readonly string[];
  readonly readOnly: boolean;
}

/** What app rules are resolved against. */
export interface ToolFacts {
  readonly name: string;
  readonly scopes: readonly string[];
  readonly readOnly: boolean;
}

export interface ResolvedApp {
  /** The tools the app may use, sorted. */
  readonly tools: string[];
  /** Globs that matched nothing (almost always typos): `field` is "tools" or "scopes". */
  readonly unmatched: { readonly field: "tools" | "scopes"; readonly index: number; readonly glob: string }[];
}

/**
 * Resolves an app's rules to tool names: its tool globs, minus write tools for a read-only app,
 * minus tools needing a scope outside its scope ceiling. Used by `toolgate generate` for
 * access.yaml and by the admin API for overrides, so both decide alike.
 */
export function resolveApp(rules: AppRules, tools: readonly ToolFacts[]): ResolvedApp {
  const unmatched: ResolvedApp["unmatched"] = [];
  const allowed = new Set<string>();
  rules.tools.forEach((glob, index) => {
    const pattern = globToRegExp(glob);
    const hits = tools.filter((tool) => pattern.test(tool.name));
    if (hits.length === 0) unmatched.push({ field: "tools", index, glob });
    for (const hit of hits) allowed.add(hit.name);
  });
  let ceiling: RegExp[] | undefined;
  if (rules.scopes !== undefined) {
    const known = [...new Set(tools.flatMap((tool) => tool.scopes))];
    ceiling = rules.scopes.map((glob) => globToRegExp(glob));
    ceiling.forEach((pattern, index) => {
      if (!known.some((scope) => pattern.test(scope))) unmatched.push({ field: "scopes", index, glob: rules.scopes![index]! });
    });
  }
  const permitted = tools.filter(
    (tool) => allowed.has(tool.name) && (!rules.readOnly || tool.readOnly) && (ceiling === undefined || tool.scopes.every((scope) => ceiling!.some((pattern) => pattern.test(scope)))),
  );
  return { tools: permitted.map((tool) => tool.name).sort(), unmatched };
}

/** Tool names matching any of the globs; unmatched globs reported by index. */
export function matchTools(globs: readonly string[], names: readonly string[]): { names: string[]; unmatched: { index: number; glob: string }[] } {
  const matched = new Set<string>();
  const unmatched: { index: number; glob: string }[] = [];
  globs.forEach((glob, index) => {
    const pattern = globToRegExp(glob);
    const hits = names.filter((name) => pattern.test(name));
    if (hits.length === 0) unmatched.push({ index, glob });
    for (const hit of hits) matched.add(hit);
  });
  return { names: [...matched].sort(), unmatched };
}
