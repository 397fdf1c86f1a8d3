import { StartupError } from "../errors.ts";
import type { GeneratedTool } from "../handler-api.ts";
import type { GeneratedBundle } from "../config/load-generated.ts";
import type { Settings } from "../config/resolve-settings.ts";
import type { CallerToolFacts } from "../policy/caller-tools.ts";
import type { RunnableOperation, RunnableTool } from "./call-tool.ts";

/** Runnable tools by name: each with its backend, each composite with its steps' tools. */
export function runnableTools(bundle: GeneratedBundle, settings: Settings): Map<string, RunnableTool> {
  const tools = new Map<string, RunnableTool>();
  const argumentNames = (tool: GeneratedTool) => Object.keys((tool.definition.inputSchema.properties as object | undefined) ?? {});
  for (const tool of bundle.tools) {
    if (tool.kind === "composite") continue;
    const target = settings.backends.get(tool.backend);
    if (!target) throw new StartupError(`tool ${tool.definition.name} uses backend "${tool.backend}", which the manifest does not define: run \`toolgate generate\``);
    tools.set(tool.definition.name, { tool, target, argumentNames: argumentNames(tool) });
  }
  for (const tool of bundle.tools) {
    if (tool.kind !== "composite") continue;
    const steps = new Map<string, RunnableOperation>();
    for (const step of tool.handler.steps) {
      const runnable = tools.get(step.tool);
      if (!runnable || runnable.target === undefined) throw new StartupError(`composite tool ${tool.definition.name} calls ${step.tool}, which generated/ does not define: run \`toolgate generate\``);
      steps.set(step.id, runnable);
    }
    tools.set(tool.definition.name, { tool, target: undefined, argumentNames: argumentNames(tool), steps });
  }
  return tools;
}

/** What the cache needs of each tool: a composite also needs the tools it calls. */
export function toolFacts(bundle: GeneratedBundle): CallerToolFacts[] {
  return bundle.tools.map((tool) => ({ definition: tool.definition, scopes: tool.scopes, ...requiresOf(tool) }));
}

/** A composite's `requires`: the tools its steps call (nothing for a tool over one operation). */
export function requiresOf(tool: GeneratedTool): { readonly requires?: readonly string[] } {
  return tool.kind === "composite" ? { requires: tool.handler.steps.map((step) => step.tool) } : {};
}

