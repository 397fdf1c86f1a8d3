import type { ToolSurface } from "./types.ts";

/** A tool that is gone under its old name and present under a new one. */
export interface Rename {
  readonly before: ToolSurface;
  readonly after: ToolSurface;
}

// First by backend operation id, then by backend method and path (an operation id renamed in the
// OpenAPI document in the same change).
const keys: readonly ((tool: ToolSurface) => string)[] = [
  (tool) => `${tool.backend}\0${tool.operation}`,
  (tool) => `${tool.backend}\0${tool.method} ${tool.path}`,
];

/**
 * Pairs removed tools with added tools that call the same backend operation. Only one-to-one
 * matches pair: when two removed or two added tools share an operation, which became which is
 * a guess, so they stay "removed" and "added" (removal is breaking either way).
 */
export function matchRenames(removed: readonly ToolSurface[], added: readonly ToolSurface[]): Rename[] {
  const renames: Rename[] = [];
  let [left, right] = [removed, added];
  for (const key of keys) {
    const group = (tools: readonly ToolSurface[]) => {
      const groups = new Map<string, ToolSurface[]>();
      for (const tool of tools) groups.set(key(tool), [...(groups.get(key(tool)) ?? []), tool]);
      return groups;
    };
    const [before, after] = [group(left), group(right)];
    for (const [operation, candidates] of before) {
      const matches = after.get(operation);
      if (candidates.length === 1 && matches?.length === 1) renames.push({ before: candidates[0]!, after: matches[0]! });
    }
    const paired = new Set(renames.flatMap((rename) => [rename.before, rename.after]));
    [left, right] = [left.filter((tool) => !paired.has(tool)), right.filter((tool) => !paired.has(tool))];
  }
  return renames.sort((a, b) => (a.after.name < b.after.name ? -1 : a.after.name > b.after.name ? 1 : 0));
}
