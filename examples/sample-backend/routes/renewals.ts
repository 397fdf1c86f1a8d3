import { Conditions } from '../db/store.ts';
import { addDays, daysBetween, isoDate, parseIsoDate } from '../domain/dates.ts';
import { loadRiskSignals } from '../domain/risk-signals.ts';
import { readNumber, readPage, readString, readStrings } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

interface RenewalRow {
  company_id: string; company_name: string; renewal_date: string; mrr: number; arr: number; health_score: number;
  health_band: string; csm_id: string | null; csm_name: string | null; tracked: number;
}

const SORTS: Readonly<Record<string, string>> = {
  renewal_date: 'c.renewal_date ASC', '-renewal_date': 'c.renewal_date DESC', mrr: 'c.mrr ASC', '-mrr': 'c.mrr DESC',
  health_score: 'c.health_score ASC', '-health_score': 'c.health_score DESC',
};

function listRenewals({ store, tenantId, query, clock }: HandlerInput) {
  const today = clock.today();
  const withinDays = readNumber(query, 'within_days') ?? 90;
  const where = new Conditions("c.tenant_id = ? AND c.status = 'active' AND c.renewal_date >= ? AND c.renewal_date <= ?",
    tenantId, isoDate(today), isoDate(addDays(today, withinDays)))
    .when(readNumber(query, 'min_mrr'), 'c.mrr >= ?')
    .when(readString(query, 'csm_id'), 'c.csm_id = ?');
  // Each band is bound separately; the set of allowed values is fixed by the schema, so at most three placeholders.
  const bands = [...new Set(readStrings(query, 'health_band') ?? [])];
  if (bands.length > 0) where.add(`c.health_band IN (${bands.map(() => '?').join(', ')})`, ...bands);
  const { limit, offset } = readPage(query);
  const sort = SORTS[readString(query, 'sort') ?? 'renewal_date'] ?? 'c.renewal_date ASC';
  const from = 'companies c LEFT JOIN users u ON u.id = c.csm_id';
  const total = store.get<{ n: number }>(`SELECT count(*) AS n FROM ${from} WHERE ${where.sql}`, where.params)?.n ?? 0;
  const rows = store.all<RenewalRow>(
    `SELECT c.id AS company_id, c.name AS company_name, c.renewal_date, c.mrr, c.arr, c.health_score, c.health_band, c.csm_id,
       u.name AS csm_name, c.tracked FROM ${from} WHERE ${where.sql} ORDER BY ${sort}, c.id LIMIT ? OFFSET ?`,
    [...where.params, limit, offset]);
  const now = clock.now();
  const data = rows.map((row) => ({
    ...row, tracked: row.tracked === 1, days_until_renewal: daysBetween(today, parseIsoDate(row.renewal_date)),
    top_risk_signal: loadRiskSignals(store, tenantId, now, row.company_id).get(row.company_id)?.[0] ?? null,
  }));
  return { data, total, limit, offset };
}

export const renewalHandlers = { listRenewals };
