import { randomUUID } from 'node:crypto';
import { Conditions, selectPage } from '../db/store.ts';
import type { Store } from '../db/store.ts';
import type { TemplateConfig } from '../domain/catalog.ts';
import { addDays, isoDate, parseIsoDate } from '../domain/dates.ts';
import { instantiateTemplate } from '../domain/success-plan-template.ts';
import { InvalidFieldError, NotFoundError } from '../errors.ts';
import { has, param, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists } from './lookups.ts';

interface PlanRow {
  id: string; company_id: string; company_name: string; name: string; template_id: string; plan_type: string;
  status: string; owner_id: string | null; owner_name: string | null; description: string | null; start_date: string;
  due_date: string; created_at: string; updated_at: string;
}
interface ObjectiveRow { id: string; name: string; status: string; due_date: string; task_count: number; completed_task_count: number }
interface TemplateRow { id: string; name: string; plan_type: string; description: string; objectives: string }

const SELECT = `p.id, p.company_id, c.name AS company_name, p.name, p.template_id, p.plan_type, p.status, p.owner_id,
  u.name AS owner_name, p.description, p.start_date, p.due_date, p.created_at, p.updated_at`;
const FROM = 'success_plans p JOIN companies c ON c.id = p.company_id LEFT JOIN users u ON u.id = p.owner_id';
const OBJECTIVES_SQL = `SELECT o.id, o.name, o.status, o.due_date,
  (SELECT count(*) FROM tasks k WHERE k.objective_id = o.id) AS task_count,
  (SELECT count(*) FROM tasks k WHERE k.objective_id = o.id AND k.status = 'completed') AS completed_task_count
  FROM objectives o WHERE o.tenant_id = ? AND o.success_plan_id = ? ORDER BY o.position`;

function toPlan(store: Store, tenantId: string) {
  return function convert(row: PlanRow) {
    const objectives = store.all<ObjectiveRow>(OBJECTIVES_SQL, [tenantId, row.id]);
    const taskCount = objectives.reduce((sum, objective) => sum + objective.task_count, 0);
    const completed = objectives.reduce((sum, objective) => sum + objective.completed_task_count, 0);
    return {
      ...row, progress_pct: taskCount === 0 ? 0 : Math.round((completed / taskCount) * 100), task_count: taskCount,
      completed_task_count: completed, objectives: objectives.map((objective) => ({ ...objective })),
    };
  };
}

function findRow(store: Store, tenantId: string, id: string): PlanRow {
  const row = store.get<PlanRow>(`SELECT ${SELECT} FROM ${FROM} WHERE p.tenant_id = ? AND p.id = ?`, [tenantId, id]);
  if (row === undefined) throw new NotFoundError('success plan', id);
  return row;
}

function listSuccessPlans({ store, tenantId, query }: HandlerInput) {
  const companyId = readString(query, 'company_id');
  assertExists(store, tenantId, 'company', companyId);
  const where = new Conditions('p.tenant_id = ?', tenantId)
    .when(companyId, 'p.company_id = ?')
    .when(readString(query, 'status'), 'p.status = ?')
    .when(readString(query, 'plan_type'), 'p.plan_type = ?')
    .when(readString(query, 'owner_id'), 'p.owner_id = ?');
  return selectPage(store, { select: SELECT, from: FROM, where, orderBy: 'p.due_date ASC, p.id', ...readPage(query) }, toPlan(store, tenantId));
}

function getSuccessPlan(input: HandlerInput) {
  return toPlan(input.store, input.tenantId)(findRow(input.store, input.tenantId, param(input, 'planId')));
}

function findTemplate(store: Store, tenantId: string, id: string): TemplateConfig {
  const row = store.get<TemplateRow>('SELECT id, name, plan_type, description, objectives FROM success_plan_templates WHERE tenant_id = ? AND id = ?', [tenantId, id]);
  if (row === undefined) throw new InvalidFieldError('template_id', `unknown success plan template '${id}'; see listSuccessPlanTemplates`);
  return toTemplateConfig(row);
}

function toTemplateConfig(row: TemplateRow): TemplateConfig {
  const objectives = JSON.parse(row.objectives) as TemplateConfig['objectives'];
  const durationDays = Math.max(0, ...objectives.map((objective) => objective.dueOffsetDays));
  return { id: row.id, name: row.name, planType: row.plan_type, description: row.description, durationDays, objectives };
}

function createSuccessPlan({ store, tenantId, body, clock }: HandlerInput) {
  const companyId = readString(body, 'company_id') ?? '';
  const company = store.get<{ csm_id: string | null }>('SELECT csm_id FROM companies WHERE tenant_id = ? AND id = ?', [tenantId, companyId]);
  if (company === undefined) throw new NotFoundError('company', companyId);
  const template = findTemplate(store, tenantId, readString(body, 'template_id') ?? '');
  const ownerId = readString(body, 'owner_id');
  assertExists(store, tenantId, 'user', ownerId);
  const startText = readString(body, 'start_date');
  const startDate = startText === undefined ? clock.today() : parseIsoDate(startText);
  const now = clock.now().toISOString();
  const id = `sp_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  store.transaction(() => {
    store.run(
      `INSERT INTO success_plans (id, tenant_id, company_id, name, template_id, plan_type, status, owner_id, description,
         start_date, due_date, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [id, tenantId, companyId, readString(body, 'name') ?? '', template.id, template.planType, readString(body, 'status') ?? 'active',
        ownerId ?? company.csm_id, readString(body, 'description') ?? template.description, isoDate(startDate),
        isoDate(addDays(startDate, template.durationDays)), now, now],
    );
    const rows = instantiateTemplate(template, {
      tenantId, planId: id, companyId, ownerId: ownerId ?? company.csm_id, startDate, createdAt: now,
      newId: (prefix) => `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`, isCompleted: () => false,
    });
    for (const objective of rows.objectives) {
      store.run('INSERT INTO objectives (id, tenant_id, success_plan_id, name, status, due_date, position) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [objective.id, objective.tenant_id, objective.success_plan_id, objective.name, objective.status, objective.due_date, objective.position]);
    }
    for (const task of rows.tasks) {
      store.run(
        `INSERT INTO tasks (id, tenant_id, company_id, cta_id, success_plan_id, objective_id, name, status, priority, owner_id,
           due_date, completed_at, created_at) VALUES (?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [task.id, task.tenant_id, task.company_id, task.success_plan_id, task.objective_id, task.name, task.status, task.priority,
          task.owner_id, task.due_date, task.completed_at, task.created_at]);
    }
  });
  return toPlan(store, tenantId)(findRow(store, tenantId, id));
}

function updateSuccessPlan(input: HandlerInput) {
  const { store, tenantId, body, clock } = input;
  const id = param(input, 'planId');
  const row = findRow(store, tenantId, id);
  const ownerId = readString(body, 'owner_id');
  assertExists(store, tenantId, 'user', ownerId);
  store.run(
    'UPDATE success_plans SET name = ?, status = ?, owner_id = ?, due_date = ?, description = ?, updated_at = ? WHERE tenant_id = ? AND id = ?',
    [readString(body, 'name') ?? row.name, readString(body, 'status') ?? row.status, ownerId ?? row.owner_id,
      readString(body, 'due_date') ?? row.due_date, has(body, 'description') ? (readString(body, 'description') ?? null) : row.description,
      clock.now().toISOString(), tenantId, id],
  );
  return toPlan(store, tenantId)(findRow(store, tenantId, id));
}

function listSuccessPlanTemplates({ store, tenantId, query }: HandlerInput) {
  const { limit, offset } = readPage(query);
  const rows = store.all<TemplateRow>(
    'SELECT id, name, plan_type, description, objectives FROM success_plan_templates WHERE tenant_id = ? ORDER BY id LIMIT ? OFFSET ?',
    [tenantId, limit, offset]);
  const total = store.get<{ n: number }>('SELECT count(*) AS n FROM success_plan_templates WHERE tenant_id = ?', [tenantId])?.n ?? 0;
  const data = rows.map((row) => {
    const template = toTemplateConfig(row);
    return {
      id: template.id, name: template.name, plan_type: template.planType, description: template.description,
      duration_days: template.durationDays,
      objectives: template.objectives.map((objective) => ({
        name: objective.name, due_offset_days: objective.dueOffsetDays,
        tasks: objective.tasks.map((task) => ({ name: task.name, due_offset_days: task.dueOffsetDays })),
      })),
    };
  });
  return { data, total, limit, offset };
}

export const successPlanHandlers = { listSuccessPlans, getSuccessPlan, createSuccessPlan, updateSuccessPlan, listSuccessPlanTemplates };
