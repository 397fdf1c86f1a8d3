import type { Store } from '../db/store.ts';
import { AccountNotTrackedError, NotFoundError } from '../errors.ts';
import { readBoolean } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';

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

/** A company as the tracked-accounts guard sees it. */
export interface TrackedRef {
  id: string;
  name: string;
  tracked: number;
}

/**
 * GoCSM's tracked-accounts guard: with `tracked_only=true`, a company that is not tracked answers
 * 403 `account_not_tracked`. Callers look the company up first, so an unknown id (or another
 * tenant's) is still a 404 and never reveals a name.
 */
export function assertTrackedIfAsked(input: HandlerInput, company: TrackedRef): void {
  if (readBoolean(input.query, 'tracked_only') === true && company.tracked !== 1) throw new AccountNotTrackedError(company.name, company.id);
}

/** The tracked-accounts guard for an operation that names the company only by id. */
export function assertCompanyTrackedIfAsked(input: HandlerInput, companyId: string): void {
  if (readBoolean(input.query, 'tracked_only') !== true) return;
  const row = input.store.get<TrackedRef>('SELECT id, name, tracked FROM companies WHERE tenant_id = ? AND id = ?', [input.tenantId, companyId]);
  if (row === undefined) throw new NotFoundError('company', companyId);
  assertTrackedIfAsked(input, row);
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
