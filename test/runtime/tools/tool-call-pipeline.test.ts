import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type { AuditOutcome, AuditRecord } from "../../../runtime/audit/index.ts";
import type { BackendClient, BackendOutcome, BackendTarget } from "../../../runtime/backend/backend-client.ts";
import { loadGenerated } from "../../../runtime/config/load-generated.ts";
import type { Caller, OperationTool } from "../../../runtime/handler-api.ts";
import type { Refused } from "../../../runtime/limits/types.ts";
import type { RunnableOperation } from "../../../runtime/tools/call-tool.ts";
import { createToolCallPipeline, type CallContext, type LimitGate } from "../../../runtime/tools/tool-call-pipeline.ts";

const golden = fileURLToPath(new URL("../../generator/golden/endpoints/", import.meta.url));
const target: BackendTarget = { name: "shop", baseUrlParts: ["http://shop.invalid"], credential: undefined, timeoutMs: 1_000, baseUrlOverridden: false };
const caller: Caller = { tenant: "acme", user: "ann", client: "some-app", scopes: new Set(["read:items"]), email: undefined, groups: [] };
// get_item is the caller's; create_item is one scope away (a step-up); anything else does not exist for them.
const access = { kind: "allowed", visible: new Set(["get_item"]), stepUp: new Map([["create_item", ["write:items"]]]) } as unknown as CallContext["access"];
const context: CallContext = { caller, requestId: "req-1", access, traceHeaders: undefined };
const json = (status: number, body: unknown): BackendOutcome => ({ kind: "response", status, contentType: "application/json", body: JSON.stringify(body) });
const refused: Refused = { admitted: false, limit: "calls_per_minute", scope: "app", value: 1, retryAfterSeconds: 60, resetsAt: "2026-03-01T12:01:00.000Z", message: "app some-app reached its limit of 1 call per minute" };
const admitted: LimitGate = { acquire: async () => ({ admitted: true, release: () => undefined }) };

let tools: Map<string, RunnableOperation>;
beforeAll(async () => {
  const bundle = await loadGenerated(golden);
  const operations = bundle.tools.filter((tool): tool is OperationTool => tool.kind === "operation");
  tools = new Map(operations.map((tool) => [tool.definition.name, { tool, target, argumentNames: Object.keys(tool.definition.inputSchema.properties ?? {}) }]));
});

/** Runs one call through a pipeline serving `endpoint`; returns what it wrote to the audit trail. */
async function recordsOf(endpoint: string, call: { tool: string; args: unknown; backend?: () => Promise<BackendOutcome>; limiter?: LimitGate }): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  const runToolCall = createToolCallPipeline({
    endpoint,
    tools,
    client: { send: call.backend ?? (async () => json(200, { id: "i1", name: "Lamp", price: 9.5 })) } as unknown as BackendClient,
    limiter: call.limiter ?? admitted,
    audit: { append: async (record) => void records.push(record) },
    metrics: undefined,
    actorHeader: undefined,
    insufficientScope: (tool) => new Error(`${tool} needs a scope`),
    onAuditFailure: (error) => {
      throw error;
    },
  });
  await runToolCall(call.tool, call.args, context).catch(() => undefined);
  return records;
}

describe("createToolCallPipeline({ endpoint })", () => {
  const cases: { outcome: AuditOutcome; tool: string; args: unknown; backend?: () => Promise<BackendOutcome>; limiter?: LimitGate }[] = [
    { outcome: "ok", tool: "get_item", args: { item_id: "i1" } },
    { outcome: "invalid_arguments", tool: "get_item", args: {} },
    { outcome: "backend_error", tool: "get_item", args: { item_id: "missing" }, backend: async () => json(404, { error: "no such item" }) },
    { outcome: "backend_timeout", tool: "get_item", args: { item_id: "i1" }, backend: async () => ({ kind: "timeout", timeoutMs: 1_000 }) },
    { outcome: "backend_unreachable", tool: "get_item", args: { item_id: "i1" }, backend: async () => ({ kind: "unreachable", reason: "ECONNREFUSED" }) },
    { outcome: "backend_bad_response", tool: "get_item", args: { item_id: "i1" }, backend: async () => ({ kind: "too_large", limit: 10 }) },
    { outcome: "denied", tool: "create_item", args: { name: "Chair" } },
    { outcome: "unknown_tool", tool: "no_such_tool", args: {} },
    { outcome: "limited", tool: "get_item", args: { item_id: "i1" }, limiter: { acquire: async () => refused } },
    { outcome: "internal_error", tool: "get_item", args: { item_id: "i1" }, backend: async () => Promise.reject(new Error("a bug")) },
  ];

  it.each(cases)("names its endpoint on the record of a call that ends $outcome", async ({ outcome, ...call }) => {
    expect(await recordsOf("shop", call)).toEqual([expect.objectContaining({ endpoint: "shop", tool: call.tool, outcome, requestId: "req-1", tenant: "acme" })]);
  });

  it("one pipeline per endpoint: the same tool is recorded under the endpoint that served it", async () => {
    const call = { tool: "get_item", args: { item_id: "i1" } };
    const endpoints = [];
    for (const endpoint of ["main", "shop", "discover"]) endpoints.push(...(await recordsOf(endpoint, call)).map((record) => `${record.endpoint}:${record.tool}:${record.outcome}`));
    expect(endpoints).toEqual(["main:get_item:ok", "shop:get_item:ok", "discover:get_item:ok"]);
  });
});
