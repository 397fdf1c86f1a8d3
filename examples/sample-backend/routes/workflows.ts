import { randomUUID } from 'node:crypto';
import { Conditions, selectPage } from '../db/store.ts';
import { ConflictError, InvalidFieldError, MissingFieldError, NotFoundError } from '../errors.ts';
import { param, readBoolean, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists, findRelationship } from './lookups.ts';

interface WorkflowRow {
  id: string; name: string; description: string; category: string; requires_relationship: number; active: number;
  created_at: string; last_run_at: string | null;
}

const SELECT = `w.id, w.name, w.description, w.category, w.requires_relationship, w.active, w.created_at,
  (SELECT max(triggered_at) FROM workflow_runs r WHERE r.tenant_id = w.tenant_id AND r.workflow_id = w.id) AS last_run_at`;

function toWorkflow(row: WorkflowRow) {
  return { ...row, requires_relationship: row.requires_relationship === 1, active: row.active === 1 };
}

function listWorkflows({ store, tenantId, query }: HandlerInput) {
  const where = new Conditions('w.tenant_id = ?', tenantId).when(readString(query, 'category'), 'w.category = ?');
  const active = readBoolean(query, 'active');
  if (active !== undefined) where.add('w.active = ?', active ? 1 : 0);
  return selectPage(store, { select: SELECT, from: 'workflows w', where, orderBy: 'w.name, w.id', ...readPage(query) }, toWorkflow);
}

function triggerWorkflow(input: HandlerInput) {
  const { store, tenantId, body, clock } = input;
  const workflowId = param(input, 'workflowId');
  const workflow = store.get<WorkflowRow>(`SELECT ${SELECT} FROM workflows w WHERE w.tenant_id = ? AND w.id = ?`, [tenantId, workflowId]);
  if (workflow === undefined) throw new NotFoundError('workflow', workflowId);
  const companyId = readString(body, 'company_id') ?? '';
  assertExists(store, tenantId, 'company', companyId);
  const relationshipId = readString(body, 'relationship_id') ?? null;
  if (relationshipId === null && workflow.requires_relationship === 1) {
    throw new MissingFieldError('relationship_id', `field 'relationship_id' is required: workflow '${workflow.id}' runs on one contact`);
  }
  if (relationshipId !== null && findRelationship(store, tenantId, relationshipId).company_id !== companyId) {
    throw new InvalidFieldError('relationship_id', `relationship '${relationshipId}' does not belong to company '${companyId}'`);
  }
  if (workflow.active === 0) throw new ConflictError(`workflow '${workflow.id}' is inactive and cannot be triggered`);
  const id = `run_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const triggeredAt = clock.now().toISOString();
  store.run(
    'INSERT INTO workflow_runs (id, tenant_id, workflow_id, company_id, relationship_id, status, triggered_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    [id, tenantId, workflow.id, companyId, relationshipId, 'queued', triggeredAt]);
  return {
    id, workflow_id: workflow.id, workflow_name: workflow.name, company_id: companyId, relationship_id: relationshipId,
    status: 'queued', triggered_at: triggeredAt,
  };
}

export const workflowHandlers = { listWorkflows, triggerWorkflow };
