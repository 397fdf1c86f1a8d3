/**
 * Fixed picklists. The OpenAPI document repeats these as `enum`s (a test keeps the two in step);
 * `GET /metadata/picklists/{name}` serves them with labels.
 */
export interface PicklistValue {
  value: string;
  label: string;
}

export interface Picklist {
  name: string;
  label: string;
  values: readonly PicklistValue[];
}

function picklist(name: string, label: string, entries: ReadonlyArray<readonly [string, string]>): Picklist {
  return { name, label, values: entries.map(([value, valueLabel]) => ({ value, label: valueLabel })) };
}

export const PICKLISTS: readonly Picklist[] = [
  picklist('company_status', 'Company status', [['active', 'Active'], ['trial', 'Trial'], ['churned', 'Churned']]),
  picklist('company_stage', 'Lifecycle stage', [
    ['onboarding', 'Onboarding'], ['adoption', 'Adoption'], ['expansion', 'Expansion'],
    ['mature', 'Mature'], ['renewal', 'Renewal'], ['churned', 'Churned'],
  ]),
  picklist('industry', 'Industry', [
    ['software', 'Software'], ['healthcare', 'Healthcare'], ['financial_services', 'Financial services'],
    ['retail', 'Retail'], ['manufacturing', 'Manufacturing'], ['education', 'Education'],
    ['media', 'Media'], ['logistics', 'Logistics'], ['energy', 'Energy'],
    ['professional_services', 'Professional services'],
  ]),
  picklist('plan', 'Plan', [['starter', 'Starter'], ['growth', 'Growth'], ['pro', 'Pro'], ['enterprise', 'Enterprise']]),
  picklist('region', 'Region', [['na', 'North America'], ['emea', 'EMEA'], ['apac', 'APAC'], ['latam', 'LATAM']]),
  picklist('health_band', 'Health band', [['healthy', 'Healthy'], ['watch', 'Watch'], ['at_risk', 'At risk']]),
  picklist('priority', 'Priority', [['low', 'Low'], ['medium', 'Medium'], ['high', 'High'], ['critical', 'Critical']]),
  picklist('company_segment', 'Segment', [['smb', 'SMB'], ['mid_market', 'Mid-market'], ['enterprise', 'Enterprise']]),
  picklist('contract_type', 'Contract type', [['monthly', 'Monthly'], ['annual', 'Annual'], ['multi_year', 'Multi-year']]),
  picklist('relationship_role', 'Relationship role', [
    ['champion', 'Champion'], ['decision_maker', 'Decision maker'], ['executive_sponsor', 'Executive sponsor'],
    ['admin', 'Admin'], ['end_user', 'End user'], ['billing', 'Billing contact'],
  ]),
  picklist('relationship_status', 'Relationship status', [['active', 'Active'], ['left', 'Left the company']]),
  picklist('user_role', 'User role', [['csm', 'Customer success manager'], ['cs_manager', 'CS manager'], ['admin', 'Administrator'], ['executive', 'Executive']]),
  picklist('cta_state', 'CTA state', [['open', 'Open'], ['closed', 'Closed']]),
  picklist('cta_source', 'CTA source', [['manual', 'Manual'], ['rule', 'Rules engine'], ['api', 'API']]),
  picklist('task_status', 'Task status', [['open', 'Open'], ['in_progress', 'In progress'], ['completed', 'Completed']]),
  picklist('success_plan_status', 'Success plan status', [['draft', 'Draft'], ['active', 'Active'], ['completed', 'Completed'], ['cancelled', 'Cancelled']]),
  picklist('objective_status', 'Objective status', [['not_started', 'Not started'], ['in_progress', 'In progress'], ['completed', 'Completed']]),
  picklist('payment_status', 'Payment status', [['paid', 'Paid'], ['pending', 'Pending'], ['failed', 'Failed'], ['refunded', 'Refunded']]),
  picklist('survey', 'Survey', [['nps', 'Net Promoter Score'], ['csat', 'Customer satisfaction']]),
  picklist('timeline_context', 'Timeline context', [['company', 'Company'], ['relationship', 'Relationship'], ['cta', 'CTA'], ['success_plan', 'Success plan']]),
];

export function findPicklist(name: string): Picklist | undefined {
  return PICKLISTS.find((list) => list.name === name);
}

export function picklistValues(name: string): string[] {
  const list = findPicklist(name);
  if (list === undefined) throw new TypeError(`unknown picklist '${name}'`);
  return list.values.map((entry) => entry.value);
}

export const PRIORITY_RANK: Readonly<Record<string, number>> = { low: 1, medium: 2, high: 3, critical: 4 };

/** Health bands are derived from the score: one rule, used by the seed and every read. */
export function healthBand(score: number): 'healthy' | 'watch' | 'at_risk' {
  if (score >= 70) return 'healthy';
  if (score >= 40) return 'watch';
  return 'at_risk';
}
