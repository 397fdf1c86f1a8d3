import type { Store } from '../db/store.ts';
import { NotFoundError } from '../errors.ts';

/** Existence checks shared by the routes; each is scoped to the tenant, so another tenant's id is simply "not found". */

const TABLES = {
  company: 'companies',
  relationship: 'relationships',
  user: 'users',
  cta: 'ctas',
  'success plan': 'success_plans',
  'timeline activity': 'timeline_activities',
  task: 'tasks',
} as const;

export type Resource = keyof typeof TABLES;

export function assertExists(store: Store, tenantId: string, resource: Resource, id: string | undefined): void {
  if (id === undefined) return;
  const row = store.get(`SELECT 1 AS found FROM ${TABLES[resource]} WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
  if (row === undefined) throw new NotFoundError(resource, id);
}

export interface RelationshipRef {
  id: string;
  company_id: string;
  status: string;
}

export function findRelationship(store: Store, tenantId: string, id: string): RelationshipRef {
  const row = store.get<RelationshipRef>('SELECT id, company_id, status FROM relationships WHERE tenant_id = ? AND id = ?', [tenantId, id]);
  if (row === undefined) throw new NotFoundError('relationship', id);
  return row;
}
