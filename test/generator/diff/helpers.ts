import type { Change, EndpointSurface, Surface, ToolSurface } from "../../../generator/index.ts";

/** Changes of one tool as `severity kind: message`, the form the diff tests compare. */
export function lines(changes: readonly Change[]): string[] {
  return changes.map((change) => `${change.severity} ${change.kind}: ${change.message}`);
}

/** Changes as `subject severity kind: message`, the subject being the tool or the endpoint. */
export function subjectLines(changes: readonly Change[]): string[] {
  return changes.map((change) => `${change.tool ?? `endpoint ${change.endpoint}`} ${lines([change])[0]}`);
}

/**
 * A read-only tool calling operation `name` (`GET /name`) of backend `shop`, with an empty input;
 * `overrides` change any field (an `operation` of its own also sets the path).
 */
export function tool(name: string, overrides: Partial<ToolSurface> = {}): ToolSurface {
  const operation = overrides.operation ?? name;
  return {
    name,
    title: undefined,
    description: "A tool.",
    inputSchema: { type: "object", properties: {}, additionalProperties: false },
    outputSchema: undefined,
    scopes: [],
    annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    backend: "shop",
    operation,
    method: "GET",
    path: `/${operation}`,
    ...overrides,
  };
}

/** A surface of these tools, on one endpoint `/mcp` unless `endpoints` says otherwise. */
export function surface(tools: readonly ToolSurface[], endpoints?: readonly EndpointSurface[]): Surface {
  return { label: "test", tools: new Map(tools.map((entry) => [entry.name, entry])), endpoints: endpoints ?? [{ path: "/mcp", tools: tools.map((entry) => entry.name) }] };
}
