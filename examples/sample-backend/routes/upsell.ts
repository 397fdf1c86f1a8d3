import { addDays } from '../domain/dates.ts';
import { changePct } from '../domain/trend.ts';
import { readNumber, readPage } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

interface CandidateRow {
  id: string; name: string; plan: string; mrr: number; health_score: number; health_band: string; licensed_seats: number;
  peak_users: number; this_week: number; last_week: number; best_nps: number | null; open_expansion: number;
}

/** Healthy accounts that are outgrowing their plan: full seats, growing usage, promoters, open expansion CTAs. */
function listUpsellCandidates({ store, tenantId, query, clock }: HandlerInput) {
  const minScore = readNumber(query, 'min_score') ?? 2;
  const rows = store.all<CandidateRow>(
    `SELECT c.id, c.name, c.plan, c.mrr, c.health_score, c.health_band, c.licensed_seats,
       (SELECT coalesce(max(active_users), 0) FROM feature_usage u WHERE u.company_id = c.id AND u.week_index = 0) AS peak_users,
       (SELECT coalesce(sum(events), 0) FROM feature_usage u WHERE u.company_id = c.id AND u.week_index = 0) AS this_week,
       (SELECT coalesce(sum(events), 0) FROM feature_usage u WHERE u.company_id = c.id AND u.week_index = 1) AS last_week,
       (SELECT max(score) FROM feedback_responses f WHERE f.company_id = c.id AND f.survey = 'nps' AND f.responded_at >= ?) AS best_nps,
       (SELECT count(*) FROM ctas a JOIN cta_statuses s ON s.tenant_id = a.tenant_id AND s.id = a.status_id
          WHERE a.company_id = c.id AND a.type_id = 'expansion' AND s.is_closed = 0) AS open_expansion
     FROM companies c WHERE c.tenant_id = ? AND c.status = 'active' AND c.health_band = 'healthy'`,
    [addDays(clock.now(), -180).toISOString(), tenantId]);
  const candidates = rows.map((row) => {
    const utilization = row.licensed_seats === 0 ? 0 : Math.round((row.peak_users / row.licensed_seats) * 1000) / 10;
    const usageChange = changePct(row.this_week, row.last_week);
    const signals: Array<{ code: string; label: string }> = [];
    if (utilization >= 75) signals.push({ code: 'seat_utilization', label: `${utilization}% of licensed seats active this week` });
    if (usageChange !== null && usageChange >= 15) signals.push({ code: 'usage_growth', label: `Usage up ${usageChange}% week over week` });
    if (row.best_nps !== null && row.best_nps >= 9) signals.push({ code: 'promoter', label: `NPS promoter (score ${row.best_nps})` });
    if (row.open_expansion > 0) signals.push({ code: 'open_expansion_cta', label: 'Open expansion CTA' });
    if (row.plan !== 'enterprise' && row.health_score >= 85) signals.push({ code: 'plan_headroom', label: `Very healthy on the ${row.plan} plan` });
    return {
      company_id: row.id, company_name: row.name, plan: row.plan, mrr: row.mrr, health_score: row.health_score,
      seat_utilization_pct: utilization, usage_change_pct: usageChange, best_recent_nps: row.best_nps, score: signals.length, signals,
    };
  })
    .filter((candidate) => candidate.score >= minScore)
    .sort((a, b) => b.score - a.score || b.mrr - a.mrr || a.company_id.localeCompare(b.company_id));
  const { limit, offset } = readPage(query);
  return { data: candidates.slice(offset, offset + limit), total: candidates.length, limit, offset };
}

export const upsellHandlers = { listUpsellCandidates };
