import type { Check } from "./resolve-limits.ts";
import type { Subject } from "./types.ts";

const units = {
  calls_per_minute: "limit of VALUE calls per minute",
  writes_per_minute: "limit of VALUE calls per minute to tools that change data",
  backend_calls_per_day: "quota of VALUE backend calls per day (UTC)",
  backend_calls_per_month: "quota of VALUE backend calls per month (UTC)",
} as const;

/** The message a caller (often a model) reads: who hit which limit, and when to come back. */
export function describeRefusal(check: Check, subject: Subject, resetsAt: string, cost: number): string {
  const who = check.scope === "tenant" ? `tenant ${subject.tenant}` : check.scope === "app" ? `app ${subject.client} of tenant ${subject.tenant}` : `user ${subject.user} of tenant ${subject.tenant}`;
  if (check.kind === "concurrent") return `${who} already has ${check.value} calls in progress, its limit; retry when one of them ends`;
  const verb = check.kind === "calls_per_minute" || check.kind === "writes_per_minute" ? "reached" : "used";
  const reached = `${who} ${verb} its ${units[check.kind].replace("VALUE", String(check.value))}; it resets at ${resetsAt}`;
  return cost > check.value ? `${reached}, but this tool counts as ${cost} calls, more than the whole limit, so it cannot be called under it` : reached;
}

/** The message when the limits cannot be checked and `onStoreError` is "closed". */
export const storeErrorMessage = "the gateway cannot check its rate limits right now (its limit store is unreachable); retry in a few seconds";
