import type { Logger } from "pino";

/** Limits of one kind of subject; absent = unlimited. Calls and quotas count a tool's cost (default 1). */
export interface LimitValues {
  /** Every `tools/call`, in a fixed one-minute window. */
  readonly callsPerMinute?: number;
  /** `tools/call` of a tool that is not read-only: the guard against runaway bulk actions. */
  readonly writesPerMinute?: number;
  /** Calls in flight at once. */
  readonly concurrent?: number;
  /** Quota per calendar day, UTC. */
  readonly backendCallsPerDay?: number;
  /** Quota per calendar month, UTC. */
  readonly backendCallsPerMonth?: number;
}

/** gateway.yaml `limits:`, resolved from the specs by the generator. */
export interface LimitsModel {
  /** Per tenant. */
  readonly default: LimitValues;
  /** Per-tenant overrides, field by field over `default`. */
  readonly tenants: Readonly<Record<string, LimitValues>>;
  /** Per OAuth app (by client id), counted separately within each tenant. */
  readonly apps: Readonly<Record<string, LimitValues>>;
  /** Per user within a tenant, for every user. */
  readonly users?: LimitValues | undefined;
  /** When the store (Redis) fails: admit every call, or refuse it with `storeError: true`. */
  readonly onStoreError: "open" | "closed";
}

export interface Subject {
  readonly tenant: string;
  /** The OAuth app's client id. */
  readonly client: string;
  readonly user: string;
}

export interface ToolCost {
  /** Weight of one call in the call limits and quotas: a non-negative integer. */
  readonly cost: number;
  /** Whether the tool is not read-only (counts towards `writesPerMinute`). */
  readonly write: boolean;
}

export type LimitKind = "calls_per_minute" | "writes_per_minute" | "concurrent" | "backend_calls_per_day" | "backend_calls_per_month";

export type LimitScope = "tenant" | "app" | "user";

export interface Admitted {
  readonly admitted: true;
  /** Call when the tool call ends, however it ends: frees its concurrency slots. Idempotent. */
  release(): void;
}

export interface Refused {
  readonly admitted: false;
  readonly limit: LimitKind;
  readonly scope: LimitScope;
  /** The limit's value. */
  readonly value: number;
  /** Seconds until the refusing limit frees enough room (the `Retry-After` header), at least 1. */
  readonly retryAfterSeconds: number;
  /** When the refusing limit resets, ISO 8601. */
  readonly resetsAt: string;
  /** For the caller, e.g. "tenant acme reached its limit of 600 calls per minute; it resets at …". */
  readonly message: string;
  /** Set when the store could not be reached and `onStoreError` is "closed" (answer 503, not 429). */
  readonly storeError?: true;
}

export type Admission = Admitted | Refused;

export interface Limiter {
  /** Checks and counts one tool call against every applicable limit. Never throws for a store failure. */
  acquire(subject: Subject, tool: ToolCost): Promise<Admission>;
  readonly kind: "memory" | "redis";
  /** Settles once the store is connected (at once in memory); never rejects. Calls may come before it. */
  readonly ready: Promise<void>;
  close(): Promise<void>;
}

export interface LimiterOptions {
  readonly limits: LimitsModel;
  /** Shares the limits across instances through Redis; in memory (this process only) without it. */
  readonly redisUrl?: string | undefined;
  /** Prefix of every Redis key. Default "toolgate:limits:". */
  readonly prefix?: string | undefined;
  /** How long a Redis command may take before the call is decided as a store failure. Default 500 ms. */
  readonly storeTimeoutMs?: number | undefined;
  /** Safety expiry of a concurrency slot whose release never comes (a crashed instance). Default 300 s. */
  readonly slotExpirySeconds?: number | undefined;
  readonly logger?: Logger | undefined;
  /** Called once per store outage, when it starts (for a metric). */
  readonly onStoreError?: ((error: Error) => void) | undefined;
  /** Called for every refused call (for a metric); scope is "tenant", "app" or "user". */
  readonly onRejected?: ((kind: LimitKind, scope: string) => void) | undefined;
}
