import { Conditions, selectPage } from '../db/store.ts';
import { addDays, isoDate } from '../domain/dates.ts';
import { readNumber, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertCompanyTrackedIfAsked, assertExists } from './lookups.ts';
import { parseSince } from './since.ts';

interface MovementRow { kind: string; total: number; companies: number }

const percent = (value: number, base: number) => (base === 0 ? null : Math.round((value / base) * 1000) / 10);

/**
 * MRR movements over the period come from revenue events; starting MRR is today's MRR minus the
 * period's net movement, so the figures always reconcile.
 */
function getRevenueSummary(input: HandlerInput) {
  const { store, tenantId, query, clock } = input;
  const companyId = readString(query, 'company_id') ?? null;
  assertExists(store, tenantId, 'company', companyId ?? undefined);
  if (companyId !== null) assertCompanyTrackedIfAsked(input, companyId);
  const periodDays = readNumber(query, 'period_days') ?? 365;
  const today = clock.today();
  const periodStart = isoDate(addDays(today, -periodDays));
  const current = store.get<{ mrr: number; active: number }>(
    `SELECT coalesce(sum(mrr), 0) AS mrr, coalesce(sum(status = 'active'), 0) AS active FROM companies
     WHERE tenant_id = ? AND (? IS NULL OR id = ?)`, [tenantId, companyId, companyId]) ?? { mrr: 0, active: 0 };
  const movements = store.all<MovementRow>(
    `SELECT kind, sum(mrr_delta) AS total, count(DISTINCT company_id) AS companies FROM revenue_events
     WHERE tenant_id = ? AND event_date >= ? AND (? IS NULL OR company_id = ?) GROUP BY kind`,
    [tenantId, periodStart, companyId, companyId]);
  const byKind = (kind: string) => movements.find((row) => row.kind === kind);
  const newMrr = byKind('new')?.total ?? 0;
  const expansion = byKind('expansion')?.total ?? 0;
  const contraction = -(byKind('contraction')?.total ?? 0);
  const churned = -(byKind('churn')?.total ?? 0);
  const netChange = newMrr + expansion - contraction - churned;
  const starting = current.mrr - netChange;
  return {
    company_id: companyId, currency: 'USD', as_of: isoDate(today), period_days: periodDays, period_start: periodStart,
    mrr: current.mrr, arr: current.mrr * 12, starting_mrr: starting, new_mrr: newMrr, expansion_mrr: expansion,
    contraction_mrr: contraction, churned_mrr: churned, net_mrr_change: netChange,
    nrr_pct: percent(starting + expansion - contraction - churned, starting),
    grr_pct: percent(starting - contraction - churned, starting),
    gross_churn_pct: percent(contraction + churned, starting),
    active_companies: current.active, churned_companies: byKind('churn')?.companies ?? 0,
  };
}

interface PaymentRow {
  id: string; company_id: string; company_name: string; amount: number; currency: string; status: string;
  invoice_date: string; paid_at: string | null; failure_reason: string | null; attempt_count: number;
}

function listPayments({ store, tenantId, query }: HandlerInput) {
  const companyId = readString(query, 'company_id');
  assertExists(store, tenantId, 'company', companyId);
  const since = readString(query, 'since');
  const where = new Conditions('p.tenant_id = ?', tenantId)
    .when(companyId, 'p.company_id = ?')
    .when(readString(query, 'status'), 'p.status = ?')
    .when(since === undefined ? undefined : parseSince(since, 'since').slice(0, 10), 'p.invoice_date >= ?');
  const order = readString(query, 'sort') === 'invoice_date' ? 'p.invoice_date ASC' : readString(query, 'sort') === '-amount' ? 'p.amount DESC' : 'p.invoice_date DESC';
  return selectPage(store, {
    select: `p.id, p.company_id, c.name AS company_name, p.amount, p.currency, p.status, p.invoice_date, p.paid_at,
      p.failure_reason, p.attempt_count`,
    from: 'payments p JOIN companies c ON c.id = p.company_id', where, orderBy: `${order}, p.id`, ...readPage(query),
  }, (row: PaymentRow) => ({ ...row }));
}

export const revenueHandlers = { getRevenueSummary, listPayments };
