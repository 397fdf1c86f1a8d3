import { diffEndpoints } from "./diff-endpoints.ts";
import { diffTool } from "./diff-tool.ts";
import { matchRenames } from "./match-renames.ts";
import type { Change, Surface } from "./types.ts";

/**
 * Every change from the `before` tool surface to the `after` one, breaking changes first, then
 * by tool: tools removed, renamed (a removed and an added tool calling the same backend
 * operation) and added, each remaining tool compared field by field, and endpoint membership.
 */
export function diffSurfaces(before: Surface, after: Surface): Change[] {
  const removed = [...before.tools.values()].filter((tool) => !after.tools.has(tool.name));
  const added = [...after.tools.values()].filter((tool) => !before.tools.has(tool.name));
  const renames = matchRenames(removed, added);
  const renamedFrom = new Set(renames.map((rename) => rename.before.name));
  const renamedTo = new Set(renames.map((rename) => rename.after.name));
  const changes: Change[] = [];
  for (const tool of removed) {
    if (!renamedFrom.has(tool.name)) changes.push({ severity: "breaking", kind: "tool-removed", tool: tool.name, message: "tool removed" });
  }
  for (const { before: old, after: renamed } of renames) {
    changes.push({ severity: "breaking", kind: "tool-renamed", tool: renamed.name, message: `renamed ${old.name} → ${renamed.name} (same backend operation)` });
    changes.push(...diffTool(old, renamed));
  }
  for (const tool of added) {
    if (!renamedTo.has(tool.name)) changes.push({ severity: "info", kind: "tool-added", tool: tool.name, message: "tool added" });
  }
  for (const [name, tool] of before.tools) {
    const next = after.tools.get(name);
    if (next !== undefined) changes.push(...diffTool(tool, next));
  }
  const gone = new Set(removed.filter((tool) => !renamedFrom.has(tool.name)).map((tool) => tool.name));
  changes.push(...diffEndpoints(before, after, new Map(renames.map((rename) => [rename.before.name, rename.after.name])), gone));
  return sortChanges(changes);
}

// Stable: within one tool, changes keep the order the comparison found them in.
function sortChanges(changes: readonly Change[]): Change[] {
  const rank = (change: Change) => (change.severity === "breaking" ? 0 : 1);
  const subject = (change: Change) => change.tool ?? `\u0000${change.endpoint ?? ""}`;
  return changes.toSorted((a, b) => rank(a) - rank(b) || (subject(a) < subject(b) ? -1 : subject(a) > subject(b) ? 1 : 0));
}
