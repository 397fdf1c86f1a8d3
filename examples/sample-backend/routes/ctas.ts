import { randomUUID } from 'node:crypto';
import { Conditions, selectPage } from '../db/store.ts';
import type { Store } from '../db/store.ts';
import { isoDate } from '../domain/dates.ts';
import { InvalidFieldError, MissingFieldError, NotFoundError } from '../errors.ts';
import { has, param, readBoolean, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { findCtaType } from './cta-types.ts';
import type { CtaType } from './cta-types.ts';
import { assertExists } from './lookups.ts';

interface CtaRow {
  id: string; company_id: string; company_name: string; name: string; type_id: string; type_name: string;
  reason_id: string | null; reason_name: string | null; status_id: string; status_name: string; is_closed: number;
  priority: string; owner_id: string | null; owner_name: string | null; due_date: string; comments: string | null;
  source: string; closed_at: string | null; created_at: string; updated_at: string; task_count: number; open_task_count: number;
}

const SELECT = `a.id, a.company_id, c.name AS company_name, a.name, a.type_id, t.name AS type_name, a.reason_id,
  r.name AS reason_name, a.status_id, s.name AS status_name, s.is_closed, a.priority, a.owner_id, u.name AS owner_name,
  a.due_date, a.comments, a.source, a.closed_at, a.created_at, a.updated_at,
  (SELECT count(*) FROM tasks k WHERE k.cta_id = a.id) AS task_count,
  (SELECT count(*) FROM tasks k WHERE k.cta_id = a.id AND k.status != 'completed') AS open_task_count`;
const FROM = `ctas a JOIN companies c ON c.id = a.company_id
  JOIN cta_types t ON t.tenant_id = a.tenant_id AND t.id = a.type_id
  JOIN cta_statuses s ON s.tenant_id = a.tenant_id AND s.id = a.status_id
  LEFT JOIN cta_reasons r ON r.tenant_id = a.tenant_id AND r.id = a.reason_id
  LEFT JOIN users u ON u.id = a.owner_id`;
const PRIORITY_RANK = "CASE a.priority WHEN 'critical' THEN 4 WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END";
const SORTS: Readonly<Record<string, string>> = {
  due_date: 'a.due_date ASC', '-due_date': 'a.due_date DESC', priority: `${PRIORITY_RANK} ASC, a.due_date ASC`,
  '-priority': `${PRIORITY_RANK} DESC, a.due_date ASC`, created_at: 'a.created_at ASC', '-created_at': 'a.created_at DESC',
};

function toCta(today: string) {
  return function convert(row: CtaRow) {
    const closed = row.is_closed === 1;
    return {
      id: row.id, company_id: row.company_id, company_name: row.company_name, name: row.name, type_id: row.type_id,
      type_name: row.type_name, reason_id: row.reason_id, reason_name: row.reason_name, status: closed ? 'closed' : 'open',
      status_id: row.status_id, status_name: row.status_name, priority: row.priority, owner_id: row.owner_id,
      owner_name: row.owner_name, due_date: row.due_date, is_overdue: !closed && row.due_date < today, comments: row.comments,
      source: row.source, task_count: row.task_count, open_task_count: row.open_task_count, closed_at: row.closed_at,
      created_at: row.created_at, updated_at: row.updated_at,
    };
  };
}

function findRow(store: Store, tenantId: string, id: string): CtaRow {
  const row = store.get<CtaRow>(`SELECT ${SELECT} FROM ${FROM} WHERE a.tenant_id = ? AND a.id = ?`, [tenantId, id]);
  if (row === undefined) throw new NotFoundError('cta', id);
  return row;
}

function listCtas({ store, tenantId, query, clock }: HandlerInput) {
  const companyId = readString(query, 'company_id');
  assertExists(store, tenantId, 'company', companyId);
  const where = new Conditions('a.tenant_id = ?', tenantId)
    .when(companyId, 'a.company_id = ?')
    .when(readString(query, 'status_id'), 'a.status_id = ?')
    .when(readString(query, 'type_id'), 'a.type_id = ?')
    .when(readString(query, 'reason_id'), 'a.reason_id = ?')
    .when(readString(query, 'priority'), 'a.priority = ?')
    .when(readString(query, 'owner_id'), 'a.owner_id = ?')
    .when(readString(query, 'due_before'), 'a.due_date < ?')
    .when(readString(query, 'due_after'), 'a.due_date > ?');
  const status = readString(query, 'status');
  if (status !== undefined) where.add('s.is_closed = ?', status === 'closed' ? 1 : 0);
  const today = isoDate(clock.today());
  if (readBoolean(query, 'overdue') === true) where.add('s.is_closed = 0 AND a.due_date < ?', today);
  const sort = SORTS[readString(query, 'sort') ?? 'due_date'] ?? 'a.due_date ASC';
  return selectPage(store, { select: SELECT, from: FROM, where, orderBy: `${sort}, a.id`, ...readPage(query) }, toCta(today));
}

function getCta(input: HandlerInput) {
  return toCta(isoDate(input.clock.today()))(findRow(input.store, input.tenantId, param(input, 'ctaId')));
}

interface CtaFields {
  reason_id: string | null;
  status_id: string;
  comments: string | null;
}

/** The type's dependency rules: reason and status belong to the type, mandatory fields are filled. */
function checkTypeRules(type: CtaType, fields: CtaFields): { isClosed: boolean } {
  const reasonIds = type.reasons.map((reason) => reason.id);
  if (fields.reason_id !== null && !reasonIds.includes(fields.reason_id)) {
    throw new InvalidFieldError('reason_id', `reason '${fields.reason_id}' is not a reason of CTA type '${type.id}'; allowed: ${reasonIds.join(', ')}`);
  }
  const status = type.statuses.find((candidate) => candidate.id === fields.status_id);
  if (status === undefined) {
    const allowed = type.statuses.map((candidate) => candidate.id).join(', ');
    throw new InvalidFieldError('status_id', `status '${fields.status_id}' is not allowed for CTA type '${type.id}'; allowed: ${allowed}`);
  }
  for (const field of type.required_fields) {
    const value = field === 'reason_id' ? fields.reason_id : field === 'comments' ? fields.comments : 'set';
    if (value === null || value === '') throw new MissingFieldError(field, `field '${field}' is required for CTA type '${type.id}'`);
  }
  if (status.requires_comments && (fields.comments === null || fields.comments === '')) {
    throw new MissingFieldError('comments', `field 'comments' is required when status is '${status.id}'`);
  }
  return { isClosed: status.is_closed };
}

function requireCtaType(store: Store, tenantId: string, typeId: string): CtaType {
  const type = findCtaType(store, tenantId, typeId);
  if (type === undefined) throw new InvalidFieldError('type_id', `unknown CTA type '${typeId}'; see listCtaTypes`);
  return type;
}

function createCta({ store, tenantId, body, clock }: HandlerInput) {
  const companyId = readString(body, 'company_id') ?? '';
  const company = store.get<{ csm_id: string | null }>('SELECT csm_id FROM companies WHERE tenant_id = ? AND id = ?', [tenantId, companyId]);
  if (company === undefined) throw new NotFoundError('company', companyId);
  const type = requireCtaType(store, tenantId, readString(body, 'type_id') ?? '');
  const ownerId = readString(body, 'owner_id');
  assertExists(store, tenantId, 'user', ownerId);
  const fields: CtaFields = {
    reason_id: readString(body, 'reason_id') ?? null,
    status_id: readString(body, 'status_id') ?? type.default_status_id,
    comments: readString(body, 'comments') ?? null,
  };
  const { isClosed } = checkTypeRules(type, fields);
  const now = clock.now().toISOString();
  const id = `cta_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  store.run(
    `INSERT INTO ctas (id, tenant_id, company_id, name, type_id, reason_id, status_id, priority, owner_id, due_date, comments,
       source, closed_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'api', ?, ?, ?)`,
    [id, tenantId, companyId, readString(body, 'name') ?? '', type.id, fields.reason_id, fields.status_id,
      readString(body, 'priority') ?? type.default_priority, ownerId ?? company.csm_id, readString(body, 'due_date') ?? '',
      fields.comments, isClosed ? now : null, now, now],
  );
  return toCta(isoDate(clock.today()))(findRow(store, tenantId, id));
}

function updateCta(input: HandlerInput) {
  const { store, tenantId, body, clock } = input;
  const id = param(input, 'ctaId');
  const row = findRow(store, tenantId, id);
  const ownerId = readString(body, 'owner_id');
  assertExists(store, tenantId, 'user', ownerId);
  const fields: CtaFields = {
    reason_id: has(body, 'reason_id') ? (readString(body, 'reason_id') ?? null) : row.reason_id,
    status_id: readString(body, 'status_id') ?? row.status_id,
    comments: has(body, 'comments') ? (readString(body, 'comments') ?? null) : row.comments,
  };
  const { isClosed } = checkTypeRules(requireCtaType(store, tenantId, row.type_id), fields);
  const now = clock.now().toISOString();
  const closedAt = isClosed ? (row.is_closed === 1 ? row.closed_at : now) : null;
  store.run(
    `UPDATE ctas SET name = ?, reason_id = ?, status_id = ?, priority = ?, owner_id = ?, due_date = ?, comments = ?,
       closed_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?`,
    [readString(body, 'name') ?? row.name, fields.reason_id, fields.status_id, readString(body, 'priority') ?? row.priority,
      ownerId ?? row.owner_id, readString(body, 'due_date') ?? row.due_date, fields.comments, closedAt, now, tenantId, id],
  );
  return toCta(isoDate(clock.today()))(findRow(store, tenantId, id));
}

export const ctaHandlers = { listCtas, getCta, createCta, updateCta };
