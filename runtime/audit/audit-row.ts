import type { AuditOutcome, AuditRecord } from "./index.ts";

/** A record checked and serialised at append time, ready for either store. */
export interface AuditRow {
  /** Milliseconds since the epoch (PostgreSQL gets it as ISO 8601 when the batch is sent). */
  readonly timeMs: number;
  readonly requestId: string;
  readonly tenant: string;
  readonly user: string;
  readonly client: string;
  readonly endpoint: string;
  readonly tool: string;
  /** JSON. */
  readonly resourceIds: string;
  readonly outcome: AuditOutcome;
  readonly errorCode: string | null;
  readonly backendStatus: number | null;
  readonly latencyMs: number;
  /** JSON. */
  readonly arguments: string;
}

/** A row as a store reads it back. */
export interface StoredRow {
  readonly id: string;
  readonly timeIso: string;
  readonly requestId: string;
  readonly tenant: string;
  readonly user: string;
  readonly client: string;
  readonly endpoint: string;
  readonly tool: string;
  readonly resourceIds: unknown;
  readonly outcome: string;
  readonly errorCode: string | null;
  readonly backendStatus: number | null;
  readonly latencyMs: number;
  readonly arguments: unknown;
}

/** Every outcome, in the order of the union. */
export const auditOutcomes: readonly AuditOutcome[] = Object.freeze(["ok", "invalid_arguments", "backend_error", "backend_timeout", "backend_unreachable", "backend_bad_response", "denied", "unknown_tool", "limited", "internal_error"]);
const outcomes: ReadonlySet<string> = new Set(auditOutcomes);

export function isAuditOutcome(value: unknown): value is AuditOutcome {
  return typeof value === "string" && outcomes.has(value);
}

/**
 * Checks and serialises a record. Done at append time, not at write time, so that one bad record
 * fails its own append and not the batch it would have joined, and so that later changes to the
 * caller's objects cannot alter what is stored.
 */
export function toAuditRow(record: AuditRecord, maxArgumentsLength: number): AuditRow {
  const timeMs = Date.parse(record.time);
  if (!Number.isFinite(timeMs)) throw new TypeError(`audit record: time is not an ISO 8601 time: ${JSON.stringify(record.time)}`);
  if (!isAuditOutcome(record.outcome)) throw new TypeError(`audit record: unknown outcome ${JSON.stringify(record.outcome)}`);
  return {
    timeMs,
    requestId: storableText(record.requestId),
    tenant: storableText(record.tenant),
    user: storableText(record.user),
    client: storableText(record.client),
    endpoint: storableText(record.endpoint),
    tool: storableText(record.tool),
    resourceIds: storableJson(record.resourceIds ?? {}),
    outcome: record.outcome,
    errorCode: record.errorCode === null || record.errorCode === undefined ? null : storableText(record.errorCode),
    backendStatus: Number.isInteger(record.backendStatus) ? record.backendStatus : null,
    latencyMs: Number.isFinite(record.latencyMs) ? record.latencyMs : 0,
    arguments: truncated(storableJson(record.arguments ?? null), maxArgumentsLength),
  };
}

/** Converts a stored row back into the record shape of `AuditPage`. */
export function fromStoredRow(row: StoredRow): AuditRecord & { readonly id: string } {
  return {
    id: row.id,
    time: row.timeIso,
    requestId: row.requestId,
    tenant: row.tenant,
    user: row.user,
    client: row.client,
    endpoint: row.endpoint,
    tool: row.tool,
    resourceIds: row.resourceIds as Record<string, string>,
    outcome: row.outcome as AuditOutcome,
    errorCode: row.errorCode,
    backendStatus: row.backendStatus,
    latencyMs: row.latencyMs,
    arguments: row.arguments,
  };
}

// PostgreSQL text and jsonb reject NUL and lone surrogates, which would fail a whole batch:
// both stores keep the same replacement (U+FFFD) so they hold identical data.
const unstorable = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableText(value: unknown): string {
  const text = typeof value === "string" ? value : String(value);
  // test() first: most text has nothing to replace, and test() allocates nothing.
  unstorable.lastIndex = 0;
  return unstorable.test(text) ? text.replace(unstorable, "\uFFFD") : text;
}

function storableJson(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(`audit record: not JSON-serialisable (${error instanceof Error ? error.message : String(error)})`);
  }
  if (json === undefined) return "null";
  // Cheap check first: JSON.stringify escapes NUL as \u0000 and a lone surrogate as \udXXX.
  return /\\u(0000|d[89a-f])/i.test(json) ? JSON.stringify(storableValue(value)) : json;
}

function storableValue(value: unknown): unknown {
  if (typeof value === "string") return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value !== null && typeof value === "object" && typeof (value as { toJSON?: unknown }).toJSON !== "function") {
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [storableText(key), storableValue(entry)]));
  }
  return value;
}

function truncated(json: string, maxLength: number): string {
  return json.length <= maxLength ? json : JSON.stringify({ $truncated: true, length: json.length });
}
