import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import type { ToolDefinition } from "../handler-api.ts";
import type { DispatchContext } from "./dispatch.ts";
import { ToolPages } from "./tool-pages.ts";

/**
 * Discovery mode, for endpoints with hundreds of tools: the model sees three meta-tools instead
 * of every schema, and finds, reads and calls the tools it needs through them. They work on the
 * caller's own tool set, so nobody discovers a tool they cannot call, and `call_tool` goes
 * through the same pipeline as a direct call (policy, step-up, limits, validation, audit).
 */
export const DISCOVERY_TOOLS: readonly ToolDefinition[] = [
  {
    name: "search_tools",
    title: "Search tools",
    description: "Find the tools that can do something: give a few words (what you want to do, or the object it concerns). Returns matching tool names with a one-line summary; read one with describe_tool, then run it with call_tool.",
    inputSchema: {
      type: "object",
      properties: {
        query: { type: "string", minLength: 1, maxLength: 500, description: "Words describing the task, e.g. 'list open invoices of a customer'." },
        limit: { type: "integer", minimum: 1, maximum: 50, default: 10, description: "Most results to return." },
      },
      required: ["query"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "describe_tool",
    title: "Describe a tool",
    description: "The full definition of one tool found with search_tools: its description, the JSON Schema of its arguments, and of its result.",
    inputSchema: {
      type: "object",
      properties: { name: { type: "string", minLength: 1, maxLength: 128, description: "The tool's name, as search_tools returned it." } },
      required: ["name"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  },
  {
    name: "call_tool",
    title: "Call a tool",
    description: "Run one tool with its arguments (as describe_tool showed them). The answer is the tool's own result.",
    inputSchema: {
      type: "object",
      properties: {
        name: { type: "string", minLength: 1, maxLength: 128, description: "The tool to run." },
        arguments: { type: "object", description: "The tool's arguments.", default: {} },
      },
      required: ["name"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  },
];

/** The meta-tools' names: an endpoint in discovery mode answers them itself (the generator refuses tools so named there). */
export const DISCOVERY_TOOL_NAMES: readonly string[] = DISCOVERY_TOOLS.map((tool) => tool.name);
const names = new Set(DISCOVERY_TOOL_NAMES);

/** tools/list of a discovery endpoint: the three meta-tools, whoever calls. */
export const DISCOVERY_PAGES = new ToolPages(DISCOVERY_TOOLS, DISCOVERY_TOOLS.length);

type RunToolCall = (name: string, rawArguments: unknown, context: DispatchContext) => Promise<string>;

/** What search_tools and describe_tool need of a tool, prepared once at start-up, not per call. */
interface SearchEntry {
  readonly name: string;
  /** The name in words, lower case (`list_open_invoices` → "list open invoices"). */
  readonly nameText: string;
  /** Title and description, lower case. */
  readonly text: string;
  readonly found: { readonly name: string; readonly title?: string; readonly summary: string };
  /** describe_tool's answer. */
  readonly described: string;
}

function searchEntry(definition: ToolDefinition): SearchEntry {
  const found = { name: definition.name, ...(definition.title ? { title: definition.title } : {}), summary: summary(definition.description) };
  return {
    name: definition.name,
    nameText: definition.name.toLowerCase().replace(/[_.-]/g, " "),
    text: `${definition.title ?? ""} ${definition.description}`.toLowerCase(),
    found,
    described: JSON.stringify({ content: [{ type: "text", text: JSON.stringify(definition) }], structuredContent: { ...definition } } satisfies CallToolResult),
  };
}

/**
 * Wraps a tools/call runner so the meta-tools answer; any other name runs as before (a client
 * that already knows a tool's name may call it directly: it is checked exactly the same way).
 */
export function withDiscovery(runToolCall: RunToolCall, definitions: ReadonlyMap<string, ToolDefinition>): RunToolCall {
  const entries = [...definitions.values()].map(searchEntry).sort((a, b) => (a.name < b.name ? -1 : 1));
  const byName = new Map(entries.map((entry) => [entry.name, entry]));
  return async function runDiscoveryCall(name, rawArguments, context) {
    if (!names.has(name)) return runToolCall(name, rawArguments, context);
    const args = (rawArguments !== null && typeof rawArguments === "object" && !Array.isArray(rawArguments) ? rawArguments : {}) as Record<string, unknown>;
    const visible = context.access.visible;
    switch (name) {
      case "search_tools": {
        if (typeof args.query !== "string" || args.query.trim() === "") return toolError("search_tools needs a `query`: a few words describing the task.");
        const limit = Number.isInteger(args.limit) ? Math.min(Math.max(args.limit as number, 1), 50) : 10;
        const found = searchTools(args.query, entries.filter((entry) => visible.has(entry.name)), limit).map((entry) => entry.found);
        const text = found.length ? found.map((tool) => `- ${tool.name}: ${tool.summary}`).join("\n") : `No tool matches "${args.query}". Try other words.`;
        return JSON.stringify({ content: [{ type: "text", text }], structuredContent: { tools: found } } satisfies CallToolResult);
      }
      case "describe_tool": {
        const entry = typeof args.name === "string" && visible.has(args.name) ? byName.get(args.name) : undefined;
        return entry ? entry.described : toolError(`No tool named ${JSON.stringify(args.name)}. Find tools with search_tools.`);
      }
      default: {
        if (typeof args.name !== "string" || names.has(args.name)) return toolError("call_tool needs the `name` of a tool found with search_tools.");
        return runToolCall(args.name, args.arguments ?? {}, context);
      }
    }
  };
}

/** Ranks entries by how many query words their name, title and description contain (name matches weigh most); ties by name. */
function searchTools(query: string, entries: readonly SearchEntry[], limit: number): SearchEntry[] {
  const words = query.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 1);
  if (words.length === 0) return [];
  const stems = words.map((word) => (word.length > 4 ? word.replace(/(es|s)$/, "") : word));
  const scored: { entry: SearchEntry; score: number }[] = [];
  for (const entry of entries) {
    let score = 0;
    for (const stem of stems) {
      if (entry.nameText.includes(stem)) score += 3;
      if (entry.text.includes(stem)) score += 1;
    }
    if (score > 0) scored.push({ entry, score });
  }
  // Entries are in name order and the sort is stable: equal scores stay by name.
  return scored.sort((a, b) => b.score - a.score).slice(0, limit).map((item) => item.entry);
}

function summary(description: string): string {
  const first = description.split(/(?<=\.)\s|\n/)[0] ?? description;
  return first.length > 200 ? `${first.slice(0, 199)}…` : first;
}

function toolError(text: string): string {
  return JSON.stringify({ content: [{ type: "text", text }], isError: true } satisfies CallToolResult);
}
