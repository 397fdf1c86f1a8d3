import type { BackendClient } from "../backend/backend-client.ts";
import type { AuditLog, AuditRecord } from "../audit/index.ts";
import type { Limiter } from "../limits/index.ts";
import { InvalidParamsError, RateLimitedError } from "../errors.ts";
import type { Caller } from "../handler-api.ts";
import type { GatewayMetrics } from "../observability/metrics.ts";
import type { CallerTools } from "../policy/caller-tools.ts";
import { callTool, type CallOutcome, type RunnableTool } from "./call-tool.ts";
import { auditArguments, resourceIdsOf } from "./audit-fields.ts";

/** The audit trail as the pipeline needs it (runtime/audit). */
export type AuditSink = Pick<AuditLog, "append">;

export type AuditEntry = AuditRecord;

/** The limiter as the pipeline needs it (runtime/limits). */
export type LimitGate = Pick<Limiter, "acquire">;

export interface CallContext {
  readonly caller: Caller;
  readonly requestId: string;
  readonly access: Extract<CallerTools, { kind: "allowed" }>;
  readonly traceHeaders: Readonly<Record<string, string>> | undefined;
}

export interface PipelineOptions {
  /** The name of the MCP endpoint this pipeline serves (from the manifest), written on every audit record. */
  readonly endpoint: string;
  readonly tools: ReadonlyMap<string, RunnableTool>;
  readonly client: BackendClient;
  readonly limiter: LimitGate | undefined;
  readonly audit: AuditSink | undefined;
  readonly metrics: GatewayMetrics | undefined;
  readonly actorHeader: string | undefined;
  /** The step-up answer for a tool the caller's app allows but the token lacks scopes for. */
  readonly insufficientScope: (tool: string, needed: readonly string[], caller: Caller) => Error;
  readonly onAuditFailure: (error: unknown, entry: AuditEntry) => void;
  readonly onCall?: (tool: string, outcome: CallOutcome, context: CallContext, durationMs: number) => void;
}

/**
 * One tools/call from the caller's tool set to its result: access → limits → validate →
 * backend → shape, with an audit record for every outcome (allowed, denied, limited, failed),
 * committed before the answer goes out.
 */
export function createToolCallPipeline(options: PipelineOptions) {
  const { endpoint, tools, client, limiter, audit, metrics } = options;

  const record = async (entry: AuditEntry) => {
    metrics?.toolCalls.inc({ tool: entry.tool, tenant: entry.tenant, outcome: entry.outcome });
    if (!audit) return;
    try {
      await audit.append(entry);
    } catch (error) {
      options.onAuditFailure(error, entry);
    }
  };

  return async function runToolCall(name: string, rawArguments: unknown, context: CallContext): Promise<string> {
    const started = performance.now();
    const { caller } = context;
    const entry = (outcome: AuditEntry["outcome"], fields: Partial<AuditEntry> = {}): AuditEntry => ({
      time: new Date(Date.now() - (performance.now() - started)).toISOString(),
      requestId: context.requestId,
      tenant: caller.tenant,
      user: caller.user,
      client: caller.client,
      endpoint,
      tool: name,
      resourceIds: {},
      outcome,
      errorCode: null,
      backendStatus: null,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      arguments: null,
      ...fields,
    });

    // A tool outside the caller's set does not exist for them; one only a scope away is a step-up.
    const runnable = context.access.visible.has(name) ? tools.get(name) : undefined;
    if (!runnable) {
      const needed = context.access.stepUp.get(name);
      await record(entry(needed ? "denied" : "unknown_tool", { errorCode: needed ? "insufficient_scope" : "unknown_tool" }));
      throw needed ? options.insufficientScope(name, needed, caller) : new InvalidParamsError(`Unknown tool: ${name}`);
    }
    const { tool } = runnable;
    const audited = { resourceIds: resourceIdsOf(rawArguments, tool.audit.resourceIds), arguments: auditArguments(rawArguments, tool.audit) };

    const admission = limiter ? await limiter.acquire({ tenant: caller.tenant, client: caller.client, user: caller.user }, { cost: tool.cost, write: tool.definition.annotations.readOnlyHint !== true }) : undefined;
    if (admission && !admission.admitted) {
      metrics?.limiterRejections.inc({ kind: admission.limit, scope: admission.scope });
      await record(entry("limited", { ...audited, errorCode: admission.limit }));
      throw new RateLimitedError(admission.message, admission);
    }
    let outcome: CallOutcome;
    try {
      outcome = await callTool(runnable, rawArguments, caller, client, { requestId: context.requestId, traceHeaders: context.traceHeaders, actorHeader: options.actorHeader });
    } catch (error) {
      await record(entry("internal_error", { ...audited, errorCode: "internal_error" }));
      throw error;
    } finally {
      if (admission?.admitted) admission.release();
    }
    const durationMs = performance.now() - started;
    metrics?.toolLatency.observe({ tool: name }, durationMs / 1000);
    if (outcome.code !== "ok" && outcome.code !== "invalid_arguments") metrics?.backendErrors.inc({ backend: runnable.target?.name ?? "composite", kind: backendErrorKind(outcome) });
    await record(entry(outcome.code, { ...audited, errorCode: outcome.code === "ok" ? null : outcome.code, backendStatus: outcome.backendStatus ?? null }));
    options.onCall?.(name, outcome, context, durationMs);
    return JSON.stringify(outcome.result);
  };
}

function backendErrorKind(outcome: CallOutcome): string {
  if (outcome.code === "backend_timeout") return "timeout";
  if (outcome.code === "backend_unreachable") return "unreachable";
  if (outcome.code === "backend_bad_response") return "bad_response";
  return outcome.backendStatus !== undefined && outcome.backendStatus >= 500 ? "5xx" : "4xx";
}
