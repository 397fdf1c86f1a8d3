import type { GeneratedTool } from "../handler-api.ts";

const masked = { secret: "[secret]", personal: "[personal]" } as const;

/** The declared resource ids of a call (e.g. `{ company_id: "cmp_1" }`), from its arguments. */
export function resourceIdsOf(rawArguments: unknown, names: readonly string[]): Record<string, string> {
  const ids: Record<string, string> = {};
  if (names.length === 0 || rawArguments === null || typeof rawArguments !== "object") return ids;
  for (const name of names) {
    const value = Object.hasOwn(rawArguments, name) ? (rawArguments as Record<string, unknown>)[name] : undefined;
    if (typeof value === "string" || typeof value === "number") ids[name] = String(value).slice(0, 200);
  }
  return ids;
}

/** The arguments as the audit trail may keep them: declared secret and personal fields masked, or none. */
export function auditArguments(rawArguments: unknown, audit: GeneratedTool["audit"]): unknown {
  if (!audit.keepArguments) return null;
  if (rawArguments === null || typeof rawArguments !== "object" || Array.isArray(rawArguments)) return rawArguments ?? null;
  const kept: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(rawArguments)) {
    const kind = Object.hasOwn(audit.redact, name) ? audit.redact[name] : undefined;
    Object.defineProperty(kept, name, { value: kind ? masked[kind] : value, enumerable: true, writable: true, configurable: true });
  }
  return kept;
}
