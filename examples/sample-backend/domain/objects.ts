/**
 * The queryable objects and their fields. This one table is both what `GET /metadata/objects/*`
 * describes and the whitelist `POST /query` checks every field name against.
 */
export type FieldType = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'date-time' | 'picklist' | 'reference';

export interface FieldDefinition {
  name: string;
  label: string;
  type: FieldType;
  /** Mandatory when a record is created through the API. */
  required: boolean;
  picklist: string | null;
  reference: string | null;
}

export interface ObjectDefinition {
  name: string;
  label: string;
  description: string;
  table: string;
  fields: readonly FieldDefinition[];
}

type FieldSpec = [name: string, label: string, type: FieldType, extra?: { required?: boolean; picklist?: string; reference?: string }];

function fields(specs: readonly FieldSpec[]): FieldDefinition[] {
  return specs.map(([name, label, type, extra]) => ({
    name, label, type, required: extra?.required ?? false, picklist: extra?.picklist ?? null, reference: extra?.reference ?? null,
  }));
}

const id: FieldSpec = ['id', 'Id', 'string'];
const companyRef: FieldSpec = ['company_id', 'Company', 'reference', { reference: 'companies' }];
const createdAt: FieldSpec = ['created_at', 'Created at', 'date-time'];
const updatedAt: FieldSpec = ['updated_at', 'Updated at', 'date-time'];

export const OBJECTS: readonly ObjectDefinition[] = [
  {
    name: 'companies', label: 'Company', description: 'Customer accounts.', table: 'companies',
    fields: fields([id, ['name', 'Name', 'string', { required: true }], ['industry', 'Industry', 'picklist', { picklist: 'industry' }],
      ['stage', 'Stage', 'picklist', { picklist: 'company_stage' }], ['status', 'Status', 'picklist', { picklist: 'company_status' }],
      ['plan', 'Plan', 'picklist', { picklist: 'plan' }], ['region', 'Region', 'picklist', { picklist: 'region' }],
      ['website', 'Website', 'string'], ['arr', 'ARR (USD)', 'integer'], ['mrr', 'MRR (USD)', 'integer'],
      ['health_score', 'Health score', 'integer'], ['previous_health_score', 'Previous health score', 'integer'],
      ['health_band', 'Health band', 'picklist', { picklist: 'health_band' }],
      ['csm_id', 'CSM', 'reference', { reference: 'users' }], ['renewal_date', 'Renewal date', 'date'],
      ['employees', 'Employees', 'integer'], ['licensed_seats', 'Licensed seats', 'integer'], ['tracked', 'Tracked', 'boolean'],
      ['priority', 'Priority', 'picklist', { picklist: 'priority' }], createdAt, updatedAt]),
  },
  {
    name: 'relationships', label: 'Relationship', description: 'People at customer companies.', table: 'relationships',
    fields: fields([id, companyRef, ['first_name', 'First name', 'string'], ['last_name', 'Last name', 'string'],
      ['email', 'Email', 'string'], ['title', 'Title', 'string'], ['role', 'Role', 'picklist', { picklist: 'relationship_role' }],
      ['is_key_user', 'Key user', 'boolean'], ['status', 'Status', 'picklist', { picklist: 'relationship_status' }],
      ['last_login_at', 'Last login', 'date-time'], ['left_at', 'Left at', 'date-time'], createdAt, updatedAt]),
  },
  {
    name: 'users', label: 'User', description: 'Internal customer-success users (CSMs, managers).', table: 'users',
    fields: fields([id, ['name', 'Name', 'string'], ['email', 'Email', 'string'], ['role', 'Role', 'picklist', { picklist: 'user_role' }],
      ['title', 'Title', 'string'], ['active', 'Active', 'boolean'], createdAt]),
  },
  {
    name: 'ctas', label: 'CTA', description: 'Calls to action: risks, opportunities and lifecycle work.', table: 'ctas',
    fields: fields([id, ['company_id', 'Company', 'reference', { required: true, reference: 'companies' }],
      ['name', 'Name', 'string', { required: true }], ['type_id', 'Type', 'picklist', { required: true, picklist: 'cta_type' }],
      ['reason_id', 'Reason', 'picklist', { picklist: 'cta_reason' }], ['status_id', 'Status', 'picklist', { picklist: 'cta_status' }],
      ['priority', 'Priority', 'picklist', { picklist: 'priority' }], ['owner_id', 'Owner', 'reference', { reference: 'users' }],
      ['due_date', 'Due date', 'date', { required: true }], ['comments', 'Comments', 'string'],
      ['source', 'Source', 'picklist', { picklist: 'cta_source' }], ['closed_at', 'Closed at', 'date-time'], createdAt, updatedAt]),
  },
  {
    name: 'tasks', label: 'Task', description: 'Tasks of CTAs and success plans (read-only).', table: 'tasks',
    fields: fields([id, companyRef, ['cta_id', 'CTA', 'reference', { reference: 'ctas' }],
      ['success_plan_id', 'Success plan', 'reference', { reference: 'success_plans' }], ['objective_id', 'Objective', 'string'],
      ['name', 'Name', 'string'], ['status', 'Status', 'picklist', { picklist: 'task_status' }],
      ['priority', 'Priority', 'picklist', { picklist: 'priority' }], ['owner_id', 'Owner', 'reference', { reference: 'users' }],
      ['due_date', 'Due date', 'date'], ['completed_at', 'Completed at', 'date-time'], createdAt]),
  },
  {
    name: 'success_plans', label: 'Success plan', description: 'Plans with objectives and tasks, created from templates.', table: 'success_plans',
    fields: fields([id, ['company_id', 'Company', 'reference', { required: true, reference: 'companies' }],
      ['name', 'Name', 'string', { required: true }],
      ['template_id', 'Template', 'picklist', { required: true, picklist: 'success_plan_template' }],
      ['plan_type', 'Plan type', 'string'], ['status', 'Status', 'picklist', { picklist: 'success_plan_status' }],
      ['owner_id', 'Owner', 'reference', { reference: 'users' }], ['start_date', 'Start date', 'date'],
      ['due_date', 'Due date', 'date'], createdAt, updatedAt]),
  },
  {
    name: 'timeline', label: 'Timeline activity', description: 'Calls, meetings, emails and notes logged against a context.', table: 'timeline_activities',
    fields: fields([id, ['type_id', 'Activity type', 'picklist', { required: true, picklist: 'activity_type' }],
      ['subject', 'Subject', 'string', { required: true }], ['notes', 'Notes', 'string'], ['activity_date', 'Activity date', 'date-time'],
      ['context_type', 'Context', 'picklist', { picklist: 'timeline_context' }], companyRef,
      ['relationship_id', 'Relationship', 'reference', { reference: 'relationships' }],
      ['cta_id', 'CTA', 'reference', { reference: 'ctas' }], ['success_plan_id', 'Success plan', 'reference', { reference: 'success_plans' }],
      ['author_id', 'Author', 'reference', { reference: 'users' }], createdAt, updatedAt]),
  },
  {
    name: 'payments', label: 'Payment', description: 'Monthly invoices and their payment status.', table: 'payments',
    fields: fields([id, companyRef, ['amount', 'Amount (USD)', 'integer'], ['currency', 'Currency', 'string'],
      ['status', 'Status', 'picklist', { picklist: 'payment_status' }], ['invoice_date', 'Invoice date', 'date'],
      ['paid_at', 'Paid at', 'date-time'], ['failure_reason', 'Failure reason', 'string'], ['attempt_count', 'Attempts', 'integer']]),
  },
  {
    name: 'feedback', label: 'Feedback response', description: 'NPS (0-10) and CSAT (1-5) survey responses.', table: 'feedback_responses',
    fields: fields([id, companyRef, ['relationship_id', 'Relationship', 'reference', { reference: 'relationships' }],
      ['survey', 'Survey', 'picklist', { picklist: 'survey' }], ['score', 'Score', 'integer'], ['comment', 'Comment', 'string'],
      ['responded_at', 'Responded at', 'date-time']]),
  },
];

export function findObject(name: string): ObjectDefinition | undefined {
  return OBJECTS.find((object) => object.name === name);
}

/** Picklists whose values live in each tenant's configuration tables rather than in code. */
export const TENANT_PICKLISTS: Readonly<Record<string, { label: string; sql: string }>> = {
  cta_type: { label: 'CTA type', sql: 'SELECT id AS value, name AS label FROM cta_types WHERE tenant_id = ? ORDER BY position' },
  cta_status: { label: 'CTA status', sql: 'SELECT id AS value, name AS label FROM cta_statuses WHERE tenant_id = ? ORDER BY position' },
  cta_reason: { label: 'CTA reason', sql: 'SELECT id AS value, name AS label FROM cta_reasons WHERE tenant_id = ? ORDER BY rowid' },
  activity_type: { label: 'Activity type', sql: 'SELECT id AS value, name AS label FROM activity_types WHERE tenant_id = ? ORDER BY position' },
  success_plan_template: { label: 'Success plan template', sql: 'SELECT id AS value, name AS label FROM success_plan_templates WHERE tenant_id = ? ORDER BY id' },
};
