import type { Store } from '../db/store.ts';
import { addDays, isoDate } from './dates.ts';

export interface RiskSignal {
  code: string;
  label: string;
  severity: 'high' | 'medium' | 'low';
  detail: string;
}

const SEVERITY_RANK = { high: 3, medium: 2, low: 1 } as const;

/** A key user without a login for this many days counts as inactive (a risk signal, and a stakeholder change). */
export const KEY_USER_INACTIVE_DAYS = 14;

interface CompanyInputs { id: string; health_score: number; previous_health_score: number; health_band: string }
interface CountRow { company_id: string; n: number }
interface UsageRow { company_id: string; this_week: number; last_week: number }

// Each query covers the whole tenant, or one company when the last two parameters carry its id.
const COMPANY_FILTER = '(? IS NULL OR company_id = ?)';
const QUERIES = {
  companies: `SELECT id, health_score, previous_health_score, health_band FROM companies
    WHERE tenant_id = ? AND status != 'churned' AND (? IS NULL OR id = ?)`,
  usage: `SELECT company_id, sum(CASE WHEN week_index = 0 THEN events ELSE 0 END) AS this_week,
    sum(CASE WHEN week_index = 1 THEN events ELSE 0 END) AS last_week FROM feature_usage
    WHERE tenant_id = ? AND week_index <= 1 AND ${COMPANY_FILTER} GROUP BY company_id`,
  failedPayments: `SELECT company_id, count(*) AS n FROM payments
    WHERE tenant_id = ? AND status = 'failed' AND invoice_date >= ? AND ${COMPANY_FILTER} GROUP BY company_id`,
  championsLeft: `SELECT company_id, count(*) AS n FROM relationships
    WHERE tenant_id = ? AND role = 'champion' AND status = 'left' AND left_at >= ? AND ${COMPANY_FILTER} GROUP BY company_id`,
  inactiveKeyUsers: `SELECT company_id, count(*) AS n FROM relationships
    WHERE tenant_id = ? AND is_key_user = 1 AND status = 'active' AND (last_login_at IS NULL OR last_login_at < ?)
    AND ${COMPANY_FILTER} GROUP BY company_id`,
  detractors: `SELECT company_id, count(*) AS n FROM feedback_responses
    WHERE tenant_id = ? AND survey = 'nps' AND score <= 6 AND responded_at >= ? AND ${COMPANY_FILTER} GROUP BY company_id`,
  openRiskCtas: `SELECT a.company_id, count(*) AS n FROM ctas a JOIN cta_statuses s ON s.tenant_id = a.tenant_id AND s.id = a.status_id
    WHERE a.tenant_id = ? AND a.type_id = 'risk' AND s.is_closed = 0 AND (? IS NULL OR a.company_id = ?) GROUP BY a.company_id`,
};

function countsBy(rows: CountRow[]): Map<string, number> {
  return new Map(rows.map((row) => [row.company_id, row.n]));
}

function signal(code: string, label: string, severity: RiskSignal['severity'], detail: string): RiskSignal {
  return { code, label, severity, detail };
}

function signalsFor(
  company: CompanyInputs, usage: UsageRow | undefined, counts: Readonly<Record<keyof typeof QUERIES, Map<string, number>>>,
): RiskSignal[] {
  const signals: RiskSignal[] = [];
  const count = (key: keyof typeof QUERIES) => counts[key].get(company.id) ?? 0;
  if (company.health_band === 'at_risk') signals.push(signal('low_health', 'Low health score', 'high', `Health score is ${company.health_score} (at risk).`));
  if (count('championsLeft') > 0) signals.push(signal('champion_left', 'Champion left', 'high', 'The champion left the company in the last 90 days.'));
  if (count('failedPayments') > 0) signals.push(signal('failed_payment', 'Failed payment', 'high', `${count('failedPayments')} failed payment(s) in the last 60 days.`));
  if (usage !== undefined && usage.last_week >= 50) {
    const change = Math.round(((usage.this_week - usage.last_week) / usage.last_week) * 100);
    if (change <= -20) signals.push(signal('usage_drop', 'Usage drop', change <= -40 ? 'high' : 'medium', `Product usage changed ${change}% week over week.`));
  }
  const decline = company.previous_health_score - company.health_score;
  if (decline >= 5) signals.push(signal('health_decline', 'Health declining', 'medium', `Health fell from ${company.previous_health_score} to ${company.health_score}.`));
  if (count('inactiveKeyUsers') > 0) signals.push(signal('inactive_key_users', 'Inactive key users', 'medium', `${count('inactiveKeyUsers')} key user(s) have not logged in for ${KEY_USER_INACTIVE_DAYS} days.`));
  if (count('detractors') > 0) signals.push(signal('detractor_feedback', 'Detractor feedback', 'medium', `${count('detractors')} NPS detractor response(s) in the last 90 days.`));
  if (count('openRiskCtas') > 0) signals.push(signal('open_risk_ctas', 'Open risk CTAs', 'low', `${count('openRiskCtas')} open risk CTA(s).`));
  return signals.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

/** Risk signals per company (most severe first), computed from the current data. Churned companies are skipped. */
export function loadRiskSignals(store: Store, tenantId: string, now: Date, companyId: string | null = null): Map<string, RiskSignal[]> {
  const one = [companyId, companyId];
  const since = (days: number) => isoDate(addDays(now, -days));
  const companies = store.all<CompanyInputs>(QUERIES.companies, [tenantId, ...one]);
  const usage = new Map(store.all<UsageRow>(QUERIES.usage, [tenantId, ...one]).map((row) => [row.company_id, row]));
  const counts = {
    companies: new Map<string, number>(),
    usage: new Map<string, number>(),
    failedPayments: countsBy(store.all<CountRow>(QUERIES.failedPayments, [tenantId, since(60), ...one])),
    championsLeft: countsBy(store.all<CountRow>(QUERIES.championsLeft, [tenantId, since(90), ...one])),
    inactiveKeyUsers: countsBy(store.all<CountRow>(QUERIES.inactiveKeyUsers, [tenantId, addDays(now, -KEY_USER_INACTIVE_DAYS).toISOString(), ...one])),
    detractors: countsBy(store.all<CountRow>(QUERIES.detractors, [tenantId, since(90), ...one])),
    openRiskCtas: countsBy(store.all<CountRow>(QUERIES.openRiskCtas, [tenantId, ...one])),
  };
  return new Map(companies.map((company) => [company.id, signalsFor(company, usage.get(company.id), counts)]));
}

export function riskScore(signals: readonly RiskSignal[]): number {
  return signals.reduce((sum, item) => sum + SEVERITY_RANK[item.severity], 0);
}
