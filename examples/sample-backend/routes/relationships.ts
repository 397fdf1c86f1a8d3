import { Conditions, containsPattern, selectPage } from '../db/store.ts';
import type { Store } from '../db/store.ts';
import { NotFoundError } from '../errors.ts';
import { has, param, readBoolean, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists } from './lookups.ts';

interface RelationshipRow {
  id: string; company_id: string; company_name: string; first_name: string; last_name: string; email: string;
  title: string; role: string; is_key_user: number; status: string; last_login_at: string | null; left_at: string | null;
  created_at: string; updated_at: string;
}

const SELECT = `r.id, r.company_id, c.name AS company_name, r.first_name, r.last_name, r.email, r.title, r.role,
  r.is_key_user, r.status, r.last_login_at, r.left_at, r.created_at, r.updated_at`;
const FROM = 'relationships r JOIN companies c ON c.id = r.company_id';
const GET_SQL = `SELECT ${SELECT} FROM ${FROM} WHERE r.tenant_id = ? AND r.id = ?`;

const SORTS: Readonly<Record<string, string>> = {
  name: 'r.last_name ASC, r.first_name ASC', '-name': 'r.last_name DESC, r.first_name DESC',
  last_login_at: 'r.last_login_at IS NULL, r.last_login_at ASC', '-last_login_at': 'r.last_login_at DESC',
  created_at: 'r.created_at ASC', '-created_at': 'r.created_at DESC',
};

function toRelationship(row: RelationshipRow) {
  return {
    id: row.id, company_id: row.company_id, company_name: row.company_name, name: `${row.first_name} ${row.last_name}`,
    first_name: row.first_name, last_name: row.last_name, email: row.email, title: row.title, role: row.role,
    is_key_user: row.is_key_user === 1, status: row.status, last_login_at: row.last_login_at, left_at: row.left_at,
    created_at: row.created_at, updated_at: row.updated_at,
  };
}

function findRow(store: Store, tenantId: string, id: string): RelationshipRow {
  const row = store.get<RelationshipRow>(GET_SQL, [tenantId, id]);
  if (row === undefined) throw new NotFoundError('relationship', id);
  return row;
}

function listRelationships({ store, tenantId, query }: HandlerInput) {
  const companyId = readString(query, 'company_id');
  assertExists(store, tenantId, 'company', companyId);
  const where = new Conditions('r.tenant_id = ?', tenantId)
    .when(companyId, 'r.company_id = ?')
    .when(readString(query, 'role'), 'r.role = ?')
    .when(readString(query, 'status'), 'r.status = ?');
  const q = readString(query, 'q');
  if (q !== undefined) {
    const pattern = containsPattern(q);
    where.add("(r.first_name || ' ' || r.last_name LIKE ? ESCAPE '\\' OR r.email LIKE ? ESCAPE '\\' OR r.title LIKE ? ESCAPE '\\')", pattern, pattern, pattern);
  }
  const keyUser = readBoolean(query, 'is_key_user');
  if (keyUser !== undefined) where.add('r.is_key_user = ?', keyUser ? 1 : 0);
  const sort = SORTS[readString(query, 'sort') ?? 'name'] ?? SORTS.name;
  return selectPage(store, { select: SELECT, from: FROM, where, orderBy: `${sort}, r.id`, ...readPage(query) }, toRelationship);
}

function getRelationship(input: HandlerInput) {
  return toRelationship(findRow(input.store, input.tenantId, param(input, 'relationshipId')));
}

function updateRelationship(input: HandlerInput) {
  const { store, tenantId, body, clock } = input;
  const id = param(input, 'relationshipId');
  const row = findRow(store, tenantId, id);
  const now = clock.now().toISOString();
  const keyUser = readBoolean(body, 'is_key_user');
  const status = readString(body, 'status') ?? row.status;
  const leftAt = status === row.status ? row.left_at : status === 'left' ? now : null;
  store.run(
    `UPDATE relationships SET is_key_user = ?, title = ?, role = ?, status = ?, left_at = ?, updated_at = ?
     WHERE tenant_id = ? AND id = ?`,
    [keyUser === undefined ? row.is_key_user : keyUser ? 1 : 0, readString(body, 'title') ?? row.title,
      readString(body, 'role') ?? row.role, status, has(body, 'status') ? leftAt : row.left_at, now, tenantId, id],
  );
  return toRelationship(findRow(store, tenantId, id));
}

export const relationshipHandlers = { listRelationships, getRelationship, updateRelationship };
