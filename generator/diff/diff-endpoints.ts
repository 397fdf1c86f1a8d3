import type { Change, Surface } from "./types.ts";

/**
 * Tools that left or joined an endpoint, and endpoints that appeared or went away. A tool removed
 * or renamed altogether is reported as such, not once more per endpoint: `renamed` maps old names
 * to new ones, `removed` holds the tools gone from the head version.
 */
export function diffEndpoints(before: Surface, after: Surface, renamed: ReadonlyMap<string, string>, removed: ReadonlySet<string>): Change[] {
  const changes: Change[] = [];
  const headEndpoints = new Map(after.endpoints.map((endpoint) => [endpoint.path, new Set(endpoint.tools)]));
  const baseEndpoints = new Set(before.endpoints.map((endpoint) => endpoint.path));
  for (const endpoint of before.endpoints) {
    const served = headEndpoints.get(endpoint.path);
    if (served === undefined) {
      changes.push({ severity: "breaking", kind: "endpoint-removed", endpoint: endpoint.path, message: `endpoint removed (it served ${endpoint.tools.length} tool${endpoint.tools.length === 1 ? "" : "s"})` });
      continue;
    }
    const was = new Set(endpoint.tools.map((tool) => renamed.get(tool) ?? tool));
    for (const tool of endpoint.tools) {
      const name = renamed.get(tool) ?? tool;
      if (!removed.has(tool) && !served.has(name)) changes.push({ severity: "breaking", kind: "endpoint-tool-removed", tool: name, endpoint: endpoint.path, message: `no longer served on endpoint ${endpoint.path}` });
    }
    for (const tool of served) {
      // A tool new in this version is reported as added; here only tools that moved.
      if (!was.has(tool) && (before.tools.has(tool) || [...renamed.values()].includes(tool))) {
        changes.push({ severity: "info", kind: "endpoint-tool-added", tool, endpoint: endpoint.path, message: `now also served on endpoint ${endpoint.path}` });
      }
    }
  }
  for (const endpoint of after.endpoints) {
    if (!baseEndpoints.has(endpoint.path)) changes.push({ severity: "info", kind: "endpoint-added", endpoint: endpoint.path, message: `endpoint added (serving ${endpoint.tools.length} tool${endpoint.tools.length === 1 ? "" : "s"})` });
  }
  return changes;
}
