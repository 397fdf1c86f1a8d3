import { diffInputSchema } from "./diff-input-schema.ts";
import { diffOutputSchema } from "./diff-output-schema.ts";
import type { Change, ToolSurface } from "./types.ts";

/**
 * Every change between two versions of one tool (the same tool, or the two ends of a rename),
 * named by the tool's head-side name: metadata, scopes, annotations, then input and output schemas.
 */
export function diffTool(before: ToolSurface, after: ToolSurface): Change[] {
  const tool = after.name;
  return [
    ...diffMetadata(before, after),
    ...diffScopes(before, after),
    ...diffAnnotations(before, after),
    ...diffInputSchema(tool, before.inputSchema, after.inputSchema),
    ...diffOutputSchema(tool, before.outputSchema, after.outputSchema),
  ];
}

function diffMetadata(before: ToolSurface, after: ToolSurface): Change[] {
  const tool = after.name;
  const changes: Change[] = [];
  if (before.title !== after.title) changes.push({ severity: "info", kind: "title-changed", tool, message: `title changed from ${JSON.stringify(before.title ?? null)} to ${JSON.stringify(after.title ?? null)}` });
  if (before.description !== after.description) changes.push({ severity: "info", kind: "description-changed", tool, message: "description changed" });
  const operation = (surface: ToolSurface) => `${surface.backend} ${surface.operation} (${surface.method} ${surface.path})`;
  if (operation(before) !== operation(after)) changes.push({ severity: "info", kind: "operation-changed", tool, message: `now calls ${operation(after)}, was ${operation(before)}` });
  return changes;
}

// A tool is visible to a caller only with every one of its scopes (runtime/policy/decide-access.ts).
function diffScopes(before: ToolSurface, after: ToolSurface): Change[] {
  const tool = after.name;
  const added = after.scopes.filter((scope) => !before.scopes.includes(scope));
  const removed = before.scopes.filter((scope) => !after.scopes.includes(scope));
  const list = (scopes: readonly string[]) => (scopes.length === 0 ? "none" : scopes.join(" "));
  if (added.length > 0) {
    const message = removed.length > 0 ? `scopes changed from ${list(before.scopes)} to ${list(after.scopes)}: callers now need ${added.join(" ")}` : `scope added: callers now need ${added.join(" ")}`;
    return [{ severity: "breaking", kind: "scope-added", tool, message }];
  }
  return removed.length > 0 ? [{ severity: "info", kind: "scope-removed", tool, message: `scope removed: ${removed.join(" ")}` }] : [];
}

// MCP's defaults for missing hints: not read-only, destructive, not idempotent, open world.
const hintDefaults: Readonly<Record<string, boolean>> = { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true };

function hint(surface: ToolSurface, name: string): boolean {
  const value = surface.annotations[name];
  return typeof value === "boolean" ? value : (hintDefaults[name] ?? false);
}

// destructiveHint only means something for a tool that is not read-only.
function destructive(surface: ToolSurface): boolean {
  return !hint(surface, "readOnlyHint") && hint(surface, "destructiveHint");
}

function diffAnnotations(before: ToolSurface, after: ToolSurface): Change[] {
  const tool = after.name;
  const changes: Change[] = [];
  if (hint(before, "readOnlyHint") && !hint(after, "readOnlyHint")) changes.push({ severity: "breaking", kind: "annotation-changed", tool, message: "no longer read-only (readOnlyHint false): read-only apps lose it, clients may now ask for confirmation" });
  if (!destructive(before) && destructive(after)) changes.push({ severity: "breaking", kind: "annotation-changed", tool, message: "became destructive (destructiveHint true)" });
  if (!hint(before, "readOnlyHint") && hint(after, "readOnlyHint")) changes.push({ severity: "info", kind: "annotation-changed", tool, message: "now read-only (readOnlyHint true)" });
  if (destructive(before) && !destructive(after) && !hint(after, "readOnlyHint")) changes.push({ severity: "info", kind: "annotation-changed", tool, message: "no longer destructive (destructiveHint false)" });
  for (const name of ["idempotentHint", "openWorldHint"]) {
    if (hint(before, name) !== hint(after, name)) changes.push({ severity: "info", kind: "annotation-changed", tool, message: `${name} changed from ${hint(before, name)} to ${hint(after, name)}` });
  }
  return changes;
}
