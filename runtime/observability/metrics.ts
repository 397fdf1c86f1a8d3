import { timingSafeEqual } from "node:crypto";
import type { Context } from "koa";
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";

/**
 * The gateway's Prometheus metrics, one registry per gateway (so tests and several gateways in
 * one process do not share counters). Labels are bounded: tools and outcomes come from
 * generated/, tenants from tokens.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly toolCalls = new Counter({ name: "toolgate_tool_calls_total", help: "tools/call by tool, tenant and outcome.", labelNames: ["tool", "tenant", "outcome"] as const, registers: [this.registry] });
  readonly toolLatency = new Histogram({
    name: "toolgate_tool_call_duration_seconds",
    help: "tools/call latency, from the request to the result, by tool.",
    labelNames: ["tool"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly limiterRejections = new Counter({ name: "toolgate_limit_rejections_total", help: "Calls refused by a limit, by kind and scope.", labelNames: ["kind", "scope"] as const, registers: [this.registry] });
  readonly limiterStoreErrors = new Counter({ name: "toolgate_limit_store_errors_total", help: "Errors of the shared limit store (Redis).", registers: [this.registry] });
  readonly backendErrors = new Counter({ name: "toolgate_backend_errors_total", help: "Backend failures by backend and kind (4xx, 5xx, timeout, unreachable, bad_response).", labelNames: ["backend", "kind"] as const, registers: [this.registry] });
  readonly jwksFetches = new Counter({ name: "toolgate_jwks_fetches_total", help: "Fetches of the issuer's JWKS (start-up and unknown-kid refreshes).", registers: [this.registry] });
  readonly auditQueueDepth = new Gauge({ name: "toolgate_audit_queue_depth", help: "Audit records accepted but not yet durable.", registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: "toolgate_" });
  }
}

/**
 * GET /metrics: the Prometheus text for the scraper holding `token` (or anyone, when there is
 * none: development mode, loopback only). Metrics name tenants and tools, so they are not public.
 */
export function metricsRoute(metrics: GatewayMetrics, token: string | undefined, auditQueueDepth: () => number | undefined) {
  return async function metricsRoute(ctx: Context): Promise<void> {
    if (token && !constantTimeEquals(ctx.get("authorization"), `Bearer ${token}`)) {
      ctx.status = 401;
      ctx.set("www-authenticate", 'Bearer realm="metrics"');
      ctx.body = { error: { code: "unauthorized", message: "metrics need the bearer token in TOOLGATE_METRICS_TOKEN" } };
      return;
    }
    const depth = auditQueueDepth();
    if (depth !== undefined) metrics.auditQueueDepth.set(depth);
    ctx.type = metrics.registry.contentType;
    ctx.body = await metrics.registry.metrics();
  };
}

function constantTimeEquals(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
