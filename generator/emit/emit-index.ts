import type { GatewaySpecModel, ToolModel } from "../model/types.ts";
import { jsonFile, toolIdentifier } from "./code.ts";
import { outputValidatorName } from "./emit-validators.ts";
import { render } from "./templates.ts";

/** What tools/list shows for a tool: exactly this object. */
export function toolDefinition(tool: ToolModel): Record<string, unknown> {
  return {
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    description: tool.description,
    inputSchema: tool.inputSchema,
    ...(tool.outputSchema ? { outputSchema: tool.outputSchema } : {}),
    annotations: tool.annotations,
    ...(tool.category !== undefined ? { _meta: { [CATEGORY_META_KEY]: tool.category } } : {}),
  };
}

/** Where a tool's category goes in its definition: a `_meta` key of toolgate's own (MCP reserves unprefixed and mcp-prefixed ones). */
export const CATEGORY_META_KEY = "dev.toolgate/category";

/** The manifest: gateway settings and, per tool, where it comes from and what it calls. */
export function emitManifest(model: GatewaySpecModel): string {
  return jsonFile({
    generatedBy: "toolgate generate",
    formatVersion: 1,
    sources: model.sources,
    gateway: model.gateway,
    tools: model.tools.map((tool) => ({
      name: tool.name,
      backend: tool.backend,
      operation: tool.composite ? `composite of ${tool.composite.steps.map((step) => step.tool).join(", ")}` : tool.operationId,
      method: tool.method,
      path: tool.path,
      scopes: tool.scopes,
      source: `${tool.source.file}:${tool.source.line}`,
    })),
  });
}

export function emitIndex(model: GatewaySpecModel, handlerApiModule: string): string {
  return render("index.js", {
    handlerApiModule,
    prompts: model.prompts.length > 0,
    tools: model.tools.map((tool) => {
      const id = toolIdentifier(tool.name).text;
      return {
        module: id,
        validator: id,
        outputValidator: tool.outputSchema ? outputValidatorName(tool.name) : undefined,
        name: tool.name,
        modulePath: `./tools/${tool.name}.js`,
        kind: tool.composite ? "composite" : "operation",
        backend: tool.composite ? undefined : tool.backend,
        scopes: tool.scopes,
        cost: tool.cost,
        audit: tool.audit,
      };
    }),
  });
}

