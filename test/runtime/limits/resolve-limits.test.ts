import { describe, expect, it } from "vitest";
import { resolveLimits } from "../../../runtime/limits/resolve-limits.ts";
import type { LimitsModel } from "../../../runtime/limits/index.ts";

const model = (over: Partial<LimitsModel>): LimitsModel => ({ default: {}, tenants: {}, apps: {}, onStoreError: "open", ...over });

describe("resolveLimits(model)", () => {
  it.each([
    { given: model({ default: { callsPerMinute: 0 } }), want: "limits.default.callsPerMinute must be a positive integer, not 0" },
    { given: model({ tenants: { acme: { concurrent: 1.5 } } }), want: "limits.tenants.acme.concurrent must be a positive integer, not 1.5" },
    { given: model({ apps: { claude: { writesPerMinute: "5" as unknown as number } } }), want: 'limits.apps.claude.writesPerMinute must be a positive integer, not "5"' },
    { given: model({ users: { backendCallsPerDay: -1 } }), want: "limits.users.backendCallsPerDay must be a positive integer, not -1" },
    { given: model({ default: { callsPerHour: 5 } as never }), want: "limits.default.callsPerHour is not a limit" },
    { given: model({ onStoreError: "maybe" as never }), want: 'limits.onStoreError must be "open" or "closed", not "maybe"' },
  ])("refuses a bad setting, naming it: $want", ({ given, want }) => {
    expect(() => resolveLimits(given)).toThrow(TypeError);
    expect(() => resolveLimits(given)).toThrow(want);
  });

  it("merges a tenant's override over the default field by field", () => {
    const limits = resolveLimits(model({ default: { callsPerMinute: 600, concurrent: 10 }, tenants: { big: { callsPerMinute: 6000, backendCallsPerDay: 100_000 } } }));
    expect(limits.tenant("big")).toEqual([
      { kind: "calls_per_minute", scope: "tenant", value: 6000 },
      { kind: "concurrent", scope: "tenant", value: 10 },
      { kind: "backend_calls_per_day", scope: "tenant", value: 100_000 },
    ]);
    expect(limits.tenant("acme")).toEqual([
      { kind: "calls_per_minute", scope: "tenant", value: 600 },
      { kind: "concurrent", scope: "tenant", value: 10 },
    ]);
  });

  it.each([
    { given: model({}), want: false },
    { given: model({ users: {} }), want: false },
    { given: model({ apps: { claude: { concurrent: 2 } } }), want: true },
    { given: model({ tenants: { acme: { callsPerMinute: 2 } } }), want: true },
  ])("knows whether any limit exists ($want)", ({ given, want }) => {
    expect(resolveLimits(given).any).toBe(want);
  });
});
