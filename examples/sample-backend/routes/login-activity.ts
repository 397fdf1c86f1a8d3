import { addDays, daysBetween, isoDate } from '../domain/dates.ts';
import { readNumber, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertCompanyTrackedIfAsked, assertExists, findRelationship } from './lookups.ts';

interface UserLoginRow {
  relationship_id: string; name: string; email: string; company_id: string; company_name: string; is_key_user: number;
  role: string; logins: number; last_login_at: string | null;
}

// Scope: one relationship, one company, or every active contact of the tenant's non-churned companies.
const SCOPE = `r.tenant_id = ? AND r.status = 'active' AND c.status != 'churned'
  AND (? IS NULL OR r.company_id = ?) AND (? IS NULL OR r.id = ?)`;
const USER_COLUMNS = `r.id AS relationship_id, r.first_name || ' ' || r.last_name AS name, r.email, r.company_id,
  c.name AS company_name, r.is_key_user, r.role`;

function getLoginActivity(input: HandlerInput) {
  const { store, tenantId, query, clock } = input;
  const companyId = readString(query, 'company_id') ?? null;
  const relationshipId = readString(query, 'relationship_id') ?? null;
  assertExists(store, tenantId, 'company', companyId ?? undefined);
  const person = relationshipId === null ? null : findRelationship(store, tenantId, relationshipId);
  // tracked_only guards the account named by company_id and the account of relationship_id.
  if (companyId !== null) assertCompanyTrackedIfAsked(input, companyId);
  if (person !== null && person.company_id !== companyId) assertCompanyTrackedIfAsked(input, person.company_id);
  const days = readNumber(query, 'days') ?? 30;
  const inactiveDays = readNumber(query, 'inactive_days') ?? days;
  const limit = readNumber(query, 'limit') ?? 25;
  const today = clock.today();
  const since = isoDate(addDays(today, -days));
  const scope = [tenantId, companyId, companyId, relationshipId, relationshipId];
  const daily = store.all<{ date: string; logins: number }>(
    `SELECT e.day AS date, sum(e.logins) AS logins FROM login_events e
     JOIN relationships r ON r.id = e.relationship_id JOIN companies c ON c.id = r.company_id
     WHERE ${SCOPE} AND e.day >= ? GROUP BY e.day ORDER BY e.day`, [...scope, since]);
  const users = store.all<UserLoginRow>(
    `SELECT ${USER_COLUMNS}, sum(e.logins) AS logins, r.last_login_at FROM relationships r
     JOIN companies c ON c.id = r.company_id JOIN login_events e ON e.relationship_id = r.id AND e.day >= ?
     WHERE ${SCOPE} GROUP BY r.id ORDER BY logins DESC, r.id LIMIT ?`, [since, ...scope, limit]);
  const inactiveWhere = `${SCOPE} AND (r.last_login_at IS NULL OR r.last_login_at < ?)`;
  const cutoff = addDays(today, -inactiveDays).toISOString();
  const inactive = store.all<UserLoginRow>(
    `SELECT ${USER_COLUMNS}, 0 AS logins, r.last_login_at FROM relationships r JOIN companies c ON c.id = r.company_id
     WHERE ${inactiveWhere} ORDER BY r.is_key_user DESC, r.last_login_at IS NOT NULL, r.last_login_at, r.id LIMIT ?`, [...scope, cutoff, limit]);
  const inactiveTotal = store.get<{ n: number }>(
    `SELECT count(*) AS n FROM relationships r JOIN companies c ON c.id = r.company_id WHERE ${inactiveWhere}`, [...scope, cutoff])?.n ?? 0;
  const activeUsers = store.get<{ n: number }>(
    `SELECT count(DISTINCT r.id) AS n FROM relationships r JOIN companies c ON c.id = r.company_id
     JOIN login_events e ON e.relationship_id = r.id AND e.day >= ? WHERE ${SCOPE}`, [since, ...scope])?.n ?? 0;
  const toUser = (row: UserLoginRow) => ({
    relationship_id: row.relationship_id, name: row.name, email: row.email, company_id: row.company_id,
    company_name: row.company_name, role: row.role, is_key_user: row.is_key_user === 1, logins: row.logins,
    last_login_at: row.last_login_at,
    days_since_login: row.last_login_at === null ? null : daysBetween(new Date(row.last_login_at), today),
  });
  return {
    company_id: companyId, relationship_id: relationshipId, days, since,
    total_logins: daily.reduce((sum, day) => sum + day.logins, 0), active_users: activeUsers,
    daily: daily.map((day) => ({ ...day })), users: users.map(toUser),
    inactive_days: inactiveDays, inactive_total: inactiveTotal, inactive_users: inactive.map(toUser),
  };
}

export const loginActivityHandlers = { getLoginActivity };
