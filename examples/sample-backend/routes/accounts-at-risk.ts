import { loadRiskSignals, riskScore } from '../domain/risk-signals.ts';
import { readBoolean, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

interface CompanyRow {
  id: string; name: string; health_score: number; health_band: string; mrr: number; renewal_date: string | null;
  csm_id: string | null; tracked: number;
}

const SEVERITIES = ['low', 'medium', 'high'];

/** Companies ranked by how many (and how severe) risk signals they show, with the signals as the "why". */
function listAccountsAtRisk({ store, tenantId, query, clock }: HandlerInput) {
  const minSeverity = SEVERITIES.indexOf(readString(query, 'min_severity') ?? 'medium');
  const csmId = readString(query, 'csm_id') ?? null;
  const tracked = readBoolean(query, 'tracked');
  const signals = loadRiskSignals(store, tenantId, clock.now());
  const companies = store.all<CompanyRow>(
    `SELECT id, name, health_score, health_band, mrr, renewal_date, csm_id, tracked FROM companies
     WHERE tenant_id = ? AND status != 'churned' AND (? IS NULL OR csm_id = ?) AND (? IS NULL OR tracked = ?)`,
    [tenantId, csmId, csmId, tracked === undefined ? null : tracked ? 1 : 0, tracked === undefined ? null : tracked ? 1 : 0]);
  const ranked = companies
    .map((company) => ({ company, found: signals.get(company.id) ?? [] }))
    .filter(({ found }) => found.some((item) => SEVERITIES.indexOf(item.severity) >= minSeverity))
    .map(({ company, found }) => ({
      company_id: company.id, company_name: company.name, health_score: company.health_score, health_band: company.health_band,
      mrr: company.mrr, renewal_date: company.renewal_date, csm_id: company.csm_id, tracked: company.tracked === 1,
      risk_score: riskScore(found), signals: found,
    }))
    .sort((a, b) => b.risk_score - a.risk_score || a.health_score - b.health_score || a.company_id.localeCompare(b.company_id));
  const { limit, offset } = readPage(query);
  return { data: ranked.slice(offset, offset + limit), total: ranked.length, limit, offset };
}

export const accountsAtRiskHandlers = { listAccountsAtRisk };
