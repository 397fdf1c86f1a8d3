import { Conditions, containsPattern, selectPage } from '../db/store.ts';
import type { Store } from '../db/store.ts';
import { COMPANY_CUSTOM_FIELDS } from '../domain/catalog.ts';
import { ApiError, NotFoundError } from '../errors.ts';
import { has, param, readBoolean, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists } from './lookups.ts';

export interface CompanyRow {
  id: string; name: string; industry: string; stage: string; status: string; plan: string; region: string;
  website: string; arr: number; mrr: number; health_score: number; previous_health_score: number; health_band: string;
  csm_id: string | null; csm_name: string | null; renewal_date: string | null; employees: number; licensed_seats: number;
  tracked: number; priority: string; custom_fields: string; created_at: string; updated_at: string;
}

const SELECT = `c.id, c.name, c.industry, c.stage, c.status, c.plan, c.region, c.website, c.arr, c.mrr, c.health_score,
  c.previous_health_score, c.health_band, c.csm_id, u.name AS csm_name, c.renewal_date, c.employees, c.licensed_seats,
  c.tracked, c.priority, c.custom_fields, c.created_at, c.updated_at`;
const FROM = 'companies c LEFT JOIN users u ON u.id = c.csm_id';
const GET_SQL = `SELECT ${SELECT} FROM ${FROM} WHERE c.tenant_id = ? AND c.id = ?`;

const SORTS: Readonly<Record<string, string>> = {
  name: 'c.name ASC', '-name': 'c.name DESC', arr: 'c.arr ASC', '-arr': 'c.arr DESC', mrr: 'c.mrr ASC', '-mrr': 'c.mrr DESC',
  health_score: 'c.health_score ASC', '-health_score': 'c.health_score DESC',
  renewal_date: 'c.renewal_date IS NULL, c.renewal_date ASC', '-renewal_date': 'c.renewal_date DESC',
  created_at: 'c.created_at ASC', '-created_at': 'c.created_at DESC', employees: 'c.employees ASC', '-employees': 'c.employees DESC',
};

export function toCompany(row: CompanyRow) {
  return {
    id: row.id, name: row.name, industry: row.industry, stage: row.stage, status: row.status, plan: row.plan,
    region: row.region, website: row.website, arr: row.arr, mrr: row.mrr, currency: 'USD', health_score: row.health_score,
    previous_health_score: row.previous_health_score, health_band: row.health_band, csm_id: row.csm_id, csm_name: row.csm_name,
    renewal_date: row.renewal_date, employees: row.employees, licensed_seats: row.licensed_seats, tracked: row.tracked === 1,
    priority: row.priority, custom_fields: JSON.parse(row.custom_fields) as Record<string, unknown>,
    created_at: row.created_at, updated_at: row.updated_at,
  };
}

export function findCompanyRow(store: Store, tenantId: string, companyId: string): CompanyRow {
  const row = store.get<CompanyRow>(GET_SQL, [tenantId, companyId]);
  if (row === undefined) throw new NotFoundError('company', companyId);
  return row;
}

function listCompanies({ store, tenantId, query }: HandlerInput) {
  const where = new Conditions('c.tenant_id = ?', tenantId)
    .when(readString(query, 'status'), 'c.status = ?')
    .when(readString(query, 'stage'), 'c.stage = ?')
    .when(readString(query, 'industry'), 'c.industry = ?')
    .when(readString(query, 'health_band'), 'c.health_band = ?')
    .when(readString(query, 'csm_id'), 'c.csm_id = ?')
    .when(readString(query, 'priority'), 'c.priority = ?')
    .when(readString(query, 'plan'), 'c.plan = ?');
  const q = readString(query, 'q');
  if (q !== undefined) where.add("c.name LIKE ? ESCAPE '\\'", containsPattern(q));
  const tracked = readBoolean(query, 'tracked');
  if (tracked !== undefined) where.add('c.tracked = ?', tracked ? 1 : 0);
  const sort = SORTS[readString(query, 'sort') ?? 'name'] ?? 'c.name ASC';
  return selectPage(store, { select: SELECT, from: FROM, where, orderBy: `${sort}, c.id`, ...readPage(query) }, toCompany);
}

function getCompany({ store, tenantId, params, query }: HandlerInput) {
  const row = store.get<CompanyRow>(GET_SQL, [tenantId, params.companyId ?? '']);
  if (row === undefined) throw new NotFoundError('company', params.companyId ?? '');
  if (readBoolean(query, 'tracked_only') === true && row.tracked !== 1) {
    throw new ApiError(403, 'account_not_tracked', `Account ${row.name} (${row.id}) is not in your tracked accounts; track it in the GoCSM dashboard first.`);
  }
  return toCompany(row);
}

function updateCompany(input: HandlerInput) {
  const { store, tenantId, body, clock } = input;
  const companyId = param(input, 'companyId');
  const row = findCompanyRow(store, tenantId, companyId);
  const csmId = body.csm_id;
  if (typeof csmId === 'string') assertExists(store, tenantId, 'user', csmId);
  const customFields = { ...(JSON.parse(row.custom_fields) as Record<string, unknown>) };
  const patch = (body.custom_fields ?? {}) as Record<string, unknown>;
  for (const definition of COMPANY_CUSTOM_FIELDS) {
    if (has(patch, definition.name)) customFields[definition.name] = patch[definition.name];
  }
  const tracked = readBoolean(body, 'tracked');
  store.run(
    `UPDATE companies SET priority = ?, tracked = ?, stage = ?, csm_id = ?, custom_fields = ?, updated_at = ?
     WHERE tenant_id = ? AND id = ?`,
    [
      readString(body, 'priority') ?? row.priority, tracked === undefined ? row.tracked : tracked ? 1 : 0,
      readString(body, 'stage') ?? row.stage, has(body, 'csm_id') ? (csmId as string | null) : row.csm_id,
      JSON.stringify(customFields), clock.now().toISOString(), tenantId, companyId,
    ],
  );
  return toCompany(findCompanyRow(store, tenantId, companyId));
}

export const companyHandlers = { listCompanies, getCompany, updateCompany };
