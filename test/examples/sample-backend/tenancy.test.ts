import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from './harness.ts';
import type { Api } from './harness.ts';

let api: Api;
const acme: Record<string, string> = {};

beforeAll(async () => {
  api = await startApi();
  const first = async (path: string) => (await api.get(path)).data[0].id as string;
  acme.company = await first('/companies?limit=1');
  acme.relationship = await first('/relationships?limit=1');
  acme.user = await first('/users?limit=1');
  acme.cta = await first('/ctas?limit=1');
  acme.task = await first('/tasks?limit=1');
  acme.plan = await first('/success-plans?limit=1');
  acme.activity = await first('/timeline?limit=1');
});
afterAll(async () => { await api.backend.close(); });

describe('tenant isolation', () => {
  const reads = [
    { given: 'a company', path: () => `/companies/${acme.company}` },
    { given: "a company's scorecard", path: () => `/companies/${acme.company}/scorecard` },
    { given: "a company's feature usage", path: () => `/companies/${acme.company}/feature-usage` },
    { given: "a company's insights", path: () => `/companies/${acme.company}/insights` },
    { given: 'a relationship', path: () => `/relationships/${acme.relationship}` },
    { given: 'a user', path: () => `/users/${acme.user}` },
    { given: 'a CTA', path: () => `/ctas/${acme.cta}` },
    { given: 'a task', path: () => `/tasks/${acme.task}` },
    { given: 'a success plan', path: () => `/success-plans/${acme.plan}` },
    { given: 'a timeline activity', path: () => `/timeline/${acme.activity}` },
    { given: 'a list filtered by company', path: () => `/ctas?company_id=${acme.company}` },
    { given: 'login activity of a company', path: () => `/login-activity?company_id=${acme.company}` },
    { given: 'revenue of a company', path: () => `/revenue/summary?company_id=${acme.company}` },
  ];
  for (const { given, path } of reads) {
    it(`answers 404 for ${given} of acme asked through globex`, async () => {
      expect((await api.call('GET', path(), { tenant: 'acme' })).status).toBe(200);
      const response = await api.call('GET', path(), { tenant: 'globex' });
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('not_found');
    });
  }

  const writes = [
    { given: 'updateCompany', method: 'PATCH', path: () => `/companies/${acme.company}`, body: () => ({ priority: 'low' }) },
    { given: 'updateRelationship', method: 'PATCH', path: () => `/relationships/${acme.relationship}`, body: () => ({ is_key_user: true }) },
    { given: 'updateCta', method: 'PATCH', path: () => `/ctas/${acme.cta}`, body: () => ({ priority: 'low' }) },
    { given: 'updateTimelineActivity', method: 'PATCH', path: () => `/timeline/${acme.activity}`, body: () => ({ subject: 'x' }) },
    { given: 'createCta on its company', method: 'POST', path: () => '/ctas', body: () => ({ company_id: acme.company, name: 'x', type_id: 'expansion', due_date: '2026-06-01' }) },
    { given: 'createTimelineActivity on its company', method: 'POST', path: () => '/timeline', body: () => ({ type_id: 'update', subject: 'x', company_id: acme.company }) },
    { given: 'triggerWorkflow on its company', method: 'POST', path: () => '/workflows/wf_win_back/runs', body: () => ({ company_id: acme.company }) },
  ];
  for (const { given, method, path, body } of writes) {
    it(`refuses ${given} with an acme id through globex`, async () => {
      const response = await api.call(method, path(), { tenant: 'globex', body: body() });
      expect(response.status).toBe(404);
    });
  }

  it('never mixes tenants in lists', async () => {
    const ids = await Promise.all(['acme', 'globex', 'initech'].map(async (tenant) => {
      const page = await api.get('/companies?limit=100&sort=-mrr', tenant);
      return new Set<string>(page.data.map((company: { id: string }) => company.id));
    }));
    const all = ids.flatMap((set) => [...set]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('never returns another tenant\'s rows from the query endpoint', async () => {
    const response = await api.call('POST', '/query', {
      tenant: 'globex', body: { object: 'companies', filters: [{ field: 'id', op: 'eq', value: acme.company }] },
    });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(0);
  });

  it('answers 404 with the Error schema for an unknown tenant', async () => {
    const response = await api.call('GET', '/companies', { tenant: 'umbrella' });
    expect(response).toEqual({ status: 404, body: { error: { code: 'not_found', message: "tenant 'umbrella' not found" } } });
  });
});
