import type { Store } from '../db/store.ts';
import { changePct, trendOf } from '../domain/trend.ts';
import { param, readNumber, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { findCompanyRow } from './companies.ts';
import { assertTrackedIfAsked } from './lookups.ts';

interface UsageRow {
  feature_id: string; name: string; category: string; events_this_week: number; events_last_week: number;
  users_this_week: number; users_last_week: number;
}

function weekStarts(store: Store, tenantId: string): { this_week: string; last_week: string } {
  const rows = store.all<{ week_index: number; week_start: string }>(
    'SELECT DISTINCT week_index, week_start FROM feature_usage WHERE tenant_id = ? AND week_index <= 1 ORDER BY week_index', [tenantId]);
  return { this_week: rows[0]?.week_start ?? '', last_week: rows[1]?.week_start ?? '' };
}

function getFeatureUsage(input: HandlerInput) {
  const { store, tenantId } = input;
  const company = findCompanyRow(store, tenantId, param(input, 'companyId'));
  assertTrackedIfAsked(input, company);
  const rows = store.all<UsageRow>(
    `SELECT f.id AS feature_id, f.name, f.category,
       sum(CASE WHEN u.week_index = 0 THEN u.events ELSE 0 END) AS events_this_week,
       sum(CASE WHEN u.week_index = 1 THEN u.events ELSE 0 END) AS events_last_week,
       sum(CASE WHEN u.week_index = 0 THEN u.active_users ELSE 0 END) AS users_this_week,
       sum(CASE WHEN u.week_index = 1 THEN u.active_users ELSE 0 END) AS users_last_week
     FROM features f JOIN feature_usage u ON u.tenant_id = f.tenant_id AND u.feature_id = f.id
     WHERE f.tenant_id = ? AND u.company_id = ? AND u.week_index <= 1 GROUP BY f.id ORDER BY f.position`, [tenantId, company.id]);
  const weeks = weekStarts(store, tenantId);
  return {
    company_id: company.id, company_name: company.name, licensed_seats: company.licensed_seats,
    week_start: weeks.this_week, previous_week_start: weeks.last_week,
    features: rows.map((row) => ({
      feature_id: row.feature_id, name: row.name, category: row.category, events_this_week: row.events_this_week,
      events_last_week: row.events_last_week, change: row.events_this_week - row.events_last_week,
      change_pct: changePct(row.events_this_week, row.events_last_week), trend: trendOf(row.events_this_week, row.events_last_week),
      active_users_this_week: row.users_this_week, active_users_last_week: row.users_last_week,
      adoption_pct: company.licensed_seats === 0 ? 0 : Math.round((row.users_this_week / company.licensed_seats) * 1000) / 10,
    })),
  };
}

interface FeatureTotalsRow {
  feature_id: string; name: string; category: string; accounts_using: number; events_this_week: number; events_last_week: number;
}
interface GapRow { company_id: string; company_name: string; mrr: number; feature_id: string; feature_name: string }
interface MoverRow { company_id: string; company_name: string; feature_id: string; feature_name: string; this_week: number; last_week: number }

// "Tracked accounts" are the ones a CSM follows: tracked and not churned.
const TRACKED = "c.tenant_id = ? AND c.tracked = 1 AND c.status != 'churned'";
const PER_COMPANY_FEATURE = `SELECT c.id AS company_id, c.name AS company_name, c.mrr, f.id AS feature_id, f.name AS feature_name,
    sum(CASE WHEN u.week_index = 0 THEN u.events ELSE 0 END) AS this_week,
    sum(CASE WHEN u.week_index = 1 THEN u.events ELSE 0 END) AS last_week
  FROM companies c JOIN feature_usage u ON u.company_id = c.id AND u.week_index <= 1
  JOIN features f ON f.tenant_id = c.tenant_id AND f.id = u.feature_id
  WHERE ${TRACKED} AND (? IS NULL OR f.id = ?) GROUP BY c.id, f.id`;

function getFeatureAdoption({ store, tenantId, query }: HandlerInput) {
  const featureId = readString(query, 'feature_id') ?? null;
  const direction = readString(query, 'direction') ?? 'both';
  const top = readNumber(query, 'top') ?? 10;
  const trackedAccounts = store.get<{ n: number }>(`SELECT count(*) AS n FROM companies c WHERE ${TRACKED}`, [tenantId])?.n ?? 0;
  const features = store.all<FeatureTotalsRow>(
    `SELECT feature_id, feature_name AS name, (SELECT category FROM features WHERE tenant_id = ? AND id = feature_id) AS category,
       sum(this_week > 0) AS accounts_using, sum(this_week) AS events_this_week, sum(last_week) AS events_last_week
     FROM (${PER_COMPANY_FEATURE}) GROUP BY feature_id ORDER BY feature_id`, [tenantId, tenantId, featureId, featureId]);
  const gaps = store.all<GapRow>(
    `SELECT company_id, company_name, mrr, feature_id, feature_name FROM (${PER_COMPANY_FEATURE})
     WHERE this_week = 0 ORDER BY mrr DESC, company_id, feature_id LIMIT ?`, [tenantId, featureId, featureId, top]);
  const moverOrder = direction === 'down' ? '(this_week - last_week) ASC' : direction === 'up' ? '(this_week - last_week) DESC' : 'abs(this_week - last_week) DESC';
  const moverFilter = direction === 'down' ? 'this_week < last_week' : direction === 'up' ? 'this_week > last_week' : 'this_week != last_week';
  const movers = store.all<MoverRow>(
    `SELECT company_id, company_name, feature_id, feature_name, this_week, last_week FROM (${PER_COMPANY_FEATURE})
     WHERE ${moverFilter} ORDER BY ${moverOrder}, company_id, feature_id LIMIT ?`, [tenantId, featureId, featureId, top]);
  return {
    tracked_accounts: trackedAccounts, week_start: weekStarts(store, tenantId).this_week,
    features: features.map((row) => ({
      ...row, adoption_pct: trackedAccounts === 0 ? 0 : Math.round((row.accounts_using / trackedAccounts) * 1000) / 10,
      change_pct: changePct(row.events_this_week, row.events_last_week),
    })),
    gaps: gaps.map((row) => ({ ...row })),
    movers: movers.map((row) => ({
      company_id: row.company_id, company_name: row.company_name, feature_id: row.feature_id, feature_name: row.feature_name,
      events_this_week: row.this_week, events_last_week: row.last_week, change: row.this_week - row.last_week,
      change_pct: changePct(row.this_week, row.last_week),
    })),
  };
}

export const featureUsageHandlers = { getFeatureUsage, getFeatureAdoption };
