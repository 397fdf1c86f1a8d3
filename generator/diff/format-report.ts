import type { Change } from "./types.ts";

/** The result of comparing two versions, as `toolgate diff` reports it. */
export interface DiffReport {
  /** The base version as given (`main`, `../old`). */
  readonly base: string;
  /** The head version as given (`generated` for the working tree). */
  readonly head: string;
  /** Breaking changes first (see `diffSurfaces`). */
  readonly changes: readonly Change[];
}

/** Whether a report holds a breaking change: what decides `toolgate diff`'s exit code. */
export function hasBreakingChange(report: DiffReport): boolean {
  return report.changes.some((change) => change.severity === "breaking");
}

/**
 * The report for people: breaking changes, then the others, one line each naming the tool
 * (`BREAKING create_cta: new required argument "due_date"`), then a count.
 */
export function formatDiffText(report: DiffReport): string {
  const breaking = report.changes.filter((change) => change.severity === "breaking");
  const other = report.changes.filter((change) => change.severity !== "breaking");
  const line = (prefix: string) => (change: Change) => `  ${prefix} ${change.tool ?? `endpoint ${change.endpoint}`}: ${change.message}\n`;
  const count = (n: number, what: string) => `${n} ${what} change${n === 1 ? "" : "s"}`;
  let text = `Tool surface ${report.base} → ${report.head}\n`;
  if (report.changes.length === 0) return `${text}no changes\n`;
  if (breaking.length > 0) text += `\nBreaking changes:\n${breaking.map(line("BREAKING")).join("")}`;
  if (other.length > 0) text += `\nOther changes:\n${other.map(line("info    ")).join("")}`;
  return `${text}\n${count(breaking.length, "breaking")}, ${count(other.length, "other")}\n`;
}

/** The report for machines: `{ base, head, breaking, info, changes }` with each change's fields. */
export function formatDiffJson(report: DiffReport): string {
  const breaking = report.changes.filter((change) => change.severity === "breaking").length;
  return `${JSON.stringify({ base: report.base, head: report.head, breaking, info: report.changes.length - breaking, changes: report.changes }, null, 2)}\n`;
}
