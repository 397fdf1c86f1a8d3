import { randomUUID } from 'node:crypto';
import { Conditions, selectPage } from '../db/store.ts';
import type { Store } from '../db/store.ts';
import type { CustomFieldDefinition } from '../domain/catalog.ts';
import { validateCustomFields } from '../domain/custom-fields.ts';
import { InvalidFieldError, MissingFieldError, NotFoundError } from '../errors.ts';
import { has, param, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists, findRelationship } from './lookups.ts';
import { parseSince } from './since.ts';

interface ActivityRow {
  id: string; type_id: string; type_name: string; subject: string; notes: string | null; activity_date: string;
  context_type: string; company_id: string; company_name: string; relationship_id: string | null; cta_id: string | null;
  success_plan_id: string | null; author_id: string | null; author_name: string | null; custom_fields: string;
  created_at: string; updated_at: string;
}
interface ActivityTypeRow { id: string; name: string; description: string; custom_fields: string }

const SELECT = `a.id, a.type_id, t.name AS type_name, a.subject, a.notes, a.activity_date, a.context_type, a.company_id,
  c.name AS company_name, a.relationship_id, a.cta_id, a.success_plan_id, a.author_id, u.name AS author_name,
  a.custom_fields, a.created_at, a.updated_at`;
const FROM = `timeline_activities a JOIN companies c ON c.id = a.company_id
  JOIN activity_types t ON t.tenant_id = a.tenant_id AND t.id = a.type_id LEFT JOIN users u ON u.id = a.author_id`;
const CONTEXT_FIELDS = ['company_id', 'relationship_id', 'cta_id', 'success_plan_id'] as const;

/** `null` clears an optional custom field. */
function dropNulls(values: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(values)) if (value === null) delete values[name];
}

/** Stored as UTC ISO strings so that text order is time order. */
function normalizeDateTime(text: string | undefined): string | undefined {
  return text === undefined ? undefined : new Date(text).toISOString();
}

function toActivity(row: ActivityRow) {
  return { ...row, custom_fields: JSON.parse(row.custom_fields) as Record<string, unknown> };
}

function findRow(store: Store, tenantId: string, id: string): ActivityRow {
  const row = store.get<ActivityRow>(`SELECT ${SELECT} FROM ${FROM} WHERE a.tenant_id = ? AND a.id = ?`, [tenantId, id]);
  if (row === undefined) throw new NotFoundError('timeline activity', id);
  return row;
}

function findActivityType(store: Store, tenantId: string, id: string): ActivityTypeRow {
  const row = store.get<ActivityTypeRow>('SELECT id, name, description, custom_fields FROM activity_types WHERE tenant_id = ? AND id = ?', [tenantId, id]);
  if (row === undefined) throw new InvalidFieldError('type_id', `unknown activity type '${id}'; see listActivityTypes`);
  return row;
}

function listTimelineActivities({ store, tenantId, query }: HandlerInput) {
  const companyId = readString(query, 'company_id');
  const relationshipId = readString(query, 'relationship_id');
  const ctaId = readString(query, 'cta_id');
  const planId = readString(query, 'success_plan_id');
  assertExists(store, tenantId, 'company', companyId);
  assertExists(store, tenantId, 'relationship', relationshipId);
  assertExists(store, tenantId, 'cta', ctaId);
  assertExists(store, tenantId, 'success plan', planId);
  const since = readString(query, 'since');
  const where = new Conditions('a.tenant_id = ?', tenantId)
    .when(companyId, 'a.company_id = ?')
    .when(relationshipId, 'a.relationship_id = ?')
    .when(ctaId, 'a.cta_id = ?')
    .when(planId, 'a.success_plan_id = ?')
    .when(readString(query, 'type_id'), 'a.type_id = ?')
    .when(readString(query, 'author_id'), 'a.author_id = ?')
    .when(since === undefined ? undefined : parseSince(since, 'since'), 'a.activity_date >= ?');
  const order = readString(query, 'sort') === 'activity_date' ? 'a.activity_date ASC' : 'a.activity_date DESC';
  return selectPage(store, { select: SELECT, from: FROM, where, orderBy: `${order}, a.id`, ...readPage(query) }, toActivity);
}

/** Exactly one context; the activity is always also filed under the context's company. */
function resolveContext(store: Store, tenantId: string, body: Readonly<Record<string, unknown>>) {
  const given = CONTEXT_FIELDS.filter((field) => readString(body, field) !== undefined);
  if (given.length === 0) throw new MissingFieldError('company_id', 'one of company_id, relationship_id, cta_id or success_plan_id is required');
  if (given.length > 1) throw new InvalidFieldError(given[1] ?? '', `give exactly one context; got ${given.join(' and ')}`);
  const field = given[0] as (typeof CONTEXT_FIELDS)[number];
  const id = readString(body, field) ?? '';
  const context = { context_type: field.replace(/_id$/, ''), company_id: '', relationship_id: null as string | null, cta_id: null as string | null, success_plan_id: null as string | null };
  if (field === 'company_id') {
    assertExists(store, tenantId, 'company', id);
    context.company_id = id;
  } else if (field === 'relationship_id') {
    context.company_id = findRelationship(store, tenantId, id).company_id;
    context.relationship_id = id;
  } else {
    const table = field === 'cta_id' ? 'ctas' : 'success_plans';
    const row = store.get<{ company_id: string }>(`SELECT company_id FROM ${table} WHERE tenant_id = ? AND id = ?`, [tenantId, id]);
    if (row === undefined) throw new NotFoundError(field === 'cta_id' ? 'cta' : 'success plan', id);
    context.company_id = row.company_id;
    if (field === 'cta_id') context.cta_id = id;
    else context.success_plan_id = id;
  }
  return context;
}

function createTimelineActivity({ store, tenantId, body, clock }: HandlerInput) {
  const type = findActivityType(store, tenantId, readString(body, 'type_id') ?? '');
  const context = resolveContext(store, tenantId, body);
  const customFields = { ...((body.custom_fields ?? {}) as Record<string, unknown>) };
  validateCustomFields(JSON.parse(type.custom_fields) as CustomFieldDefinition[], customFields, `activity type '${type.id}'`);
  dropNulls(customFields);
  const authorId = readString(body, 'author_id');
  assertExists(store, tenantId, 'user', authorId);
  const now = clock.now().toISOString();
  const id = `act_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  store.run(
    `INSERT INTO timeline_activities (id, tenant_id, type_id, subject, notes, activity_date, context_type, company_id,
       relationship_id, cta_id, success_plan_id, author_id, custom_fields, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [id, tenantId, type.id, readString(body, 'subject') ?? '', readString(body, 'notes') ?? null,
      normalizeDateTime(readString(body, 'activity_date')) ?? now, context.context_type, context.company_id, context.relationship_id,
      context.cta_id, context.success_plan_id, authorId ?? null, JSON.stringify(customFields), now, now],
  );
  return toActivity(findRow(store, tenantId, id));
}

function updateTimelineActivity(input: HandlerInput) {
  const { store, tenantId, body, clock } = input;
  const id = param(input, 'activityId');
  const row = findRow(store, tenantId, id);
  const type = findActivityType(store, tenantId, row.type_id);
  const customFields = { ...(JSON.parse(row.custom_fields) as Record<string, unknown>), ...((body.custom_fields ?? {}) as Record<string, unknown>) };
  validateCustomFields(JSON.parse(type.custom_fields) as CustomFieldDefinition[], customFields, `activity type '${type.id}'`);
  dropNulls(customFields);
  store.run(
    'UPDATE timeline_activities SET subject = ?, notes = ?, activity_date = ?, custom_fields = ?, updated_at = ? WHERE tenant_id = ? AND id = ?',
    [readString(body, 'subject') ?? row.subject, has(body, 'notes') ? (readString(body, 'notes') ?? null) : row.notes,
      normalizeDateTime(readString(body, 'activity_date')) ?? row.activity_date, JSON.stringify(customFields), clock.now().toISOString(), tenantId, id],
  );
  return toActivity(findRow(store, tenantId, id));
}

function getTimelineActivity(input: HandlerInput) {
  return toActivity(findRow(input.store, input.tenantId, param(input, 'activityId')));
}

function listActivityTypes({ store, tenantId, query }: HandlerInput) {
  const { limit, offset } = readPage(query);
  const rows = store.all<ActivityTypeRow>(
    'SELECT id, name, description, custom_fields FROM activity_types WHERE tenant_id = ? ORDER BY position LIMIT ? OFFSET ?', [tenantId, limit, offset]);
  const total = store.get<{ n: number }>('SELECT count(*) AS n FROM activity_types WHERE tenant_id = ?', [tenantId])?.n ?? 0;
  const data = rows.map((row) => ({
    id: row.id, name: row.name, description: row.description, custom_fields: JSON.parse(row.custom_fields) as CustomFieldDefinition[],
  }));
  return { data, total, limit, offset };
}

export const timelineHandlers = { listTimelineActivities, getTimelineActivity, createTimelineActivity, updateTimelineActivity, listActivityTypes };
