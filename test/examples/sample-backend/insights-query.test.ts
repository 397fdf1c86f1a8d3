import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from './harness.ts';
import type { Api } from './harness.ts';
import { validatorFor } from './schemas.ts';

const SEED_QUESTION = 'Prep me for my upcoming call with Acme Corp and summarize account health, recent risks, wins, and key stakeholder changes into a one-page brief.';

let api: Api;
const acme: Record<string, string> = {};
let globexCompany: string;

const ask = (body: unknown, tenant = 'acme') => api.call('POST', '/insights/query', { tenant, body });
const byName = async (name: string, tenant = 'acme') =>
  (await api.get(`/companies?q=${encodeURIComponent(name)}&limit=100`, tenant)).data.find((company: { name: string }) => company.name === name).id as string;

beforeAll(async () => {
  api = await startApi();
  acme.corp = await byName('Acme Corp');
  acme.co = await byName('AcmeCo');
  globexCompany = await byName('Globex Corp', 'globex');
});
afterAll(async () => { await api.backend.close(); });

describe('queryAccountInsights: which accounts a question is about', () => {
  it('finds the account named in the seed question and answers with its brief', async () => {
    const response = await ask({ query: SEED_QUESTION });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      query: SEED_QUESTION, question_topics: ['health', 'risks', 'wins', 'stakeholders'], total_matched: 1, note: null,
      matched: [{ company_id: acme.corp, company_name: 'Acme Corp', matched_by: 'name', matched_text: 'Acme Corp' }],
    });
    expect(validatorFor('#/components/schemas/AccountQueryAnswer')(response.body)).toBe(true);
  });

  it('computes the same health, risks, wins and summary as the account insights (one computation, two shapes)', async () => {
    const [answer] = (await ask({ query: SEED_QUESTION })).body.matched;
    const insights = await api.get(`/companies/${acme.corp}/insights`);
    expect(answer.health_summary).toEqual({ ...insights.health, summary: insights.summary.split('. ')[0] + '.' });
    expect(answer.risks).toEqual(insights.risks);
    expect(answer.wins).toEqual(insights.wins);
    expect(answer.summary).toBe(insights.summary);
    expect(answer.upcoming).toMatchObject({ renewal_date: insights.renewal.date, days_until_renewal: insights.renewal.days_until, mrr: insights.renewal.mrr });
    const joinedOrLeft = answer.stakeholder_changes.filter((change: { change: string }) => change.change === 'joined' || change.change === 'left');
    expect(joinedOrLeft.map((change: { relationship_id: string }) => change.relationship_id))
      .toEqual(insights.stakeholder_changes.map((change: { relationship_id: string }) => change.relationship_id));
  });

  it('lists the inactive key users the risk signal counts, by name', async () => {
    const [answer] = (await ask({ query: SEED_QUESTION })).body.matched;
    const signal = answer.risks.find((risk: { code: string }) => risk.code === 'inactive_key_users');
    const inactive = answer.stakeholder_changes.filter((change: { change: string }) => change.change === 'went_inactive');
    expect(signal?.detail).toBe(`${inactive.length} key user(s) have not logged in for 14 days.`);
    for (const change of inactive) expect(change.is_key_user).toBe(true);
  });

  it('lists only open CTAs due within 30 days or overdue as upcoming', async () => {
    const [answer] = (await ask({ query: SEED_QUESTION })).body.matched;
    for (const cta of answer.upcoming.ctas_due) {
      expect(cta.days_until_due).toBeLessThanOrEqual(30);
      expect(cta.overdue).toBe(cta.days_until_due < 0);
    }
  });

  const names = [
    { given: 'the name in lower case', query: 'how is acme corp doing?', want: () => [['Acme Corp', 'acme corp']] },
    { given: 'the name without its legal suffix', query: 'anything new at Acme this week?', want: () => [['Acme Corp', 'Acme']] },
    { given: 'two accounts', query: 'Compare AcmeCo with Acme Corp', want: () => [['AcmeCo', 'AcmeCo'], ['Acme Corp', 'Acme Corp']] },
    { given: 'a name inside another word', query: 'Acmeville wants a demo', want: () => [] },
  ];
  for (const { given, query, want } of names) {
    it(`matches by name given ${given}`, async () => {
      const response = await ask({ query });
      expect(response.status).toBe(200);
      expect(response.body.matched.map((answer: { company_name: string; matched_text: string }) => [answer.company_name, answer.matched_text])).toEqual(want());
    });
  }

  it('takes company_id over the names in the question', async () => {
    const response = await ask({ query: 'What should I know before the AcmeCo call?', company_id: acme.corp });
    expect(response.status).toBe(200);
    expect(response.body.matched).toHaveLength(1);
    expect(response.body.matched[0]).toMatchObject({ company_id: acme.corp, matched_by: 'company_id', matched_text: null });
  });

  it('answers 200 with no match and a note saying how to name an account', async () => {
    const response = await ask({ query: 'What is the weather like in Lisbon?' });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ matched: [], total_matched: 0 });
    expect(response.body.note).toContain('company_id');
    expect(validatorFor('#/components/schemas/AccountQueryAnswer')(response.body)).toBe(true);
  });

  it('answers for at most limit accounts and says how many were left out', async () => {
    const response = await ask({ query: 'Compare AcmeCo with Acme Corp', limit: 1 });
    expect(response.body.matched.map((answer: { company_name: string }) => answer.company_name)).toEqual(['AcmeCo']);
    expect(response.body.total_matched).toBe(2);
    expect(response.body.note).toContain('showing the first 1');
  });

  it('reports the topics the question asks about', async () => {
    const response = await ask({ query: 'Is Acme Corp at risk of churning?' });
    expect(response.body.question_topics).toEqual(['risks']);
  });

  it('gives the same answer twice for the same data (apart from generated_at)', async () => {
    const strip = (body: Record<string, unknown>) => ({ ...body, generated_at: undefined });
    expect(strip((await ask({ query: SEED_QUESTION })).body)).toEqual(strip((await ask({ query: SEED_QUESTION })).body));
  });

  it('answers every account of the tenant within its schema', async () => {
    const validate = validatorFor('#/components/schemas/AccountQueryAnswer');
    const ids: string[] = [];
    for (let offset = 0; offset < 220; offset += 100) ids.push(...(await api.get(`/companies?limit=100&offset=${offset}`)).data.map((company: { id: string }) => company.id));
    expect(ids.length).toBeGreaterThanOrEqual(200);
    const seen = new Set<string>();
    for (const id of ids) {
      const response = await ask({ query: 'Brief me', company_id: id });
      expect(response.status).toBe(200);
      expect(validate(response.body), JSON.stringify(validate.errors)).toBe(true);
      const [answer] = response.body.matched;
      for (const win of answer.wins) seen.add(`win:${win.code}`);
      for (const change of answer.stakeholder_changes) seen.add(`change:${change.change}`);
    }
    // The seed exercises every kind of win and change except `updated`, which only an API write makes.
    expect([...seen].sort()).toEqual([
      'change:joined', 'change:left', 'change:went_inactive', 'win:ctas_closed', 'win:expansion', 'win:health_improving',
      'win:promoters', 'win:renewal_secured', 'win:usage_growth',
    ]);
  });

  it('reports a changed title as an updated stakeholder', async () => {
    const person = (await api.get(`/relationships?company_id=${acme.co}&status=active&limit=1`)).data[0];
    expect((await api.call('PATCH', `/relationships/${person.id}`, { body: { title: 'VP Customer Experience' } })).status).toBe(200);
    const [answer] = (await ask({ query: 'Who changed at AcmeCo?' })).body.matched;
    expect(answer.stakeholder_changes).toContainEqual(expect.objectContaining({ relationship_id: person.id, change: 'updated', title: 'VP Customer Experience' }));
  });
});

describe('queryAccountInsights: tenant isolation', () => {
  it('never matches a company of another tenant by name', async () => {
    const response = await ask({ query: SEED_QUESTION }, 'globex');
    expect(response.status).toBe(200);
    expect(response.body.matched).toEqual([]);
  });

  it('answers 404 for a company_id of another tenant', async () => {
    const response = await ask({ query: 'Brief me', company_id: acme.corp }, 'globex');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { code: 'not_found', message: `company '${acme.corp}' not found` } });
  });

  it("finds the other tenant's own showcase account there", async () => {
    const response = await ask({ query: 'Any risks at Globex?' }, 'globex');
    expect(response.body.matched.map((answer: { company_id: string }) => answer.company_id)).toEqual([globexCompany]);
    expect((await ask({ query: 'Any risks at Globex Corp?' })).body.matched).toEqual([]);
  });
});

describe('queryAccountInsights: validation', () => {
  const cases = [
    { given: 'no query', body: {}, want: { status: 400, code: 'missing_field', field: 'query', message: "field 'query' is required" } },
    { given: 'an empty query', body: { query: '' }, want: { status: 400, code: 'invalid_field', field: 'query', message: "field 'query' must NOT have fewer than 1 characters" } },
    { given: 'a query of spaces', body: { query: '   ' }, want: { status: 400, code: 'invalid_field', field: 'query', message: "field 'query' must contain a question, not only spaces" } },
    { given: 'a query over 2000 characters', body: { query: 'a'.repeat(2001) }, want: { status: 400, code: 'invalid_field', field: 'query', message: "field 'query' must NOT have more than 2000 characters" } },
    { given: 'a query that is not a string', body: { query: 42 }, want: { status: 400, code: 'invalid_field', field: 'query', message: "field 'query' must be string" } },
    { given: 'limit 0', body: { query: 'Acme Corp', limit: 0 }, want: { status: 400, code: 'invalid_field', field: 'limit', message: "field 'limit' must be >= 1" } },
    { given: 'limit 11', body: { query: 'Acme Corp', limit: 11 }, want: { status: 400, code: 'invalid_field', field: 'limit', message: "field 'limit' must be <= 10" } },
    { given: 'a fractional limit', body: { query: 'Acme Corp', limit: 2.5 }, want: { status: 400, code: 'invalid_field', field: 'limit', message: "field 'limit' must be integer" } },
    { given: 'an unknown field', body: { query: 'Acme Corp', account: 'x' }, want: { status: 400, code: 'invalid_field', field: 'account', message: "unknown field 'account'" } },
    { given: 'an unknown company_id', body: { query: 'Acme Corp', company_id: 'cmp_missing' }, want: { status: 404, code: 'not_found', message: "company 'cmp_missing' not found" } },
  ];
  for (const { given, body, want } of cases) {
    it(`answers ${want.status} ${want.code} given ${given}`, async () => {
      const response = await ask(body);
      expect(response.status).toBe(want.status);
      expect(response.body.error).toEqual({ code: want.code, message: want.message, ...('field' in want ? { field: want.field } : {}) });
    });
  }
});
