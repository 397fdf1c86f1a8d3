import { addDays, isoDate } from '../domain/dates.ts';
import type { HandlerInput } from '../http/handler.ts';

interface CompanyCounts {
  total: number; active: number; trial: number; churned: number; tracked: number; healthy: number; watch: number;
  at_risk: number; average_health: number | null; mrr: number; renewals_30: number; renewals_90: number;
}

/** A one-call pulse of the whole tenant ("agency"): counts, health distribution, revenue, work in flight. */
function getAgencyOverview({ store, tenantId, clock }: HandlerInput) {
  const today = clock.today();
  const day = (offset: number) => isoDate(addDays(today, offset));
  const tenant = store.get<{ name: string }>('SELECT name FROM tenants WHERE id = ?', [tenantId]);
  const live = "status != 'churned'";
  const counts = store.get<CompanyCounts>(
    `SELECT count(*) AS total, coalesce(sum(status = 'active'), 0) AS active, coalesce(sum(status = 'trial'), 0) AS trial,
       coalesce(sum(status = 'churned'), 0) AS churned, coalesce(sum(tracked = 1 AND ${live}), 0) AS tracked,
       coalesce(sum(health_band = 'healthy' AND ${live}), 0) AS healthy, coalesce(sum(health_band = 'watch' AND ${live}), 0) AS watch,
       coalesce(sum(health_band = 'at_risk' AND ${live}), 0) AS at_risk,
       avg(CASE WHEN ${live} THEN health_score END) AS average_health, coalesce(sum(mrr), 0) AS mrr,
       coalesce(sum(status = 'active' AND renewal_date >= ? AND renewal_date <= ?), 0) AS renewals_30,
       coalesce(sum(status = 'active' AND renewal_date >= ? AND renewal_date <= ?), 0) AS renewals_90
     FROM companies WHERE tenant_id = ?`, [day(0), day(30), day(0), day(90), tenantId]);
  if (counts === undefined) throw new TypeError('aggregate query returned no row');
  const ctas = store.get<{ open: number; overdue: number }>(
    `SELECT coalesce(sum(s.is_closed = 0), 0) AS open, coalesce(sum(s.is_closed = 0 AND a.due_date < ?), 0) AS overdue
     FROM ctas a JOIN cta_statuses s ON s.tenant_id = a.tenant_id AND s.id = a.status_id WHERE a.tenant_id = ?`, [day(0), tenantId]);
  const failed = store.get<{ n: number; amount: number }>(
    "SELECT count(*) AS n, coalesce(sum(amount), 0) AS amount FROM payments WHERE tenant_id = ? AND status = 'failed' AND invoice_date >= ?",
    [tenantId, day(-30)]);
  const people = store.get<{ total: number; key_users: number }>(
    "SELECT count(*) AS total, coalesce(sum(is_key_user), 0) AS key_users FROM relationships WHERE tenant_id = ? AND status = 'active'", [tenantId]);
  return {
    tenant_id: tenantId, tenant_name: tenant?.name ?? tenantId, as_of: day(0),
    companies: { total: counts.total, active: counts.active, trial: counts.trial, churned: counts.churned, tracked: counts.tracked },
    health_distribution: { healthy: counts.healthy, watch: counts.watch, at_risk: counts.at_risk },
    average_health_score: counts.average_health === null ? null : Math.round(counts.average_health * 10) / 10,
    at_risk_count: counts.at_risk,
    revenue: { currency: 'USD', mrr: counts.mrr, arr: counts.mrr * 12 },
    renewals: { next_30_days: counts.renewals_30, next_90_days: counts.renewals_90 },
    ctas: { open: ctas?.open ?? 0, overdue: ctas?.overdue ?? 0 },
    failed_payments_last_30_days: { count: failed?.n ?? 0, amount: failed?.amount ?? 0 },
    relationships: { active: people?.total ?? 0, key_users: people?.key_users ?? 0 },
  };
}

export const overviewHandlers = { getAgencyOverview };
