import type { Store } from '../db/store.ts';
import { addDays, daysBetween, isoDate, parseIsoDate } from './dates.ts';
import type { Clock } from './dates.ts';
import { KEY_USER_INACTIVE_DAYS, loadRiskSignals } from './risk-signals.ts';
import type { RiskSignal } from './risk-signals.ts';
import { changePct, trendOf } from './trend.ts';

/** The company columns a brief reads (a `CompanyRow` has them all). */
export interface BriefCompany {
  id: string; name: string; health_score: number; previous_health_score: number; health_band: string;
  renewal_date: string | null; mrr: number; arr: number;
}

export interface Win { code: string; label: string; detail: string }

/** Stakeholder changes look back this far. */
const CHANGE_WINDOW_DAYS = 90;

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
  // A renewal CTA closed successfully is also counted by ctas_closed, which always comes first, so
  // the summary's "recent win" is unchanged by it.
  const renewal = store.get<{ name: string; closed_at: string }>(
    `SELECT name, closed_at FROM ctas WHERE tenant_id = ? AND company_id = ? AND type_id = 'renewal' AND status_id = 'closed_success'
     AND closed_at >= ? ORDER BY closed_at DESC, id LIMIT 1`, [tenantId, company.id, since(90)]);
  if (renewal !== undefined) {
    wins.push({ code: 'renewal_secured', label: 'Renewal secured', detail: `Renewal CTA "${renewal.name}" closed successfully on ${renewal.closed_at.slice(0, 10)}.` });
  }
  const expansion = store.get<{ amount: number }>(
    "SELECT coalesce(sum(mrr_delta), 0) AS amount FROM revenue_events WHERE tenant_id = ? AND company_id = ? AND kind = 'expansion' AND event_date >= ?",
    [tenantId, company.id, isoDate(addDays(now, -180))])?.amount ?? 0;
  if (expansion > 0) wins.push({ code: 'expansion', label: 'Expanded', detail: `MRR grew by ${expansion} USD through expansion in the last 180 days.` });
  return wins;
}

/** What happened to one person at the account: `joined` and `left` within 90 days, `updated` (title, role or key-user flag) within 90 days, `went_inactive` (a key user without a login for 14 days). */
export interface StakeholderEvent {
  relationship_id: string; name: string; title: string; role: string; is_key_user: boolean;
  change: 'joined' | 'left' | 'updated' | 'went_inactive';
  /** When it happened; for `went_inactive` the last login, null when the person never logged in. */
  date: string | null;
  detail: string;
}

interface PersonRow {
  id: string; name: string; title: string; role: string; is_key_user: number; status: string;
  created_at: string; updated_at: string; left_at: string | null; last_login_at: string | null;
}

const ROLE_LABELS: Readonly<Record<string, string>> = {
  champion: 'Champion', decision_maker: 'Decision maker', executive_sponsor: 'Executive sponsor', admin: 'Admin',
  end_user: 'End user', billing: 'Billing contact',
};

function eventsOf(row: PersonRow, since: string, inactiveBefore: string): StakeholderEvent[] {
  const person = { relationship_id: row.id, name: row.name, title: row.title, role: row.role, is_key_user: row.is_key_user === 1 };
  const who = `${ROLE_LABELS[row.role] ?? row.role} ${row.name} (${row.title})`;
  const events: StakeholderEvent[] = [];
  // Someone who joined and left within the window is reported once, as having left.
  if (row.left_at !== null && row.left_at >= since) events.push({ ...person, change: 'left', date: row.left_at, detail: `${who} left on ${row.left_at.slice(0, 10)}.` });
  else if (row.created_at >= since) events.push({ ...person, change: 'joined', date: row.created_at, detail: `${who} joined on ${row.created_at.slice(0, 10)}.` });
  if (row.status !== 'active') return events;
  // The data keeps no history of a person's fields, only that they changed (updated_at).
  if (row.updated_at > row.created_at && row.updated_at >= since) {
    events.push({ ...person, change: 'updated', date: row.updated_at, detail: `${who}: title, role or key-user flag changed on ${row.updated_at.slice(0, 10)}.` });
  }
  if (row.is_key_user === 1 && (row.last_login_at === null || row.last_login_at < inactiveBefore)) {
    const detail = row.last_login_at === null ? `${who}, a key user, has no recorded login.` : `${who}, a key user, has not logged in since ${row.last_login_at.slice(0, 10)}.`;
    events.push({ ...person, change: 'went_inactive', date: row.last_login_at, detail });
  }
  return events;
}

/** Most recent first; undated events (key users who never logged in) last. */
function byDateDesc(a: StakeholderEvent, b: StakeholderEvent): number {
  if (a.date !== b.date) return a.date === null ? 1 : b.date === null ? -1 : b.date.localeCompare(a.date);
  return a.relationship_id.localeCompare(b.relationship_id);
}

function stakeholderEvents(store: Store, tenantId: string, companyId: string, now: Date): StakeholderEvent[] {
  const since = addDays(now, -CHANGE_WINDOW_DAYS).toISOString();
  const inactiveBefore = addDays(now, -KEY_USER_INACTIVE_DAYS).toISOString();
  const rows = store.all<PersonRow>(
    `SELECT id, first_name || ' ' || last_name AS name, title, role, is_key_user, status, created_at, updated_at, left_at, last_login_at
     FROM relationships WHERE tenant_id = ? AND company_id = ? AND (created_at >= ? OR left_at >= ? OR updated_at >= ?
       OR (is_key_user = 1 AND status = 'active' AND (last_login_at IS NULL OR last_login_at < ?)))`,
    [tenantId, companyId, since, since, since, inactiveBefore]);
  return rows.flatMap((row) => eventsOf(row, since, inactiveBefore)).sort(byDateDesc);
}

export interface OpenCta { id: string; name: string; type_id: string; priority: string; due_date: string }

/** Everything known about one account, computed from the data; routes shape it into their responses. */
export interface AccountBrief {
  company: BriefCompany;
  /** ISO 8601. */
  generatedAt: string;
  trend: 'up' | 'down' | 'flat';
  /** One sentence on health, band and trend; the summary's first sentence. */
  healthSentence: string;
  /** A few sentences: health, top risk, a recent win, the renewal. */
  summary: string;
  daysUntilRenewal: number | null;
  risks: RiskSignal[];
  wins: Win[];
  stakeholders: StakeholderEvent[];
  /** The five latest timeline activities. */
  recentActivities: Array<{ id: string; type_id: string; subject: string; activity_date: string }>;
  /** The five open CTAs due first. */
  openCtas: OpenCta[];
}

/** An account brief computed from the data: health, risks, wins, stakeholder changes, recent activity. */
export function accountBrief(store: Store, tenantId: string, company: BriefCompany, clock: Clock): AccountBrief {
  const now = clock.now();
  const risks = loadRiskSignals(store, tenantId, now, company.id).get(company.id) ?? [];
  const wins = findWins(store, tenantId, company, now);
  const trend = trendOf(company.health_score, company.previous_health_score);
  const daysUntilRenewal = company.renewal_date === null ? null : daysBetween(clock.today(), parseIsoDate(company.renewal_date));
  const recentActivities = store.all<{ id: string; type_id: string; subject: string; activity_date: string }>(
    'SELECT id, type_id, subject, activity_date FROM timeline_activities WHERE tenant_id = ? AND company_id = ? ORDER BY activity_date DESC, id LIMIT 5',
    [tenantId, company.id]);
  const openCtas = store.all<OpenCta>(
    `SELECT a.id, a.name, a.type_id, a.priority, a.due_date FROM ctas a JOIN cta_statuses s ON s.tenant_id = a.tenant_id AND s.id = a.status_id
     WHERE a.tenant_id = ? AND a.company_id = ? AND s.is_closed = 0 ORDER BY a.due_date, a.id LIMIT 5`, [tenantId, company.id]);
  const healthSentence = `${company.name} is ${company.health_band.replace('_', ' ')} (health ${company.health_score}, trend ${trend}).`;
  const summary = [
    healthSentence,
    risks[0] === undefined ? 'No active risk signals.' : `Top risk: ${risks[0].label.toLowerCase()} — ${risks[0].detail}`,
    wins[0] === undefined ? null : `Recent win: ${wins[0].detail}`,
    daysUntilRenewal === null ? null : `Renews in ${daysUntilRenewal} days (${company.renewal_date}).`,
  ].filter((line) => line !== null).join(' ');
  return {
    company, generatedAt: now.toISOString(), trend, healthSentence, summary, daysUntilRenewal, risks, wins,
    stakeholders: stakeholderEvents(store, tenantId, company.id, now),
    recentActivities: recentActivities.map((row) => ({ ...row })), openCtas: openCtas.map((row) => ({ ...row })),
  };
}
