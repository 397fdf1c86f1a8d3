import { afterEach, describe, expect, it } from "vitest";
import { createLimiter, type Admission, type LimitKind, type Limiter, type LimitScope, type LimitsModel, type Subject } from "../../../runtime/limits/index.ts";
import { redisUrl, serviceAvailable } from "../../support/services.ts";
import { deleteKeys, readKey, uniquePrefix } from "./fixtures/redis-keys.ts";

const redisAvailable = await serviceAvailable("Redis", redisUrl);

interface Want {
  readonly limit: LimitKind;
  readonly scope: LimitScope;
  readonly value: number;
  /** Retry-After must be in 1..maxRetryAfter. */
  readonly maxRetryAfter: number;
  readonly message: RegExp;
}

interface Call {
  readonly who?: Partial<Subject>;
  readonly cost?: number;
  readonly write?: boolean;
  /** Release the admission of call number `release` (0-based) before this call. */
  readonly releaseFirst?: number;
  readonly want: "admitted" | Want;
}

interface Case {
  readonly name: string;
  readonly limits: Partial<LimitsModel>;
  readonly calls: readonly Call[];
}

const times = (count: number, call: Call): Call[] => Array.from({ length: count }, () => call);
const acme: Partial<Subject> = { tenant: "acme" };
const perMinute = (limit: LimitKind, scope: LimitScope, value: number, message: RegExp): Want => ({ limit, scope, value, maxRetryAfter: 60, message });
const secondsToNextUtcDay = () => Math.ceil((Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1) - Date.now()) / 1000) + 1;
const secondsToNextUtcMonth = () => Math.ceil((Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1) - Date.now()) / 1000) + 1;

const cases: readonly Case[] = [
  {
    name: "calls per minute: admits exactly N, then refuses for the tenant",
    limits: { default: { callsPerMinute: 3 } },
    calls: [...times(3, { want: "admitted" }), ...times(2, { want: perMinute("calls_per_minute", "tenant", 3, /^tenant acme reached its limit of 3 calls per minute; it resets at \d{4}-\d\d-\d\dT[\d:.]+Z$/) })],
  },
  {
    name: "calls per minute count the tool's cost, and a refused call counts nothing",
    limits: { default: { callsPerMinute: 10 } },
    calls: [
      ...times(3, { cost: 3, want: "admitted" }),
      { cost: 3, want: perMinute("calls_per_minute", "tenant", 10, /limit of 10 calls per minute/) },
      { cost: 3, want: perMinute("calls_per_minute", "tenant", 10, /limit of 10 calls per minute/) },
      { cost: 1, want: "admitted" },
      { cost: 1, want: perMinute("calls_per_minute", "tenant", 10, /limit of 10 calls per minute/) },
    ],
  },
  {
    name: "a tool costing more than the whole limit is refused, saying so",
    limits: { default: { callsPerMinute: 2 } },
    calls: [{ cost: 5, want: perMinute("calls_per_minute", "tenant", 2, /counts as 5 calls, more than the whole limit/) }, ...times(2, { want: "admitted" })],
  },
  {
    name: "a tool of cost 0 is not counted by call limits",
    limits: { default: { callsPerMinute: 1, backendCallsPerDay: 1 } },
    calls: [...times(5, { cost: 0, want: "admitted" }), { want: "admitted" }],
  },
  {
    name: "writes per minute count only tools that are not read-only",
    limits: { default: { writesPerMinute: 2 } },
    calls: [
      ...times(2, { write: true, want: "admitted" }),
      { write: true, want: perMinute("writes_per_minute", "tenant", 2, /^tenant acme reached its limit of 2 calls per minute to tools that change data; it resets at /) },
      ...times(5, { write: false, want: "admitted" }),
    ],
  },
  {
    name: "writes also count as calls",
    limits: { default: { callsPerMinute: 2, writesPerMinute: 5 } },
    calls: [{ write: true, want: "admitted" }, { write: false, want: "admitted" }, { write: true, want: perMinute("calls_per_minute", "tenant", 2, /calls per minute/) }],
  },
  {
    name: "concurrent: N in flight, the next refused with Retry-After 1, a released slot is free again",
    limits: { default: { concurrent: 2 } },
    calls: [
      ...times(2, { want: "admitted" }),
      { want: { limit: "concurrent", scope: "tenant", value: 2, maxRetryAfter: 1, message: /^tenant acme already has 2 calls in progress, its limit; retry when one of them ends$/ } },
      { releaseFirst: 0, want: "admitted" },
      { want: { limit: "concurrent", scope: "tenant", value: 2, maxRetryAfter: 1, message: /in progress/ } },
    ],
  },
  {
    name: "concurrent: release() is idempotent (a second call frees nothing)",
    limits: { default: { concurrent: 2 } },
    calls: [
      ...times(2, { want: "admitted" }),
      { releaseFirst: 0, want: "admitted" },
      { releaseFirst: 0, want: { limit: "concurrent", scope: "tenant", value: 2, maxRetryAfter: 1, message: /in progress/ } },
    ],
  },
  {
    name: "backend calls per day: a quota until the next UTC midnight",
    limits: { default: { backendCallsPerDay: 4 } },
    calls: [...times(2, { cost: 2, want: "admitted" }), { want: { limit: "backend_calls_per_day", scope: "tenant", value: 4, maxRetryAfter: secondsToNextUtcDay(), message: /^tenant acme used its quota of 4 backend calls per day \(UTC\); it resets at \d{4}-\d\d-\d\dT00:00:0[01]\.\d{3}Z$/ } }],
  },
  {
    name: "backend calls per month: a quota until the first of the next UTC month",
    limits: { default: { backendCallsPerMonth: 3 } },
    calls: [...times(3, { want: "admitted" }), { want: { limit: "backend_calls_per_month", scope: "tenant", value: 3, maxRetryAfter: secondsToNextUtcMonth(), message: /quota of 3 backend calls per month \(UTC\); it resets at \d{4}-\d\d-01T00:00:0[01]\.\d{3}Z$/ } }],
  },
  {
    name: "a tenant's override replaces the default field by field",
    limits: { default: { callsPerMinute: 2, concurrent: 10 }, tenants: { big: { callsPerMinute: 4 }, tight: { concurrent: 1 } } },
    calls: [
      ...times(4, { who: { tenant: "big" }, want: "admitted" }),
      { who: { tenant: "big" }, want: perMinute("calls_per_minute", "tenant", 4, /^tenant big reached its limit of 4 calls/) },
      ...times(2, { who: acme, want: "admitted" }),
      { who: acme, want: perMinute("calls_per_minute", "tenant", 2, /^tenant acme /) },
      { who: { tenant: "tight" }, want: "admitted" },
      { who: { tenant: "tight" }, want: { limit: "concurrent", scope: "tenant", value: 1, maxRetryAfter: 1, message: /^tenant tight already has 1 calls/ } },
      { who: { tenant: "tight" }, releaseFirst: 8, want: "admitted" },
      { who: { tenant: "tight" }, want: perMinute("calls_per_minute", "tenant", 2, /^tenant tight reached its limit of 2 calls/) },
    ],
  },
  {
    name: "app limits are counted per tenant and app; other apps are not limited by them",
    limits: { default: {}, apps: { claude: { callsPerMinute: 2 } } },
    calls: [
      ...times(2, { who: { tenant: "acme", client: "claude" }, want: "admitted" }),
      { who: { tenant: "acme", client: "claude" }, want: perMinute("calls_per_minute", "app", 2, /^app claude of tenant acme reached its limit of 2 calls per minute/) },
      ...times(2, { who: { tenant: "other", client: "claude" }, want: "admitted" }),
      { who: { tenant: "other", client: "claude" }, want: perMinute("calls_per_minute", "app", 2, /^app claude of tenant other /) },
      ...times(5, { who: { tenant: "acme", client: "cursor" }, want: "admitted" }),
    ],
  },
  {
    name: "user limits are counted per tenant and user",
    limits: { default: {}, users: { callsPerMinute: 1, writesPerMinute: 1 } },
    calls: [
      { who: { tenant: "acme", user: "ann" }, want: "admitted" },
      { who: { tenant: "acme", user: "ann" }, want: perMinute("calls_per_minute", "user", 1, /^user ann of tenant acme reached its limit of 1 calls per minute/) },
      { who: { tenant: "acme", user: "bob" }, want: "admitted" },
      { who: { tenant: "other", user: "ann" }, write: true, want: "admitted" },
    ],
  },
  {
    name: "ids cannot be forged into another subject's key",
    limits: { default: {}, apps: { "b:c": { callsPerMinute: 1 }, c: { callsPerMinute: 1 } } },
    calls: [
      { who: { tenant: "a", client: "b:c" }, want: "admitted" },
      { who: { tenant: "a:b", client: "c" }, want: "admitted" },
    ],
  },
  {
    name: "a refusal by the app limit does not consume the tenant's quota",
    limits: { default: { callsPerMinute: 5, backendCallsPerDay: 5 }, apps: { claude: { callsPerMinute: 2 } } },
    calls: [
      ...times(2, { who: { client: "claude" }, want: "admitted" }),
      ...times(4, { who: { client: "claude" }, want: perMinute("calls_per_minute", "app", 2, /^app claude/) }),
      ...times(3, { who: { client: "cursor" }, want: "admitted" }),
      { who: { client: "cursor" }, want: { limit: "backend_calls_per_day", scope: "tenant", value: 5, maxRetryAfter: secondsToNextUtcDay(), message: /quota/ } },
    ],
  },
  {
    name: "a refused call gives back its concurrency slot",
    limits: { default: { concurrent: 1 }, users: { callsPerMinute: 1 } },
    calls: [
      { who: { user: "ann" }, want: "admitted" },
      { who: { user: "bob" }, releaseFirst: 0, want: "admitted" },
      { who: { user: "bob" }, releaseFirst: 1, want: perMinute("calls_per_minute", "user", 1, /^user bob/) },
      { who: { user: "cat" }, want: "admitted" },
    ],
  },
  {
    name: "when several limits refuse, the one that frees last is reported",
    limits: { default: { callsPerMinute: 1, backendCallsPerDay: 1 } },
    calls: [{ want: "admitted" }, { want: { limit: "backend_calls_per_day", scope: "tenant", value: 1, maxRetryAfter: secondsToNextUtcDay(), message: /per day/ } }],
  },
  {
    name: "no limits: every call is admitted",
    limits: { default: {} },
    calls: times(50, { write: true, cost: 7, want: "admitted" }),
  },
];

const stores = [
  { store: "memory", redisUrl: undefined, skip: false },
  { store: "redis", redisUrl, skip: !redisAvailable },
] as const;

describe.each(stores)("createLimiter({ limits, redisUrl }).acquire(subject, tool), $store", ({ store, redisUrl: url, skip }) => {
  const opened: { limiter: Limiter; prefix: string }[] = [];
  afterEach(async () => {
    for (const { limiter, prefix } of opened.splice(0)) {
      await limiter.close();
      if (url !== undefined) await deleteKeys(url, prefix);
    }
  });
  const open = async (limits: Partial<LimitsModel>, extra: { onRejected?: (kind: LimitKind, scope: string) => void } = {}) => {
    const prefix = uniquePrefix(store);
    const limiter = createLimiter({ limits: { default: {}, tenants: {}, apps: {}, onStoreError: "closed", ...limits }, redisUrl: url, prefix, ...extra });
    opened.push({ limiter, prefix });
    await limiter.ready;
    return { limiter, prefix };
  };

  it.skipIf(skip).each(cases)("$name", async ({ limits, calls }) => {
    const { limiter } = await open(limits);
    expect(limiter.kind).toBe(store);
    const admissions: Admission[] = [];
    for (const [index, call] of calls.entries()) {
      if (call.releaseFirst !== undefined) {
        const earlier = admissions[call.releaseFirst];
        if (earlier?.admitted !== true) throw new Error(`case error: call ${call.releaseFirst} was not admitted`);
        earlier.release();
      }
      const admission = await limiter.acquire({ tenant: "acme", client: "claude", user: "ann", ...call.who }, { cost: call.cost ?? 1, write: call.write ?? false });
      admissions.push(admission);
      const got = admission.admitted ? "admitted" : { limit: admission.limit, scope: admission.scope, value: admission.value };
      const want = call.want === "admitted" ? "admitted" : { limit: call.want.limit, scope: call.want.scope, value: call.want.value };
      expect(got, `call ${index}`).toEqual(want);
      if (admission.admitted || call.want === "admitted") continue;
      expect(admission.retryAfterSeconds, `call ${index}: Retry-After`).toBeGreaterThan(0);
      expect(admission.retryAfterSeconds, `call ${index}: Retry-After`).toBeLessThanOrEqual(call.want.maxRetryAfter);
      expect(Number.isInteger(admission.retryAfterSeconds)).toBe(true);
      expect(admission.message, `call ${index}: message`).toMatch(call.want.message);
      expect(Date.parse(admission.resetsAt) - Date.now(), `call ${index}: resetsAt`).toBeLessThanOrEqual(admission.retryAfterSeconds * 1000);
      expect(admission.storeError).toBeUndefined();
    }
  });

  it.skipIf(skip)("reports each refusal to onRejected with its kind and scope", async () => {
    const rejected: string[] = [];
    const { limiter } = await open({ default: { callsPerMinute: 1 }, apps: { claude: { writesPerMinute: 1 } } }, { onRejected: (kind, scope) => rejected.push(`${kind} ${scope}`) });
    const subject = { tenant: "acme", client: "claude", user: "ann" };
    await limiter.acquire(subject, { cost: 1, write: false });
    await limiter.acquire(subject, { cost: 1, write: false });
    await limiter.acquire({ ...subject, tenant: "other" }, { cost: 1, write: true });
    await limiter.acquire({ ...subject, tenant: "other" }, { cost: 1, write: true });
    expect(rejected).toEqual(["calls_per_minute tenant", "calls_per_minute tenant"]);
  });

  it.skipIf(skip).each([
    { kind: "calls_per_minute", limits: { callsPerMinute: 40 }, want: 40 },
    { kind: "concurrent", limits: { concurrent: 25 }, want: 25 },
    { kind: "backend_calls_per_day", limits: { backendCallsPerDay: 30 }, want: 30 },
  ] as const)("$kind: admits exactly N of many calls fired at once", async ({ kind, limits, want }) => {
    const { limiter } = await open({ default: limits });
    const admissions = await Promise.all(Array.from({ length: 100 }, () => limiter.acquire({ tenant: "acme", client: "claude", user: "ann" }, { cost: 1, write: true })));
    expect(admissions.filter((admission) => admission.admitted)).toHaveLength(want);
    expect(new Set(admissions.flatMap((admission) => (admission.admitted ? [] : [admission.limit])))).toEqual(new Set([kind]));
  });

  it.skipIf(skip)("gives back what calls refused in a burst took, once the burst is over", async () => {
    const { limiter } = await open({ default: { callsPerMinute: 40, concurrent: 25 } });
    const subject = { tenant: "acme", client: "claude", user: "ann" };
    const burst = await Promise.all(Array.from({ length: 100 }, () => limiter.acquire(subject, { cost: 1, write: true })));
    expect(burst.filter((admission) => admission.admitted)).toHaveLength(25);
    for (const admission of burst) if (admission.admitted) admission.release();
    await new Promise((resolve) => setTimeout(resolve, 50));
    let admitted = 0;
    for (let index = 0; index < 30; index++) {
      const admission = await limiter.acquire(subject, { cost: 1, write: true });
      if (admission.admitted) {
        admitted++;
        admission.release();
      }
    }
    expect(admitted).toBe(15);
  });

  it.skipIf(skip)("rejects a cost that is not a non-negative integer", async () => {
    const { limiter } = await open({ default: { callsPerMinute: 1 } });
    await expect(limiter.acquire({ tenant: "acme", client: "claude", user: "ann" }, { cost: 1.5, write: false })).rejects.toThrow(TypeError);
    await expect(limiter.acquire({ tenant: "acme", client: "claude", user: "ann" }, { cost: -1, write: false })).rejects.toThrow(TypeError);
  });

  // Redis only: the memory store has no counter to inspect.
  if (url !== undefined) it.skipIf(skip)("keeps refused calls out of the counter in Redis (no compensating write needed)", async () => {
    const { limiter, prefix } = await open({ default: { callsPerMinute: 5 } });
    const subject = { tenant: "acme", client: "claude", user: "ann" };
    for (let index = 0; index < 12; index++) await limiter.acquire(subject, { cost: 2, write: false });
    expect(await readKey(url!, `${prefix}calls_per_minute:t:acme`)).toBe("4");
  });
});
