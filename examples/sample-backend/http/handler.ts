import type { Store } from '../db/store.ts';
import type { Clock } from '../domain/dates.ts';

/** What an operation handler receives: already authenticated, tenant-checked and schema-validated. */
export interface HandlerInput {
  store: Store;
  clock: Clock;
  tenantId: string;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, unknown>>;
  body: Readonly<Record<string, unknown>>;
}

/** An operation handler: a plain function returning the response body (or throwing an `ApiError`). */
export type Handler = (input: HandlerInput) => unknown;

export type HandlerTable = Readonly<Record<string, Handler>>;

// Inputs were validated against the OpenAPI document before the handler runs, so these readers
// only narrow types; they never need to report errors.

export function readString(source: Readonly<Record<string, unknown>>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' ? value : undefined;
}

export function readNumber(source: Readonly<Record<string, unknown>>, key: string): number | undefined {
  const value = source[key];
  return typeof value === 'number' ? value : undefined;
}

export function readBoolean(source: Readonly<Record<string, unknown>>, key: string): boolean | undefined {
  const value = source[key];
  return typeof value === 'boolean' ? value : undefined;
}

export function readStrings(source: Readonly<Record<string, unknown>>, key: string): string[] | undefined {
  const value = source[key];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

export function has(source: Readonly<Record<string, unknown>>, key: string): boolean {
  return Object.hasOwn(source, key);
}

/** Page bounds; the OpenAPI document gives every list operation `limit` (default 25) and `offset` (default 0). */
export function readPage(query: Readonly<Record<string, unknown>>): { limit: number; offset: number } {
  return { limit: readNumber(query, 'limit') ?? 25, offset: readNumber(query, 'offset') ?? 0 };
}

export function param(input: HandlerInput, name: string): string {
  const value = input.params[name];
  if (value === undefined) throw new TypeError(`route has no path parameter '${name}'`);
  return value;
}
