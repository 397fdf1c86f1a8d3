import type { LimitKind, LimitScope, LimitsModel, LimitValues } from "./types.ts";

/** One limit that applies to a call. */
export interface Check {
  readonly kind: LimitKind;
  readonly scope: LimitScope;
  readonly value: number;
}

/** The checks of each subject, resolved once and cached (the model is fixed for the process). */
export interface ResolvedLimits {
  tenant(tenant: string): readonly Check[];
  app(client: string): readonly Check[];
  readonly user: readonly Check[];
  readonly onStoreError: "open" | "closed";
  /** Whether any limit exists at all (else every call is admitted without touching the store). */
  readonly any: boolean;
}

const fields: readonly (readonly [keyof LimitValues, LimitKind])[] = [
  ["callsPerMinute", "calls_per_minute"],
  ["writesPerMinute", "writes_per_minute"],
  ["concurrent", "concurrent"],
  ["backendCallsPerDay", "backend_calls_per_day"],
  ["backendCallsPerMonth", "backend_calls_per_month"],
];
const fieldNames = new Set<string>(fields.map(([field]) => field));

/**
 * Checks the model once at start-up (a bad value throws a TypeError naming the setting, e.g.
 * `limits.tenants.acme.callsPerMinute`) and turns it into per-subject lists of checks.
 */
export function resolveLimits(model: LimitsModel): ResolvedLimits {
  if (model.onStoreError !== "open" && model.onStoreError !== "closed") throw new TypeError(`limits.onStoreError must be "open" or "closed", not ${JSON.stringify(model.onStoreError)}`);
  checkValues(model.default, "limits.default");
  for (const [tenant, values] of Object.entries(model.tenants)) checkValues(values, `limits.tenants.${tenant}`);
  for (const [client, values] of Object.entries(model.apps)) checkValues(values, `limits.apps.${client}`);
  if (model.users !== undefined) checkValues(model.users, "limits.users");

  const defaultTenant = checksOf(model.default, "tenant");
  const tenants = new Map(Object.entries(model.tenants).map(([tenant, values]) => [tenant, checksOf({ ...model.default, ...definedOnly(values) }, "tenant")]));
  const apps = new Map(Object.entries(model.apps).map(([client, values]) => [client, checksOf(values, "app")]));
  const user = model.users === undefined ? [] : checksOf(model.users, "user");
  const none: readonly Check[] = [];
  return {
    tenant: (tenant) => tenants.get(tenant) ?? defaultTenant,
    app: (client) => apps.get(client) ?? none,
    user,
    onStoreError: model.onStoreError,
    any: defaultTenant.length > 0 || [...tenants.values(), ...apps.values()].some((checks) => checks.length > 0) || user.length > 0,
  };
}

function checkValues(values: LimitValues, where: string): void {
  if (typeof values !== "object" || values === null) throw new TypeError(`${where} must be an object of limits`);
  for (const [field, value] of Object.entries(values)) {
    if (!fieldNames.has(field)) throw new TypeError(`${where}.${field} is not a limit (known: ${[...fieldNames].join(", ")})`);
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) throw new TypeError(`${where}.${field} must be a positive integer, not ${JSON.stringify(value)}`);
  }
}

function definedOnly(values: LimitValues): LimitValues {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined));
}

function checksOf(values: LimitValues, scope: LimitScope): readonly Check[] {
  const checks: Check[] = [];
  for (const [field, kind] of fields) {
    const value = values[field];
    if (value !== undefined) checks.push(Object.freeze({ kind, scope, value }));
  }
  return Object.freeze(checks);
}
