import type { Caller, Policy, ToolDefinition } from "../handler-api.ts";
import { ToolPages } from "../mcp/tool-pages.ts";
import { decideAccess, type CallerAccess, type ToolAccessInfo } from "./decide-access.ts";

/**
 * Each verified token's caller object is reused from the verifier's cache, so its decision key
 * (which sorts the scopes) is computed once per token, not once per request.
 */
const keys = new WeakMap<Caller, string>();

/** A caller's view of the endpoint, with its tools/list pages serialised once. */
export type CallerTools =
  | { readonly kind: "denied"; readonly reason: string }
  | { readonly kind: "allowed"; readonly visible: ReadonlySet<string>; readonly stepUp: ReadonlyMap<string, readonly string[]>; readonly pages: ToolPages };

/**
 * Decides callers' tool sets and keeps them: callers with the same app, tenant, scopes and
 * user attributes share one decision and one set of serialised pages, so tools/list stays a
 * lookup. Bounded; the oldest entry goes first.
 */
export class CallerToolsCache {
  #policy: Policy;
  readonly #definitions: readonly ToolDefinition[];
  readonly #access: ReadonlyMap<string, ToolAccessInfo>;
  readonly #pageSize: number;
  readonly #entries = new Map<string, CallerTools>();
  readonly #maxEntries: number;

  constructor(policy: Policy, tools: readonly { definition: ToolDefinition; scopes: readonly string[] }[], pageSize: number, maxEntries = 1000) {
    this.#policy = policy;
    this.#definitions = tools.map((tool) => tool.definition);
    this.#access = new Map(tools.map((tool) => [tool.definition.name, { name: tool.definition.name, scopes: tool.scopes }]));
    this.#pageSize = pageSize;
    this.#maxEntries = maxEntries;
  }

  /** Replaces the policy in force (an admin changed it); every cached decision is dropped. */
  setPolicy(policy: Policy): void {
    this.#policy = policy;
    this.#entries.clear();
  }

  for(caller: Caller): CallerTools {
    let key = keys.get(caller);
    if (key === undefined) {
      key = [caller.client, caller.tenant, [...caller.scopes].sort().join(" "), caller.email ?? "", caller.groups.join(" ")].join("\n");
      keys.set(caller, key);
    }
    let entry = this.#entries.get(key);
    if (!entry) {
      entry = this.#build(decideAccess(caller, this.#policy, this.#access));
      if (this.#entries.size >= this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  #build(access: CallerAccess): CallerTools {
    if (access.kind === "denied") return access;
    const visible = new Set(access.visible);
    // Pages keep the endpoint's order (by name), whatever order the policy listed tools in.
    const definitions = this.#definitions.filter((definition) => visible.has(definition.name));
    return { kind: "allowed", visible, stepUp: access.stepUp, pages: new ToolPages(definitions, this.#pageSize) };
  }
}
