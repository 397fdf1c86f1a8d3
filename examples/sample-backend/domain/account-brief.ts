import type { Store } from '../db/store.ts';
import { addDays, daysBetween, isoDate, parseIsoDate } from './dates.ts';
import type { Clock } from './dates.ts';
import { loadRiskSignals } from './risk-signals.ts';
import { changePct, trendOf } from './trend.ts';

/** The company columns a brief reads (a `CompanyRow` has them all). */
export interface BriefCompany {
  id: string; name: string; health_score: number; previous_health_score: number; health_band: string;
  renewal_date: string | null; mrr: number; arr: number;
}

interface Win { code: string; label: string; detail: string }

function findWins(store: Store, tenantId: string, company: BriefCompany, now: Date): Win[] {
  const wins: Win[] = [];
  const since = (days: number) => addDays(now, -days).toISOString();
  if (company.health_score - company.previous_health_score >= 3) {
    wins.push({ code: 'health_improving', label: 'Health improving', detail: `Health rose from ${company.previous_health_score} to ${company.health_score}.` });
  }
  const usage = store.get<{ this_week: number; last_week: number }>(
    `SELECT coalesce(sum(CASE WHEN week_index = 0 THEN events END), 0) AS this_week,
       coalesce(sum(CASE WHEN week_index = 1 THEN events END), 0) AS last_week FROM feature_usage WHERE tenant_id = ? AND company_id = ?`,
    [tenantId, company.id]);
  const usageChange = usage === undefined ? null : changePct(usage.this_week, usage.last_week);
  if (usageChange !== null && usageChange >= 10) wins.push({ code: 'usage_growth', label: 'Usage growing', detail: `Product usage up ${usageChange}% week over week.` });
  const promoters = store.get<{ n: number }>(
    "SELECT count(*) AS n FROM feedback_responses WHERE tenant_id = ? AND company_id = ? AND survey = 'nps' AND score >= 9 AND responded_at >= ?",
    [tenantId, company.id, since(90)])?.n ?? 0;
  if (promoters > 0) wins.push({ code: 'promoters', label: 'Promoter feedback', detail: `${promoters} NPS promoter response(s) in the last 90 days.` });
  const closed = store.get<{ n: number }>(
    "SELECT count(*) AS n FROM ctas WHERE tenant_id = ? AND company_id = ? AND status_id = 'closed_success' AND closed_at >= ?",
    [tenantId, company.id, since(90)])?.n ?? 0;
  if (closed > 0) wins.push({ code: 'ctas_closed', label: 'CTAs closed successfully', detail: `${closed} CTA(s) closed successfully in the last 90 days.` });
  const expansion = store.get<{ amount: number }>(
    "SELECT coalesce(sum(mrr_delta), 0) AS amount FROM revenue_events WHERE tenant_id = ? AND company_id = ? AND kind = 'expansion' AND event_date >= ?",
    [tenantId, company.id, isoDate(addDays(now, -180))])?.amount ?? 0;
  if (expansion > 0) wins.push({ code: 'expansion', label: 'Expanded', detail: `MRR grew by ${expansion} USD through expansion in the last 180 days.` });
  return wins;
}

interface PersonRow { id: string; name: string; title: string; role: string; created_at: string; left_at: string | null }

function stakeholderChanges(store: Store, tenantId: string, companyId: string, now: Date) {
  const since = addDays(now, -90).toISOString();
  const rows = store.all<PersonRow>(
    `SELECT id, first_name || ' ' || last_name AS name, title, role, created_at, left_at FROM relationships
     WHERE tenant_id = ? AND company_id = ? AND (created_at >= ? OR left_at >= ?)`, [tenantId, companyId, since, since]);
  return rows
    .map((row) => {
      const left = row.left_at !== null && row.left_at >= since;
      return { relationship_id: row.id, name: row.name, title: row.title, role: row.role, change: left ? 'left' : 'joined', date: left ? (row.left_at ?? '') : row.created_at };
    })
    .sort((a, b) => b.date.localeCompare(a.date) || a.relationship_id.localeCompare(b.relationship_id));
}

/** One sentence on the account's health: the first sentence of every brief's summary. */
export function healthSentence(company: BriefCompany): string {
  const trend = trendOf(company.health_score, company.previous_health_score);
  return `${company.name} is ${company.health_band.replace('_', ' ')} (health ${company.health_score}, trend ${trend}).`;
}

/** An account brief computed from the data: health, risks, wins, stakeholder changes, recent activity. */
export function accountBrief(store: Store, tenantId: string, company: BriefCompany, clock: Clock) {
  const now = clock.now();
  const risks = loadRiskSignals(store, tenantId, now, company.id).get(company.id) ?? [];
  const wins = findWins(store, tenantId, company, now);
  const changes = stakeholderChanges(store, tenantId, company.id, now);
  const trend = trendOf(company.health_score, company.previous_health_score);
  const daysUntilRenewal = company.renewal_date === null ? null : daysBetween(clock.today(), parseIsoDate(company.renewal_date));
  const recent = store.all<{ id: string; type_id: string; subject: string; activity_date: string }>(
    'SELECT id, type_id, subject, activity_date FROM timeline_activities WHERE tenant_id = ? AND company_id = ? ORDER BY activity_date DESC, id LIMIT 5',
    [tenantId, company.id]);
  const openCtas = store.all<{ id: string; name: string; type_id: string; priority: string; due_date: string }>(
    `SELECT a.id, a.name, a.type_id, a.priority, a.due_date FROM ctas a JOIN cta_statuses s ON s.tenant_id = a.tenant_id AND s.id = a.status_id
     WHERE a.tenant_id = ? AND a.company_id = ? AND s.is_closed = 0 ORDER BY a.due_date, a.id LIMIT 5`, [tenantId, company.id]);
  const summary = [
    healthSentence(company),
    risks[0] === undefined ? 'No active risk signals.' : `Top risk: ${risks[0].label.toLowerCase()} — ${risks[0].detail}`,
    wins[0] === undefined ? null : `Recent win: ${wins[0].detail}`,
    daysUntilRenewal === null ? null : `Renews in ${daysUntilRenewal} days (${company.renewal_date}).`,
  ].filter((line) => line !== null).join(' ');
  return {
    company_id: company.id, company_name: company.name, generated_at: now.toISOString(), summary,
    health: { score: company.health_score, band: company.health_band, previous_score: company.previous_health_score, trend },
    renewal: { date: company.renewal_date, days_until: daysUntilRenewal, mrr: company.mrr, arr: company.arr },
    risks, wins, stakeholder_changes: changes,
    recent_activities: recent.map((row) => ({ ...row })), open_ctas: openCtas.map((row) => ({ ...row })),
  };
}

export type AccountBrief = ReturnType<typeof accountBrief>;
