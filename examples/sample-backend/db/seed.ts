import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  ACTIVITY_TYPES, COMPANIES_PER_TENANT, CTA_STATUSES, CTA_TYPES, FEATURES, SCORECARD_MEASURES,
  SUCCESS_PLAN_TEMPLATES, TENANTS, WORKFLOWS,
} from '../domain/catalog.ts';
import type { CustomFieldDefinition, TemplateConfig } from '../domain/catalog.ts';
import { addDays, isoDate, isoDateTime } from '../domain/dates.ts';
import { healthBand } from '../domain/picklists.ts';
import { instantiateTemplate } from '../domain/success-plan-template.ts';
import { createRandom } from './random.ts';
import type { Random } from './random.ts';

type Row = Record<string, SQLInputValue>;

const NAME_HEADS = [
  'Apex', 'Blue', 'Bright', 'Cedar', 'Cobalt', 'Crest', 'Delta', 'Echo', 'Ember', 'Falcon', 'Granite', 'Harbor',
  'Helix', 'Indigo', 'Iron', 'Juniper', 'Keystone', 'Lumen', 'Maple', 'Meridian', 'Nimbus', 'North', 'Nova', 'Oak',
  'Orbit', 'Pioneer', 'Quantum', 'Redwood', 'Sage', 'Silver', 'Summit', 'Terra', 'Titan', 'Vertex', 'Willow', 'Zenith',
];
const NAME_TAILS = [
  'Analytics', 'Labs', 'Systems', 'Health', 'Logistics', 'Foods', 'Energy', 'Media', 'Finance', 'Robotics',
  'Retail', 'Software', 'Bio', 'Networks', 'Motors', 'Studios', 'Partners', 'Cloud', 'Security', 'Works',
];
const FIRST_NAMES = [
  'Ava', 'Ben', 'Chloe', 'Daniel', 'Elena', 'Farid', 'Grace', 'Hiro', 'Isla', 'Jonas', 'Kara', 'Liam', 'Maya',
  'Noah', 'Olivia', 'Priya', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wes', 'Ximena', 'Yusuf', 'Zoe',
];
const LAST_NAMES = [
  'Adams', 'Baker', 'Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hansen', 'Ito', 'Jensen', 'Khan', 'Lopez',
  'Martin', 'Nguyen', 'Okafor', 'Patel', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Varga', 'Weber', 'Young', 'Zhang',
];
const INDUSTRIES = ['software', 'healthcare', 'financial_services', 'retail', 'manufacturing', 'education', 'media', 'logistics', 'energy', 'professional_services'];
const REGIONS = ['na', 'na', 'emea', 'emea', 'apac', 'latam'];
const PLANS = [
  { id: 'starter', weight: 35, mrr: [200, 900], seats: [5, 20], employees: [10, 80] },
  { id: 'growth', weight: 30, mrr: [900, 3000], seats: [20, 60], employees: [50, 400] },
  { id: 'pro', weight: 22, mrr: [3000, 9000], seats: [50, 200], employees: [200, 2000] },
  { id: 'enterprise', weight: 13, mrr: [9000, 40000], seats: [200, 1000], employees: [1000, 20000] },
] as const;
const SUCCESS_GOALS = [
  'Cut reporting time in half', 'Roll out to every regional team', 'Automate month-end approvals',
  'Replace the legacy BI tool', 'Reach 80% weekly active seats',
];
const USER_TITLES: Record<string, string> = {
  csm: 'Customer Success Manager', cs_manager: 'Customer Success Lead', admin: 'CS Operations Admin', executive: 'VP Customer Success',
};
const RELATIONSHIP_TITLES: Record<string, string[]> = {
  champion: ['Head of Operations', 'Director of Analytics', 'Program Lead'],
  decision_maker: ['VP Operations', 'Director of IT', 'Head of Finance'],
  executive_sponsor: ['COO', 'CFO', 'Chief Digital Officer'],
  admin: ['Systems Administrator', 'Platform Owner'],
  end_user: ['Analyst', 'Operations Specialist', 'Team Lead', 'Coordinator'],
  billing: ['Accounts Payable Manager', 'Procurement Lead'],
};
const FAILURE_REASONS = ['card_declined', 'insufficient_funds', 'expired_card', 'bank_rejected'];
const COMMENTS_BY_SENTIMENT = {
  positive: ['The automations save my team hours every week.', 'Support has been fantastic.', 'Dashboards are exactly what leadership wanted.'],
  neutral: ['Works fine, onboarding took longer than expected.', 'Good product, reporting could be more flexible.'],
  negative: ['Too many outages this quarter.', 'Hard to get my team to use it.', 'Pricing is hard to justify right now.'],
} as const;
const ACTIVITY_SUBJECTS: Record<string, string[]> = {
  call: ['Weekly check-in call', 'Call about the usage dip', 'Renewal timing call'],
  meeting: ['Quarterly business review', 'Onboarding kickoff', 'Admin training session', 'Roadmap review'],
  email: ['Shared the adoption report', 'Follow-up on open tickets', 'Sent renewal quote'],
  update: ['Account plan updated', 'Champion changed roles', 'Budget freeze announced'],
  milestone: ['First team live', 'Integrations connected', '100 active users reached'],
  escalation: ['Escalated outage ticket', 'Escalated data sync issue'],
};

/** Writes every tenant's data. Same `now` → byte-identical database contents. */
export function seedDatabase(db: DatabaseSync, now: Date): void {
  const insert = createInserter(db);
  db.exec('BEGIN');
  // Login events are written before their relationship row (the row needs the last login time).
  db.exec('PRAGMA defer_foreign_keys = ON');
  try {
    for (const tenant of TENANTS) seedTenant(insert, tenant, now);
    db.exec('COMMIT');
  } catch (error) {
    db.exec('ROLLBACK');
    throw error;
  }
}

type Insert = (table: string, row: Row) => void;

function createInserter(db: DatabaseSync): Insert {
  const statements = new Map<string, StatementSync>();
  return function insert(table, row) {
    const columns = Object.keys(row);
    const key = `${table}(${columns.join(',')})`;
    let statement = statements.get(key);
    if (statement === undefined) {
      statement = db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
      statements.set(key, statement);
    }
    statement.run(...Object.values(row));
  };
}

interface SeedContext {
  insert: Insert;
  rng: Random;
  tenantId: string;
  now: Date;
  csmIds: string[];
}

interface SeededCompany {
  id: string;
  name: string;
  band: string;
  status: string;
  csmId: string | null;
  createdAt: Date;
  seats: number;
  mrr: number;
  stage: string;
}

function seedTenant(insert: Insert, tenant: (typeof TENANTS)[number], now: Date): void {
  const rng = createRandom(`toolgate-sample:${tenant.id}`);
  insert('tenants', { id: tenant.id, name: tenant.name, created_at: isoDateTime(addDays(now, -2000)) });
  seedConfiguration(insert, tenant.id, now);
  const csmIds = seedUsers(insert, rng, tenant.id, now);
  const context: SeedContext = { insert, rng, tenantId: tenant.id, now, csmIds };
  for (const [index, name] of companyNames(rng, tenant.showcase).entries()) {
    const company = seedCompany(context, name, index < tenant.showcase.length);
    const relationshipIds = seedRelationships(context, company);
    seedFeatureUsage(context, company);
    const ctaIds = seedCtas(context, company);
    const planIds = seedSuccessPlan(context, company);
    seedTimeline(context, company, relationshipIds, ctaIds, planIds);
    seedPayments(context, company);
    seedFeedback(context, company, relationshipIds);
  }
}

function seedConfiguration(insert: Insert, tenantId: string, now: Date): void {
  CTA_STATUSES.forEach((status, position) => insert('cta_statuses', {
    tenant_id: tenantId, id: status.id, name: status.name, is_closed: status.isClosed ? 1 : 0,
    requires_comments: status.requiresComments ? 1 : 0, position,
  }));
  CTA_TYPES.forEach((type, position) => {
    insert('cta_types', {
      tenant_id: tenantId, id: type.id, name: type.name, description: type.description,
      default_priority: type.defaultPriority, default_status_id: 'new', required_fields: JSON.stringify(type.requiredFields), position,
    });
    for (const statusId of type.statuses) insert('cta_type_statuses', { tenant_id: tenantId, type_id: type.id, status_id: statusId });
    for (const [id, name] of type.reasons) insert('cta_reasons', { tenant_id: tenantId, id, type_id: type.id, name });
  });
  ACTIVITY_TYPES.forEach((type, position) => insert('activity_types', {
    tenant_id: tenantId, id: type.id, name: type.name, description: type.description,
    custom_fields: JSON.stringify(type.customFields), position,
  }));
  for (const template of SUCCESS_PLAN_TEMPLATES) {
    insert('success_plan_templates', {
      tenant_id: tenantId, id: template.id, name: template.name, plan_type: template.planType,
      description: template.description, objectives: JSON.stringify(template.objectives),
    });
  }
  FEATURES.forEach(([id, name, category], position) => insert('features', { tenant_id: tenantId, id, name, category, position }));
  SCORECARD_MEASURES.forEach(([id, name, description, weight], position) => insert('scorecard_measures', {
    tenant_id: tenantId, id, name, description, weight, position,
  }));
  for (const [id, name, description, category, requiresRelationship, active] of WORKFLOWS) {
    insert('workflows', {
      tenant_id: tenantId, id, name, description, category, requires_relationship: requiresRelationship ? 1 : 0,
      active: active ? 1 : 0, created_at: isoDateTime(addDays(now, -400)),
    });
  }
}

function seedUsers(insert: Insert, rng: Random, tenantId: string, now: Date): string[] {
  const roles = ['csm', 'csm', 'csm', 'csm', 'csm', 'csm', 'csm', 'csm', 'cs_manager', 'cs_manager', 'admin', 'executive'];
  const csmIds: string[] = [];
  roles.forEach((role, index) => {
    const id = rng.id('usr');
    const first = FIRST_NAMES[(index * 7 + tenantId.length) % FIRST_NAMES.length] ?? 'Alex';
    const last = rng.pick(LAST_NAMES);
    insert('users', {
      id, tenant_id: tenantId, name: `${first} ${last}`, email: `${first}.${last}@${tenantId}.example.com`.toLowerCase(),
      role, title: USER_TITLES[role] ?? role, active: index === 7 ? 0 : 1,
      created_at: isoDateTime(addDays(now, -rng.int(200, 1800))),
    });
    if (role === 'csm' && index !== 7) csmIds.push(id);
  });
  return csmIds;
}

function companyNames(rng: Random, showcase: readonly string[]): string[] {
  const combos: string[] = [];
  for (const head of NAME_HEADS) for (const tail of NAME_TAILS) combos.push(`${head} ${tail}`);
  for (let i = combos.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [combos[i], combos[j]] = [combos[j] as string, combos[i] as string];
  }
  return [...showcase, ...combos.slice(0, COMPANIES_PER_TENANT - showcase.length)];
}

function weightedPlan(rng: Random): (typeof PLANS)[number] {
  let roll = rng.int(1, 100);
  for (const plan of PLANS) {
    roll -= plan.weight;
    if (roll <= 0) return plan;
  }
  return PLANS[0];
}

const clampScore = (value: number) => Math.max(1, Math.min(100, Math.round(value)));

/** Showcase companies (the names the seed documents use, such as "AcmeCo") are always established, active accounts. */
function seedCompany(context: SeedContext, name: string, showcase: boolean): SeededCompany {
  const { rng, now, tenantId } = context;
  const id = rng.id('cmp');
  const plan = weightedPlan(rng);
  const statusRoll = rng.next();
  const status = showcase ? 'active' : statusRoll < 0.07 ? 'churned' : statusRoll < 0.12 ? 'trial' : 'active';
  const healthRoll = rng.next();
  const base = healthRoll < 0.55 ? rng.int(70, 95) : healthRoll < 0.8 ? rng.int(42, 69) : rng.int(15, 39);
  const declining = rng.chance(0.2);
  let weighted = 0;
  let previousWeighted = 0;
  let totalWeight = 0;
  const scores = SCORECARD_MEASURES.map(([measureId, , , weight]) => {
    const score = clampScore(base + rng.int(-12, 12));
    const previous = clampScore(declining ? score + rng.int(5, 15) : score + rng.int(-6, 6));
    weighted += score * weight;
    previousWeighted += previous * weight;
    totalWeight += weight;
    return { measureId, score, previous };
  });
  const healthScore = Math.round(weighted / totalWeight);
  const band = healthBand(healthScore);
  const ageDays0 = status === 'trial' ? rng.int(3, 30) : rng.int(20, 1500);
  const createdAt = addDays(now, -(showcase ? Math.max(ageDays0, 400) : ageDays0));
  const mrr = status === 'active' ? rng.int(plan.mrr[0], plan.mrr[1]) : 0;
  const seats = rng.int(plan.seats[0], plan.seats[1]);
  const employees = rng.int(plan.employees[0], plan.employees[1]);
  const renewal = renewalDate(createdAt, now, status, rng);
  const ageDays = Math.round((now.getTime() - createdAt.getTime()) / 86_400_000);
  const stage = companyStage(status, ageDays, renewal, now, rng);
  const csmId = rng.chance(0.04) ? null : rng.pick(context.csmIds);
  const priority = band === 'at_risk' ? rng.pick(['high', 'critical']) : rng.pick(['low', 'medium', 'medium', 'high']);
  const customFields = {
    segment: employees >= 1000 ? 'enterprise' : employees >= 200 ? 'mid_market' : 'smb',
    contract_type: rng.pick(['monthly', 'annual', 'annual', 'multi_year']),
    onboarding_complete: ageDays > 90,
    success_goals: rng.chance(0.6) ? rng.pick(SUCCESS_GOALS) : null,
  };
  const updatedAt = addDays(now, -rng.int(0, Math.min(ageDays, 60)));
  context.insert('companies', {
    id, tenant_id: tenantId, name, industry: rng.pick(INDUSTRIES), stage, status, plan: plan.id,
    region: rng.pick(REGIONS), website: `https://www.${name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`,
    arr: mrr * 12, mrr, health_score: healthScore, previous_health_score: Math.round(previousWeighted / totalWeight),
    health_band: band, csm_id: csmId, renewal_date: renewal === null ? null : isoDate(renewal), employees,
    licensed_seats: seats, tracked: rng.chance(0.65) ? 1 : 0, priority, custom_fields: JSON.stringify(customFields),
    created_at: isoDateTime(createdAt), updated_at: isoDateTime(updatedAt),
  });
  for (const { measureId, score, previous } of scores) {
    context.insert('measure_scores', {
      tenant_id: tenantId, company_id: id, measure_id: measureId, score, previous_score: previous,
      comment: score < 40 ? 'Below target; see open risk CTAs.' : null, updated_at: isoDateTime(addDays(now, -rng.int(0, 6))),
    });
  }
  const company: SeededCompany = { id, name, band, status, csmId, createdAt, seats, mrr, stage };
  seedRevenue(context, company, plan.mrr);
  return company;
}

function renewalDate(createdAt: Date, now: Date, status: string, rng: Random): Date | null {
  if (status === 'trial') return null;
  let renewal = new Date(createdAt);
  renewal.setUTCFullYear(renewal.getUTCFullYear() + 1);
  while (renewal <= now) renewal.setUTCFullYear(renewal.getUTCFullYear() + 1);
  renewal = new Date(Date.UTC(renewal.getUTCFullYear(), renewal.getUTCMonth(), renewal.getUTCDate()));
  return status === 'churned' ? addDays(now, -rng.int(10, 300)) : renewal;
}

function companyStage(status: string, ageDays: number, renewal: Date | null, now: Date, rng: Random): string {
  if (status === 'churned') return 'churned';
  if (status === 'trial' || ageDays < 90) return 'onboarding';
  if (renewal !== null && renewal.getTime() - now.getTime() < 60 * 86_400_000) return 'renewal';
  return rng.pick(['adoption', 'expansion', 'mature', 'mature']);
}

/** Revenue events explain how each company's MRR got to its current value over the last year. */
function seedRevenue(context: SeedContext, company: SeededCompany, mrrRange: readonly [number, number]): void {
  const { rng, now, tenantId } = context;
  const yearAgo = addDays(now, -365);
  const event = (date: Date, kind: string, delta: number) => context.insert('revenue_events', {
    id: rng.id('rev'), tenant_id: tenantId, company_id: company.id, event_date: isoDate(date), kind, mrr_delta: delta,
  });
  const daysSince = (from: Date) => Math.max(1, Math.round((now.getTime() - Math.max(from.getTime(), yearAgo.getTime())) / 86_400_000));
  if (company.status === 'trial') return;
  if (company.status === 'churned') {
    const previous = rng.int(mrrRange[0], mrrRange[1]);
    const churnDate = addDays(now, -rng.int(1, daysSince(company.createdAt)));
    if (company.createdAt > yearAgo) event(company.createdAt, 'new', previous);
    event(churnDate, 'churn', -previous);
    return;
  }
  let delta = 0;
  const changes: Array<[Date, string, number]> = [];
  if (rng.chance(0.25)) {
    const amount = Math.round(company.mrr * (rng.int(10, 30) / 100));
    changes.push([addDays(now, -rng.int(1, daysSince(company.createdAt))), 'expansion', amount]);
    delta += amount;
  } else if (rng.chance(0.1)) {
    const amount = Math.round(company.mrr * (rng.int(10, 20) / 100));
    changes.push([addDays(now, -rng.int(1, daysSince(company.createdAt))), 'contraction', -amount]);
    delta -= amount;
  }
  if (company.createdAt > yearAgo) event(company.createdAt, 'new', company.mrr - delta);
  for (const [date, kind, amount] of changes) event(date, kind, amount);
}

const ROLE_LOGIN_FACTOR: Record<string, number> = {
  champion: 1, decision_maker: 0.4, executive_sponsor: 0.15, admin: 1.2, end_user: 1.1, billing: 0.1,
};
const BAND_LOGIN_RATE: Record<string, number> = { healthy: 0.45, watch: 0.25, at_risk: 0.1 };

function seedRelationships(context: SeedContext, company: SeededCompany): string[] {
  const { rng, now, tenantId } = context;
  const count = company.seats > 200 ? rng.int(5, 9) : rng.int(3, 7);
  const ids: string[] = [];
  const usedNames = new Set<string>();
  const domain = company.name.toLowerCase().replace(/[^a-z0-9]+/g, '');
  for (let index = 0; index < count; index++) {
    const role = index === 0 ? 'champion' : index === 1 ? 'decision_maker' : index === 2 && count >= 4
      ? 'executive_sponsor' : rng.pick(['end_user', 'end_user', 'admin', 'billing']);
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    while (usedNames.has(`${first} ${last}`)) {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    }
    usedNames.add(`${first} ${last}`);
    const id = rng.id('rel');
    const recentJoin = rng.chance(0.12) && now.getTime() - company.createdAt.getTime() > 90 * 86_400_000;
    const createdAt = recentJoin ? addDays(now, -rng.int(3, 60)) : addDays(company.createdAt, rng.int(0, 30));
    const left = company.status !== 'trial' && (index === 0 ? rng.chance(0.06) : rng.chance(0.06));
    const leftAt = left ? addDays(now, -rng.int(5, 120)) : null;
    const dormant = rng.chance(0.15);
    const rate = dormant || company.status === 'churned' ? 0 : (BAND_LOGIN_RATE[company.band] ?? 0.2) * (ROLE_LOGIN_FACTOR[role] ?? 1);
    const lastLogin = seedLogins(context, id, company.id, rate, createdAt, leftAt);
    context.insert('relationships', {
      id, tenant_id: tenantId, company_id: company.id, first_name: first, last_name: last,
      email: `${first}.${last}@${domain}.example`.toLowerCase(), title: rng.pick(RELATIONSHIP_TITLES[role] ?? ['Contact']),
      role, is_key_user: role === 'champion' || role === 'admin' || rng.chance(0.15) ? 1 : 0,
      status: left ? 'left' : 'active', last_login_at: lastLogin, left_at: leftAt === null ? null : isoDateTime(leftAt),
      created_at: isoDateTime(createdAt), updated_at: isoDateTime(leftAt ?? createdAt),
    });
    if (!left) ids.push(id);
  }
  return ids;
}

/** Daily login counts for the last 60 days; returns the last login time (older ones are only kept as a timestamp). */
function seedLogins(
  context: SeedContext, relationshipId: string, companyId: string, rate: number, createdAt: Date, leftAt: Date | null,
): string | null {
  const { rng, now, tenantId } = context;
  let lastLogin: Date | null = null;
  for (let daysAgo = 60; daysAgo >= 1; daysAgo--) {
    const day = addDays(now, -daysAgo);
    if (day < createdAt || (leftAt !== null && day > leftAt)) continue;
    if (!rng.chance(rate)) continue;
    context.insert('login_events', {
      tenant_id: tenantId, relationship_id: relationshipId, company_id: companyId, day: isoDate(day), logins: rng.int(1, 4),
    });
    lastLogin = new Date(day.getTime() + rng.int(7, 19) * 3_600_000 + rng.int(0, 59) * 60_000);
  }
  if (lastLogin === null && rng.chance(0.5)) {
    const older = addDays(now, -rng.int(61, 200));
    if (older > createdAt) lastLogin = older;
  }
  return lastLogin === null ? null : isoDateTime(lastLogin);
}

const FEATURE_ADOPTION: Record<string, number> = {
  dashboards: 0.9, reports: 0.75, automations: 0.6, integrations: 0.65, mobile_app: 0.45, ai_assistant: 0.35,
  api_access: 0.3, approvals: 0.5,
};

function seedFeatureUsage(context: SeedContext, company: SeededCompany): void {
  const { rng, now, tenantId } = context;
  const trendRoll = rng.next();
  const companyTrend = (company.band === 'at_risk' && trendRoll < 0.7) || trendRoll < 0.12 ? -rng.int(20, 50) / 100 : trendRoll > 0.85 ? rng.int(15, 40) / 100 : 0;
  for (const [featureId] of FEATURES) {
    const adopted = company.status !== 'churned' && rng.chance(FEATURE_ADOPTION[featureId] ?? 0.5);
    const baseUsers = adopted ? Math.max(1, Math.round(company.seats * rng.int(10, 90) / 100)) : 0;
    const baseEvents = baseUsers * rng.int(3, 15);
    for (let week = 0; week < 8; week++) {
      const noise = rng.int(90, 110) / 100;
      const trend = week === 0 ? 1 + companyTrend + rng.int(-5, 5) / 100 : 1;
      context.insert('feature_usage', {
        tenant_id: tenantId, company_id: company.id, feature_id: featureId, week_index: week,
        week_start: isoDate(addDays(now, -7 * (week + 1))),
        events: Math.max(0, Math.round(baseEvents * noise * trend)),
        active_users: Math.min(company.seats, Math.max(0, Math.round(baseUsers * noise * trend))),
      });
    }
  }
}

const CTA_TYPE_WEIGHTS: Record<string, string[]> = {
  at_risk: ['risk', 'risk', 'risk', 'risk', 'renewal', 'pir', 'lifecycle'],
  watch: ['risk', 'risk', 'renewal', 'lifecycle', 'expansion', 'pir'],
  healthy: ['expansion', 'expansion', 'lifecycle', 'lifecycle', 'renewal'],
};
const TASK_NAMES: Record<string, string[]> = {
  risk: ['Review usage with the champion', 'Build a recovery plan', 'Align with the executive sponsor'],
  expansion: ['Qualify the opportunity', 'Introduce the account executive', 'Share pricing for extra seats'],
  renewal: ['Confirm renewal stakeholders', 'Send the renewal quote', 'Review contract terms'],
  lifecycle: ['Schedule the session', 'Prepare the agenda', 'Send the recap'],
  pir: ['Share the incident report', 'Agree remediation steps', 'Confirm the fix with the customer'],
};

function seedCtas(context: SeedContext, company: SeededCompany): string[] {
  const { rng, now, tenantId } = context;
  if (company.status === 'churned') return [];
  const count = company.band === 'at_risk' ? rng.int(1, 4) : company.band === 'watch' ? rng.int(0, 3) : rng.int(0, 2);
  const ids: string[] = [];
  for (let n = 0; n < count; n++) {
    const typeId = rng.pick(CTA_TYPE_WEIGHTS[company.band] ?? ['lifecycle']);
    const type = CTA_TYPES.find((candidate) => candidate.id === typeId);
    if (type === undefined) continue;
    const reason = type.requiredFields.includes('reason_id') || rng.chance(0.7) ? rng.pick(type.reasons) : null;
    const closed = rng.chance(0.35);
    const closedStatuses = type.statuses.filter((id) => id.startsWith('closed_'));
    const openStatuses = type.statuses.filter((id) => !id.startsWith('closed_'));
    const statusId = closed ? (rng.chance(0.75) ? 'closed_success' : rng.pick(closedStatuses)) : rng.pick(openStatuses);
    const dueDate = closed ? addDays(now, -rng.int(5, 120)) : addDays(now, rng.int(-25, 45));
    const createdAt = addDays(dueDate, -rng.int(10, 40));
    const needsComments = statusId === 'closed_lost' || type.requiredFields.includes('comments');
    const id = rng.id('cta');
    context.insert('ctas', {
      id, tenant_id: tenantId, company_id: company.id, name: `${type.name}: ${reason === null ? type.description.replace(/\.$/, '') : reason[1]}`,
      type_id: type.id, reason_id: reason === null ? null : reason[0], status_id: statusId,
      priority: rng.chance(0.2) ? 'critical' : type.defaultPriority, owner_id: company.csmId ?? rng.pick(context.csmIds),
      due_date: isoDate(dueDate), comments: needsComments ? 'Customer confirmed next steps on the last call.' : rng.chance(0.3) ? 'Raised after the weekly review.' : null,
      source: rng.pick(['manual', 'rule', 'rule']), closed_at: closed ? isoDateTime(addDays(dueDate, -rng.int(0, 5))) : null,
      created_at: isoDateTime(createdAt), updated_at: isoDateTime(closed ? dueDate : addDays(createdAt, rng.int(0, 9))),
    });
    ids.push(id);
    seedCtaTasks(context, company, id, type.id, closed, dueDate, createdAt);
  }
  return ids;
}

function seedCtaTasks(
  context: SeedContext, company: SeededCompany, ctaId: string, typeId: string, closed: boolean, dueDate: Date, createdAt: Date,
): void {
  const { rng, now, tenantId } = context;
  const names = TASK_NAMES[typeId] ?? ['Follow up'];
  const count = rng.int(1, names.length);
  for (let index = 0; index < count; index++) {
    const taskDue = addDays(dueDate, -rng.int(0, 10));
    const status = closed ? 'completed' : taskDue < now && rng.chance(0.6) ? 'completed' : rng.pick(['open', 'open', 'in_progress']);
    context.insert('tasks', {
      id: rng.id('tsk'), tenant_id: tenantId, company_id: company.id, cta_id: ctaId, success_plan_id: null, objective_id: null,
      name: names[index] ?? 'Follow up', status, priority: rng.pick(['low', 'medium', 'high']),
      owner_id: company.csmId ?? rng.pick(context.csmIds), due_date: isoDate(taskDue),
      completed_at: status === 'completed' ? isoDateTime(taskDue) : null, created_at: isoDateTime(createdAt),
    });
  }
}

function planTemplateFor(company: SeededCompany): TemplateConfig {
  const id = company.band === 'at_risk' ? 'risk_mitigation' : company.stage === 'onboarding' ? 'onboarding_90_day'
    : company.stage === 'renewal' ? 'renewal_readiness' : 'adoption_acceleration';
  const template = SUCCESS_PLAN_TEMPLATES.find((candidate) => candidate.id === id);
  if (template === undefined) throw new TypeError(`unknown template ${id}`);
  return template;
}

function seedSuccessPlan(context: SeedContext, company: SeededCompany): string[] {
  const { rng, now, tenantId } = context;
  if (company.status !== 'active' || !rng.chance(0.3)) return [];
  const template = planTemplateFor(company);
  const id = rng.id('sp');
  const startDate = addDays(now, -rng.int(0, template.durationDays + 20));
  const dueDate = addDays(startDate, template.durationDays);
  const status = dueDate < now ? 'completed' : rng.chance(0.15) ? 'draft' : 'active';
  const createdAt = isoDateTime(addDays(startDate, -1));
  context.insert('success_plans', {
    id, tenant_id: tenantId, company_id: company.id, name: `${template.name} — ${company.name}`, template_id: template.id,
    plan_type: template.planType, status, owner_id: company.csmId, description: template.description,
    start_date: isoDate(startDate), due_date: isoDate(dueDate), created_at: createdAt, updated_at: createdAt,
  });
  const rows = instantiateTemplate(template, {
    tenantId, planId: id, companyId: company.id, ownerId: company.csmId, startDate, createdAt,
    newId: (prefix) => rng.id(prefix), isCompleted: (due) => status === 'completed' || (due < now && rng.chance(0.8)),
  });
  for (const objective of rows.objectives) context.insert('objectives', objective);
  for (const task of rows.tasks) context.insert('tasks', task);
  return [id];
}

function customFieldValues(rng: Random, definitions: readonly CustomFieldDefinition[], now: Date): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const definition of definitions) {
    if (!definition.required && rng.chance(0.4)) continue;
    switch (definition.type) {
      case 'picklist': values[definition.name] = rng.pick(definition.options ?? ['n/a']); break;
      case 'integer': values[definition.name] = rng.int(1, 60); break;
      case 'number': values[definition.name] = rng.int(1, 1000) / 10; break;
      case 'boolean': values[definition.name] = rng.chance(0.5); break;
      case 'date': values[definition.name] = isoDate(addDays(now, -rng.int(1, 90))); break;
      case 'string': values[definition.name] = definition.name === 'ticket_id' ? `TCK-${rng.int(10000, 99999)}` : 'Agreed to revisit next month'; break;
    }
  }
  return values;
}

function seedTimeline(
  context: SeedContext, company: SeededCompany, relationshipIds: string[], ctaIds: string[], planIds: string[],
): void {
  const { rng, now, tenantId } = context;
  const count = rng.int(2, 8);
  const typeIds = company.band === 'at_risk' ? ['call', 'meeting', 'email', 'update', 'escalation', 'escalation'] : ['call', 'meeting', 'email', 'email', 'update', 'milestone'];
  for (let n = 0; n < count; n++) {
    const typeId = rng.pick(typeIds);
    const type = ACTIVITY_TYPES.find((candidate) => candidate.id === typeId);
    if (type === undefined) continue;
    const contextRoll = rng.next();
    const relationshipId = contextRoll < 0.2 && relationshipIds.length > 0 ? rng.pick(relationshipIds) : null;
    const ctaId = relationshipId === null && contextRoll > 0.85 && ctaIds.length > 0 ? rng.pick(ctaIds) : null;
    const planId = relationshipId === null && ctaId === null && contextRoll > 0.8 && planIds.length > 0 ? rng.pick(planIds) : null;
    const contextType = relationshipId !== null ? 'relationship' : ctaId !== null ? 'cta' : planId !== null ? 'success_plan' : 'company';
    const activityDate = new Date(addDays(now, -Math.floor(rng.next() ** 2 * 180) - 1).getTime() + rng.int(8, 18) * 3_600_000);
    context.insert('timeline_activities', {
      id: rng.id('act'), tenant_id: tenantId, type_id: type.id, subject: rng.pick(ACTIVITY_SUBJECTS[type.id] ?? ['Note']),
      notes: rng.chance(0.6) ? `Discussed priorities with ${company.name}.` : null, activity_date: isoDateTime(activityDate),
      context_type: contextType, company_id: company.id, relationship_id: relationshipId, cta_id: ctaId, success_plan_id: planId,
      author_id: company.csmId ?? rng.pick(context.csmIds), custom_fields: JSON.stringify(customFieldValues(rng, type.customFields, now)),
      created_at: isoDateTime(activityDate), updated_at: isoDateTime(activityDate),
    });
  }
}

function seedPayments(context: SeedContext, company: SeededCompany): void {
  const { rng, now, tenantId } = context;
  if (company.status !== 'active' || company.mrr === 0) return;
  const dayOffset = rng.int(0, 29);
  const failureRate = company.band === 'at_risk' ? 0.12 : 0.03;
  for (let month = 0; month < 6; month++) {
    const invoiceDate = addDays(now, -(month * 30 + dayOffset));
    if (invoiceDate < company.createdAt) break;
    const roll = rng.next();
    const status = roll < failureRate ? 'failed' : month === 0 && roll < 0.4 ? 'pending' : roll > 0.99 ? 'refunded' : 'paid';
    const paidAt = status === 'paid' || status === 'refunded' ? addDays(invoiceDate, Math.min(rng.int(0, 10), month * 30 + dayOffset)) : null;
    context.insert('payments', {
      id: rng.id('pay'), tenant_id: tenantId, company_id: company.id, amount: company.mrr, currency: 'USD', status,
      invoice_date: isoDate(invoiceDate), paid_at: paidAt === null ? null : isoDateTime(paidAt),
      failure_reason: status === 'failed' ? rng.pick(FAILURE_REASONS) : null,
      attempt_count: status === 'failed' ? rng.int(1, 3) : rng.chance(0.1) ? 2 : 1,
    });
  }
}

function seedFeedback(context: SeedContext, company: SeededCompany, relationshipIds: string[]): void {
  const { rng, now, tenantId } = context;
  if (relationshipIds.length === 0) return;
  const count = rng.int(0, 4);
  for (let n = 0; n < count; n++) {
    const survey = rng.chance(0.2) ? 'csat' : 'nps';
    const npsScore = company.band === 'healthy' ? rng.int(7, 10) : company.band === 'watch' ? rng.int(5, 9) : rng.int(0, 7);
    const score = survey === 'nps' ? npsScore : Math.max(1, Math.round(npsScore / 2));
    const sentiment = npsScore >= 9 ? 'positive' : npsScore >= 7 ? 'neutral' : 'negative';
    context.insert('feedback_responses', {
      id: rng.id('fb'), tenant_id: tenantId, company_id: company.id, relationship_id: rng.pick(relationshipIds), survey, score,
      comment: rng.chance(0.7) ? rng.pick(COMMENTS_BY_SENTIMENT[sentiment]) : null,
      responded_at: isoDateTime(new Date(addDays(now, -rng.int(1, 180)).getTime() + rng.int(8, 20) * 3_600_000)),
    });
  }
}
