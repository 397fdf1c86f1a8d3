import type { Caller, GeneratedPrompt, Policy, ToolDefinition } from "../handler-api.ts";
import { DISCOVERY_PAGES } from "../mcp/discovery.ts";
import { ToolPages } from "../mcp/tool-pages.ts";
import { dropUnreachableComposites } from "./composite-access.ts";
import { decideAccess, type CallerAccess, type ToolAccessInfo } from "./decide-access.ts";

/**
 * Each verified token's caller object is reused from the verifier's cache, so its decision key
 * (which sorts the scopes) is computed once per token, not once per request.
 */
const keys = new WeakMap<Caller, string>();

/** A caller's view of the endpoint, with its tools/list pages and prompts/list answer serialised once. */
export type CallerTools =
  | { readonly kind: "denied"; readonly reason: string }
  | {
      readonly kind: "allowed";
      readonly visible: ReadonlySet<string>;
      readonly stepUp: ReadonlyMap<string, readonly string[]>;
      readonly pages: ToolPages;
      /** The prompts the caller may get, by name, and their prompts/list answer. */
      readonly prompts: ReadonlyMap<string, GeneratedPrompt>;
      readonly promptList: string;
    };

/** What the cache needs to know of a tool: a composite also needs every tool it calls. */
export interface CallerToolFacts {
  readonly definition: ToolDefinition;
  readonly scopes: readonly string[];
  readonly requires?: readonly string[];
}

/** One endpoint's share of the gateway: its tools and prompts (all of them when omitted). */
export interface EndpointScope {
  readonly tools: ReadonlySet<string>;
  readonly prompts: readonly GeneratedPrompt[];
  /** Discovery mode: tools/list shows the meta-tools, not the tools themselves. */
  readonly discovery?: boolean;
}

/** A caller's tools and prompts on an endpoint that serves `tools` and `prompts`. */
export function endpointView(visible: ReadonlySet<string>, stepUp: ReadonlyMap<string, readonly string[]>, definitions: readonly ToolDefinition[], endpoint: EndpointScope, pageSize: number): Extract<CallerTools, { kind: "allowed" }> {
  const shown = new Set([...visible].filter((name) => endpoint.tools.has(name)));
  const prompts = endpoint.prompts.filter((prompt) => prompt.uses.every((tool) => visible.has(tool)));
  return {
    kind: "allowed",
    visible: shown,
    stepUp: new Map([...stepUp].filter(([name]) => endpoint.tools.has(name))),
    pages: endpoint.discovery ? DISCOVERY_PAGES : new ToolPages(definitions.filter((definition) => shown.has(definition.name)), pageSize),
    prompts: new Map(prompts.map((prompt) => [prompt.definition.name, prompt])),
    promptList: JSON.stringify({ prompts: prompts.map((prompt) => prompt.definition) }),
  };
}

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
  readonly #requires: ReadonlyMap<string, readonly string[]>;
  readonly #endpoint: EndpointScope;

  constructor(policy: Policy, tools: readonly CallerToolFacts[], pageSize: number, endpoint?: EndpointScope, maxEntries = 1000) {
    this.#policy = policy;
    this.#definitions = tools.map((tool) => tool.definition);
    this.#access = new Map(tools.map((tool) => [tool.definition.name, { name: tool.definition.name, scopes: tool.scopes }]));
    this.#requires = new Map(tools.filter((tool) => tool.requires?.length).map((tool) => [tool.definition.name, tool.requires!]));
    this.#endpoint = endpoint ?? { tools: new Set(tools.map((tool) => tool.definition.name)), prompts: [] };
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
    dropUnreachableComposites(visible, this.#requires);
    // Pages keep the endpoint's order (by name), whatever order the policy listed tools in.
    return endpointView(visible, access.stepUp, this.#definitions, this.#endpoint, this.#pageSize);
  }
}
