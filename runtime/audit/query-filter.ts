import { InvalidAuditQueryError } from "./audit-errors.ts";
import { isAuditOutcome } from "./audit-row.ts";
import { decodeCursor, type CursorPosition } from "./cursor.ts";
import type { AuditOutcome, AuditQuery } from "./index.ts";

/** An `AuditQuery` checked, with times in milliseconds and the cursor decoded. */
export interface ResolvedQuery {
  readonly tenant?: string;
  readonly user?: string;
  readonly client?: string;
  readonly endpoint?: string;
  readonly tool?: string;
  readonly outcome?: AuditOutcome;
  readonly fromMs?: number;
  readonly toMs?: number;
  readonly after?: CursorPosition;
  readonly limit: number;
}

export const defaultLimit = 50;
export const maxLimit = 500;

/** Checks a query from outside; an absent filter is no filter, an empty string is a filter that matches "". */
export function resolveQuery(query: AuditQuery): ResolvedQuery {
  const resolved: { -readonly [K in keyof ResolvedQuery]: ResolvedQuery[K] } = { limit: resolveLimit(query.limit) };
  for (const name of ["tenant", "user", "client", "endpoint", "tool"] as const) {
    const value: unknown = query[name];
    if (value === undefined) continue;
    if (typeof value !== "string") throw new InvalidAuditQueryError(`${name} must be a string`);
    resolved[name] = value;
  }
  if (query.outcome !== undefined) {
    if (!isAuditOutcome(query.outcome)) throw new InvalidAuditQueryError(`outcome must be one of the audit outcomes, not ${JSON.stringify(query.outcome)}`);
    resolved.outcome = query.outcome;
  }
  if (query.from !== undefined) resolved.fromMs = resolveTime("from", query.from);
  if (query.to !== undefined) resolved.toMs = resolveTime("to", query.to);
  if (query.cursor !== undefined) resolved.after = decodeCursor(query.cursor);
  return resolved;
}

/** How a store writes parameters and values. */
export interface SqlDialect {
  readonly placeholder: (index: number) => string;
  /** The value compared with the `started_at` column. */
  readonly time: (ms: number) => unknown;
  /** The value compared with the `id` column. */
  readonly id: (id: string) => unknown;
}

/** The WHERE clause (possibly empty) of a query, and its parameters. Column names are the same in both stores. */
export function whereClause(query: ResolvedQuery, dialect: SqlDialect): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const param = (value: unknown) => dialect.placeholder(params.push(value));
  const conditions: string[] = [];
  const equal: [string, string | undefined][] = [["tenant", query.tenant], ["user_id", query.user], ["client_id", query.client], ["endpoint", query.endpoint], ["tool", query.tool], ["outcome", query.outcome]];
  for (const [column, value] of equal) if (value !== undefined) conditions.push(`${column} = ${param(value)}`);
  if (query.fromMs !== undefined) conditions.push(`started_at >= ${param(dialect.time(query.fromMs))}`);
  if (query.toMs !== undefined) conditions.push(`started_at < ${param(dialect.time(query.toMs))}`);
  if (query.after !== undefined) conditions.push(`(started_at, id) < (${param(dialect.time(query.after.timeMs))}, ${param(dialect.id(query.after.id))})`);
  return { sql: conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "", params };
}

function resolveLimit(limit: unknown): number {
  if (limit === undefined) return defaultLimit;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > maxLimit) throw new InvalidAuditQueryError(`limit must be a whole number from 1 to ${maxLimit}`);
  return limit;
}

function resolveTime(name: string, value: unknown): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new InvalidAuditQueryError(`${name} must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z`);
  return ms;
}
