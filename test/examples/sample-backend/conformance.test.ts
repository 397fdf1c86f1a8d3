import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from './harness.ts';
import type { Api } from './harness.ts';
import { document, validatorFor } from './schemas.ts';

interface DocumentedOperation { operationId: string; method: string; path: string; successStatus: string; schemaRef: string }

const operations: DocumentedOperation[] = Object.entries(document.paths as Record<string, Record<string, any>>).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => {
    const [successStatus, response] = Object.entries(operation.responses as Record<string, any>).find(([code]) => code.startsWith('2')) ?? [];
    return {
      operationId: operation.operationId, method: method.toUpperCase(), path, successStatus: successStatus ?? 'none',
      schemaRef: response?.content?.['application/json']?.schema?.$ref ?? 'none',
    };
  }));

let api: Api;
const ids: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  // A company with CTAs, a plan and timeline entries, so that nested arrays are non-empty.
  const plans = await api.get('/success-plans?limit=100');
  const plan = plans.data.find((candidate: { company_id: string }) => candidate.company_id);
  ids.plan = plan.id;
  ids.company = plan.company_id;
  ids.relationship = (await api.get(`/relationships?company_id=${ids.company}&status=active`)).data[0].id;
  ids.user = (await api.get('/users?role=csm')).data[0].id;
  ids.cta = (await api.get('/ctas?limit=1&status=open')).data[0].id;
  ids.task = (await api.get('/tasks?limit=1')).data[0].id;
  ids.activity = (await api.get('/timeline?limit=1')).data[0].id;
});
afterAll(async () => { await api.backend.close(); });

interface Call { path: string; body?: unknown }

/** One real request per operation; the coverage test below fails when an operation is missing here. */
const CALLS: Record<string, () => Call> = {
  listCompanies: () => ({ path: '/companies?limit=100&sort=-mrr' }),
  getCompany: () => ({ path: `/companies/${ids.company}` }),
  updateCompany: () => ({ path: `/companies/${ids.company}`, body: { priority: 'high', tracked: true, custom_fields: { success_goals: null } } }),
  getScorecard: () => ({ path: `/companies/${ids.company}/scorecard` }),
  getFeatureUsage: () => ({ path: `/companies/${ids.company}/feature-usage` }),
  getAccountInsights: () => ({ path: `/companies/${ids.company}/insights` }),
  queryAccountInsights: () => ({ path: '/insights/query', body: { query: 'Prep me for my call with Acme Corp: health, risks, wins, stakeholders.', limit: 10 } }),
  listRelationships: () => ({ path: '/relationships?limit=100&sort=-last_login_at' }),
  getRelationship: () => ({ path: `/relationships/${ids.relationship}` }),
  updateRelationship: () => ({ path: `/relationships/${ids.relationship}`, body: { is_key_user: true, title: 'Head of CS' } }),
  listUsers: () => ({ path: '/users?limit=100' }),
  getUser: () => ({ path: `/users/${ids.user}` }),
  listCtas: () => ({ path: '/ctas?limit=100&sort=-priority' }),
  getCta: () => ({ path: `/ctas/${ids.cta}` }),
  createCta: () => ({ path: '/ctas', body: { company_id: ids.company, name: 'Renewal prep', type_id: 'renewal', due_date: '2026-07-01' } }),
  updateCta: () => ({ path: `/ctas/${ids.cta}`, body: { priority: 'critical', comments: 'Escalated by the account team.' } }),
  listCtaTypes: () => ({ path: '/cta-types' }),
  listTasks: () => ({ path: '/tasks?limit=100' }),
  getTask: () => ({ path: `/tasks/${ids.task}` }),
  listSuccessPlans: () => ({ path: '/success-plans?limit=100' }),
  getSuccessPlan: () => ({ path: `/success-plans/${ids.plan}` }),
  createSuccessPlan: () => ({ path: '/success-plans', body: { company_id: ids.company, name: 'Adoption push', template_id: 'adoption_acceleration' } }),
  updateSuccessPlan: () => ({ path: `/success-plans/${ids.plan}`, body: { status: 'active', description: null } }),
  listSuccessPlanTemplates: () => ({ path: '/success-plan-templates' }),
  listTimelineActivities: () => ({ path: '/timeline?limit=100' }),
  getTimelineActivity: () => ({ path: `/timeline/${ids.activity}` }),
  createTimelineActivity: () => ({ path: '/timeline', body: { type_id: 'call', subject: 'Check-in', company_id: ids.company, custom_fields: { call_outcome: 'connected', duration_minutes: 30 } } }),
  updateTimelineActivity: () => ({ path: `/timeline/${ids.activity}`, body: { notes: 'Updated notes' } }),
  listActivityTypes: () => ({ path: '/activity-types' }),
  getFeatureAdoption: () => ({ path: '/feature-usage?top=20' }),
  getLoginActivity: () => ({ path: '/login-activity?days=30&inactive_days=14&limit=100' }),
  getRevenueSummary: () => ({ path: '/revenue/summary' }),
  listPayments: () => ({ path: '/payments?limit=100' }),
  listRenewals: () => ({ path: '/renewals?within_days=365&limit=100' }),
  listAccountsAtRisk: () => ({ path: '/at-risk-accounts?min_severity=low&limit=100' }),
  listUpsellCandidates: () => ({ path: '/upsell-candidates?min_score=1&limit=100' }),
  listWorkflows: () => ({ path: '/workflows' }),
  triggerWorkflow: () => ({ path: '/workflows/wf_nps_survey/runs', body: { company_id: ids.company, relationship_id: ids.relationship } }),
  listFeedbackResponses: () => ({ path: '/feedback?limit=100' }),
  requestFeedback: () => ({ path: '/feedback/requests', body: { company_id: ids.company, relationship_id: ids.relationship } }),
  getAgencyOverview: () => ({ path: '/overview' }),
  listObjects: () => ({ path: '/metadata/objects' }),
  getObjectMetadata: () => ({ path: '/metadata/objects/ctas' }),
  getPicklist: () => ({ path: '/metadata/picklists/cta_status' }),
  queryObjects: () => ({ path: '/query', body: { object: 'relationships', filters: [{ field: 'is_key_user', op: 'eq', value: true }], limit: 100 } }),
};

describe('openapi.yaml conformance', () => {
  it('has a call for every documented operation (and no stale ones)', () => {
    expect(Object.keys(CALLS).sort()).toEqual(operations.map((operation) => operation.operationId).sort());
  });

  // Reads first, then writes, so the reads see the seed as generated.
  const ordered = [...operations].sort((a, b) => Number(a.method !== 'GET') - Number(b.method !== 'GET'));
  for (const operation of ordered) {
    it(`${operation.operationId}: ${operation.method} ${operation.path} answers ${operation.successStatus} matching ${operation.schemaRef.split('/').pop()}`, async () => {
      const call = CALLS[operation.operationId];
      expect(call, `no call for ${operation.operationId}`).toBeDefined();
      const { path, body } = (call as () => Call)();
      const response = await api.call(operation.method, path, { body });
      expect(response.status, JSON.stringify(response.body)).toBe(Number(operation.successStatus));
      const validate = validatorFor(operation.schemaRef);
      const valid = validate(response.body);
      expect(validate.errors ?? [], JSON.stringify(response.body).slice(0, 500)).toEqual([]);
      expect(valid).toBe(true);
      if (Array.isArray(response.body?.data) && operation.method === 'GET') expect(response.body.data.length).toBeGreaterThan(0);
    });
  }

  const withPathIds = operations.filter((operation) => operation.path.includes('{'));
  for (const operation of withPathIds) {
    it(`${operation.operationId}: an unknown id answers 404 matching Error`, async () => {
      const path = operation.path.replace(/\{\w+\}/g, 'does_not_exist');
      const { body } = (CALLS[operation.operationId] as () => Call)();
      const response = await api.call(operation.method, path, { body });
      expect(response.status).toBe(404);
      const validate = validatorFor('#/components/schemas/Error');
      expect(validate(response.body)).toBe(true);
      expect(response.body.error.message).toContain('does_not_exist');
    });
  }

  it('rejects a response that breaks its schema (the check can fail)', async () => {
    const company = await api.get(`/companies/${ids.company}`);
    const validate = validatorFor('#/components/schemas/Company');
    expect(validate({ ...company, health_band: 'purple' })).toBe(false);
    expect(validate({ ...company, surprise: 1 })).toBe(false);
  });
});
