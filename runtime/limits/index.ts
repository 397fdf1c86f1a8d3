/**
 * Per-tenant, per-app and per-user limits on tool calls (rate limits, concurrency, quotas), in
 * memory or shared through Redis. See docs/limits.md.
 */
export { createLimiter } from "./create-limiter.ts";
export type { Admission, Admitted, LimitKind, Limiter, LimiterOptions, LimitScope, LimitsModel, LimitValues, Refused, Subject, ToolCost } from "./types.ts";
