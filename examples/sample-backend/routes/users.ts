import { Conditions, containsPattern, selectPage } from '../db/store.ts';
import { NotFoundError } from '../errors.ts';
import { param, readBoolean, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

interface UserRow {
  id: string; name: string; email: string; role: string; title: string; active: number; account_count: number; created_at: string;
}

const SELECT = `u.id, u.name, u.email, u.role, u.title, u.active,
  (SELECT count(*) FROM companies c WHERE c.tenant_id = u.tenant_id AND c.csm_id = u.id AND c.status != 'churned') AS account_count,
  u.created_at`;

function toUser(row: UserRow) {
  return {
    id: row.id, name: row.name, email: row.email, role: row.role, title: row.title, active: row.active === 1,
    account_count: row.account_count, created_at: row.created_at,
  };
}

function listUsers({ store, tenantId, query }: HandlerInput) {
  const where = new Conditions('u.tenant_id = ?', tenantId).when(readString(query, 'role'), 'u.role = ?');
  const q = readString(query, 'q');
  if (q !== undefined) where.add("(u.name LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')", containsPattern(q), containsPattern(q));
  const active = readBoolean(query, 'active');
  if (active !== undefined) where.add('u.active = ?', active ? 1 : 0);
  return selectPage(store, { select: SELECT, from: 'users u', where, orderBy: 'u.name, u.id', ...readPage(query) }, toUser);
}

function getUser(input: HandlerInput) {
  const id = param(input, 'userId');
  const row = input.store.get<UserRow>(`SELECT ${SELECT} FROM users u WHERE u.tenant_id = ? AND u.id = ?`, [input.tenantId, id]);
  if (row === undefined) throw new NotFoundError('user', id);
  return toUser(row);
}

export const userHandlers = { listUsers, getUser };
