import { Conditions, selectPage } from '../db/store.ts';
import { isoDate } from '../domain/dates.ts';
import { NotFoundError } from '../errors.ts';
import { param, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists } from './lookups.ts';

interface TaskRow {
  id: string; company_id: string; company_name: string; cta_id: string | null; success_plan_id: string | null;
  objective_id: string | null; name: string; status: string; priority: string; owner_id: string | null;
  owner_name: string | null; due_date: string; completed_at: string | null; created_at: string;
}

const SELECT = `k.id, k.company_id, c.name AS company_name, k.cta_id, k.success_plan_id, k.objective_id, k.name, k.status,
  k.priority, k.owner_id, u.name AS owner_name, k.due_date, k.completed_at, k.created_at`;
const FROM = 'tasks k JOIN companies c ON c.id = k.company_id LEFT JOIN users u ON u.id = k.owner_id';
const SORTS: Readonly<Record<string, string>> = {
  due_date: 'k.due_date ASC', '-due_date': 'k.due_date DESC', created_at: 'k.created_at ASC', '-created_at': 'k.created_at DESC',
};

function toTask(today: string) {
  return (row: TaskRow) => ({ ...row, is_overdue: row.status !== 'completed' && row.due_date < today });
}

function listTasks({ store, tenantId, query, clock }: HandlerInput) {
  const ctaId = readString(query, 'cta_id');
  const planId = readString(query, 'success_plan_id');
  const companyId = readString(query, 'company_id');
  assertExists(store, tenantId, 'cta', ctaId);
  assertExists(store, tenantId, 'success plan', planId);
  assertExists(store, tenantId, 'company', companyId);
  const where = new Conditions('k.tenant_id = ?', tenantId)
    .when(ctaId, 'k.cta_id = ?')
    .when(planId, 'k.success_plan_id = ?')
    .when(companyId, 'k.company_id = ?')
    .when(readString(query, 'status'), 'k.status = ?')
    .when(readString(query, 'owner_id'), 'k.owner_id = ?')
    .when(readString(query, 'due_before'), 'k.due_date < ?');
  const sort = SORTS[readString(query, 'sort') ?? 'due_date'] ?? 'k.due_date ASC';
  return selectPage(store, { select: SELECT, from: FROM, where, orderBy: `${sort}, k.id`, ...readPage(query) }, toTask(isoDate(clock.today())));
}

function getTask(input: HandlerInput) {
  const id = param(input, 'taskId');
  const row = input.store.get<TaskRow>(`SELECT ${SELECT} FROM ${FROM} WHERE k.tenant_id = ? AND k.id = ?`, [input.tenantId, id]);
  if (row === undefined) throw new NotFoundError('task', id);
  return toTask(isoDate(input.clock.today()))(row);
}

export const taskHandlers = { listTasks, getTask };
