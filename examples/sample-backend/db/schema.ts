import { DatabaseSync } from 'node:sqlite';

/**
 * Every table carries `tenant_id`. Entity ids (`cmp_…`, `rel_…`) are globally unique; configuration
 * ids (`risk`, `call`, …) are readable and unique per tenant, so those tables key on both columns.
 */
const SCHEMA = `
CREATE TABLE tenants (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at TEXT NOT NULL);

CREATE TABLE users (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
  email TEXT NOT NULL, role TEXT NOT NULL, title TEXT NOT NULL, active INTEGER NOT NULL,
  created_at TEXT NOT NULL);
CREATE INDEX users_tenant ON users(tenant_id, name);

CREATE TABLE companies (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL REFERENCES tenants(id), name TEXT NOT NULL,
  industry TEXT NOT NULL, stage TEXT NOT NULL, status TEXT NOT NULL, plan TEXT NOT NULL,
  region TEXT NOT NULL, website TEXT NOT NULL, arr INTEGER NOT NULL, mrr INTEGER NOT NULL,
  health_score INTEGER NOT NULL, previous_health_score INTEGER NOT NULL, health_band TEXT NOT NULL,
  csm_id TEXT REFERENCES users(id), renewal_date TEXT, employees INTEGER NOT NULL,
  licensed_seats INTEGER NOT NULL, tracked INTEGER NOT NULL, priority TEXT NOT NULL,
  custom_fields TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX companies_tenant_name ON companies(tenant_id, name);
CREATE INDEX companies_tenant_renewal ON companies(tenant_id, renewal_date);

CREATE TABLE relationships (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL REFERENCES companies(id),
  first_name TEXT NOT NULL, last_name TEXT NOT NULL, email TEXT NOT NULL, title TEXT NOT NULL,
  role TEXT NOT NULL, is_key_user INTEGER NOT NULL, status TEXT NOT NULL, last_login_at TEXT,
  left_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX relationships_company ON relationships(tenant_id, company_id);

CREATE TABLE login_events (
  tenant_id TEXT NOT NULL, relationship_id TEXT NOT NULL REFERENCES relationships(id),
  company_id TEXT NOT NULL, day TEXT NOT NULL, logins INTEGER NOT NULL,
  PRIMARY KEY (relationship_id, day));
CREATE INDEX login_events_company ON login_events(tenant_id, company_id, day);
CREATE INDEX login_events_day ON login_events(tenant_id, day);

CREATE TABLE features (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL,
  position INTEGER NOT NULL, PRIMARY KEY (tenant_id, id));

CREATE TABLE feature_usage (
  tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, feature_id TEXT NOT NULL,
  week_index INTEGER NOT NULL, week_start TEXT NOT NULL, events INTEGER NOT NULL,
  active_users INTEGER NOT NULL, PRIMARY KEY (company_id, feature_id, week_index));
CREATE INDEX feature_usage_week ON feature_usage(tenant_id, week_index);

CREATE TABLE scorecard_measures (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  weight INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (tenant_id, id));

CREATE TABLE measure_scores (
  tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, measure_id TEXT NOT NULL,
  score INTEGER NOT NULL, previous_score INTEGER NOT NULL, comment TEXT, updated_at TEXT NOT NULL,
  PRIMARY KEY (company_id, measure_id));

CREATE TABLE cta_types (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  default_priority TEXT NOT NULL, default_status_id TEXT NOT NULL, required_fields TEXT NOT NULL,
  position INTEGER NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE cta_statuses (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, is_closed INTEGER NOT NULL,
  requires_comments INTEGER NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE cta_type_statuses (
  tenant_id TEXT NOT NULL, type_id TEXT NOT NULL, status_id TEXT NOT NULL,
  PRIMARY KEY (tenant_id, type_id, status_id));
CREATE TABLE cta_reasons (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, type_id TEXT NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (tenant_id, id));

CREATE TABLE ctas (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL, type_id TEXT NOT NULL, reason_id TEXT, status_id TEXT NOT NULL,
  priority TEXT NOT NULL, owner_id TEXT, due_date TEXT NOT NULL, comments TEXT, source TEXT NOT NULL,
  closed_at TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX ctas_company ON ctas(tenant_id, company_id);
CREATE INDEX ctas_due ON ctas(tenant_id, due_date);

CREATE TABLE success_plan_templates (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, plan_type TEXT NOT NULL,
  description TEXT NOT NULL, objectives TEXT NOT NULL, PRIMARY KEY (tenant_id, id));

CREATE TABLE success_plans (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL REFERENCES companies(id),
  name TEXT NOT NULL, template_id TEXT NOT NULL, plan_type TEXT NOT NULL, status TEXT NOT NULL,
  owner_id TEXT, description TEXT, start_date TEXT NOT NULL, due_date TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX success_plans_company ON success_plans(tenant_id, company_id);

CREATE TABLE objectives (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, success_plan_id TEXT NOT NULL REFERENCES success_plans(id),
  name TEXT NOT NULL, status TEXT NOT NULL, due_date TEXT NOT NULL, position INTEGER NOT NULL);
CREATE INDEX objectives_plan ON objectives(success_plan_id);

CREATE TABLE tasks (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, cta_id TEXT,
  success_plan_id TEXT, objective_id TEXT, name TEXT NOT NULL, status TEXT NOT NULL,
  priority TEXT NOT NULL, owner_id TEXT, due_date TEXT NOT NULL, completed_at TEXT,
  created_at TEXT NOT NULL);
CREATE INDEX tasks_cta ON tasks(tenant_id, cta_id);
CREATE INDEX tasks_plan ON tasks(tenant_id, success_plan_id);

CREATE TABLE activity_types (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  custom_fields TEXT NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (tenant_id, id));

CREATE TABLE timeline_activities (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, type_id TEXT NOT NULL, subject TEXT NOT NULL,
  notes TEXT, activity_date TEXT NOT NULL, context_type TEXT NOT NULL, company_id TEXT NOT NULL,
  relationship_id TEXT, cta_id TEXT, success_plan_id TEXT, author_id TEXT, custom_fields TEXT NOT NULL,
  created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE INDEX timeline_company ON timeline_activities(tenant_id, company_id, activity_date);

CREATE TABLE payments (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, amount INTEGER NOT NULL,
  currency TEXT NOT NULL, status TEXT NOT NULL, invoice_date TEXT NOT NULL, paid_at TEXT,
  failure_reason TEXT, attempt_count INTEGER NOT NULL);
CREATE INDEX payments_company ON payments(tenant_id, company_id);

CREATE TABLE revenue_events (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, event_date TEXT NOT NULL,
  kind TEXT NOT NULL, mrr_delta INTEGER NOT NULL);
CREATE INDEX revenue_events_tenant ON revenue_events(tenant_id, event_date);

CREATE TABLE workflows (
  tenant_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, description TEXT NOT NULL,
  category TEXT NOT NULL, requires_relationship INTEGER NOT NULL, active INTEGER NOT NULL,
  created_at TEXT NOT NULL, PRIMARY KEY (tenant_id, id));
CREATE TABLE workflow_runs (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, workflow_id TEXT NOT NULL, company_id TEXT NOT NULL,
  relationship_id TEXT, status TEXT NOT NULL, triggered_at TEXT NOT NULL);

CREATE TABLE feedback_responses (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, relationship_id TEXT NOT NULL,
  survey TEXT NOT NULL, score INTEGER NOT NULL, comment TEXT, responded_at TEXT NOT NULL);
CREATE INDEX feedback_company ON feedback_responses(tenant_id, company_id);
CREATE TABLE feedback_requests (
  id TEXT PRIMARY KEY, tenant_id TEXT NOT NULL, company_id TEXT NOT NULL, relationship_id TEXT NOT NULL,
  survey TEXT NOT NULL, status TEXT NOT NULL, channel TEXT NOT NULL, message TEXT,
  requested_at TEXT NOT NULL);
`;

/** Opens (or creates) the database and creates the schema when it is empty. */
export function openDatabase(path: string): { db: DatabaseSync; created: boolean } {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA foreign_keys = ON');
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  const existing = db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'tenants'").get();
  if (existing !== undefined && existing.n === 1) return { db, created: false };
  db.exec(SCHEMA);
  return { db, created: true };
}
