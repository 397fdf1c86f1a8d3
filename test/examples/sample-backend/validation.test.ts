import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, TOKEN } from './harness.ts';
import type { Api } from './harness.ts';

let api: Api;
let companyId: string;
let relationshipId: string;
let leftRelationshipId: string;
let otherCompanyRelationshipId: string;

beforeAll(async () => {
  api = await startApi();
  const people = await api.get('/relationships?status=active&limit=2&sort=name');
  companyId = people.data[0].company_id;
  relationshipId = people.data[0].id;
  otherCompanyRelationshipId = (await api.get(`/relationships?status=active&limit=100`)).data
    .find((person: { company_id: string }) => person.company_id !== companyId).id;
  leftRelationshipId = (await api.get('/relationships?status=left&limit=1')).data[0].id;
});
afterAll(async () => { await api.backend.close(); });

const validCta = () => ({ company_id: companyId, name: 'Usage review', type_id: 'expansion', due_date: '2026-06-30' });

describe('request validation', () => {
  const cases = [
    // mandatory fields, named
    ...['company_id', 'name', 'type_id', 'due_date'].map((field) => ({
      given: `createCta without ${field}`, method: 'POST', path: '/ctas',
      body: () => { const body: Record<string, unknown> = validCta(); delete body[field]; return body; },
      want: { status: 400, code: 'missing_field', field, message: `field '${field}' is required` },
    })),
    ...['company_id', 'name', 'template_id'].map((field) => ({
      given: `createSuccessPlan without ${field}`, method: 'POST', path: '/success-plans',
      body: () => { const body: Record<string, unknown> = { company_id: companyId, name: 'Plan', template_id: 'onboarding_90_day' }; delete body[field]; return body; },
      want: { status: 400, code: 'missing_field', field, message: `field '${field}' is required` },
    })),
    { given: 'createTimelineActivity without subject', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'update', company_id: companyId }), want: { status: 400, code: 'missing_field', field: 'subject' } },
    { given: 'createTimelineActivity without any context', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'update', subject: 'Note' }), want: { status: 400, code: 'missing_field', field: 'company_id' } },
    { given: 'createTimelineActivity with two contexts', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'update', subject: 'Note', company_id: companyId, relationship_id: relationshipId }),
      want: { status: 400, code: 'invalid_field', field: 'relationship_id' } },
    { given: 'createTimelineActivity without a mandatory custom field', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'call', subject: 'Call', company_id: companyId }),
      want: { status: 400, code: 'missing_field', field: 'custom_fields.call_outcome' } },
    { given: 'createTimelineActivity with a bad picklist custom field', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'call', subject: 'Call', company_id: companyId, custom_fields: { call_outcome: 'maybe' } }),
      want: { status: 400, code: 'invalid_field', field: 'custom_fields.call_outcome' } },
    { given: 'createTimelineActivity with an unknown custom field', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'update', subject: 'Note', company_id: companyId, custom_fields: { mood: 'good' } }),
      want: { status: 400, code: 'invalid_field', field: 'custom_fields.mood' } },
    { given: 'createTimelineActivity with an unknown type', method: 'POST', path: '/timeline',
      body: () => ({ type_id: 'fax', subject: 'Note', company_id: companyId }), want: { status: 400, code: 'invalid_field', field: 'type_id' } },
    // picklists and dependencies
    { given: 'an unknown priority', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), priority: 'urgent' }),
      want: { status: 400, code: 'invalid_field', field: 'priority' } },
    { given: 'a malformed due date', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), due_date: '30/06/2026' }),
      want: { status: 400, code: 'invalid_field', field: 'due_date' } },
    { given: 'an unknown CTA type', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), type_id: 'nope' }),
      want: { status: 400, code: 'invalid_field', field: 'type_id' } },
    { given: 'a risk CTA without its mandatory reason', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), type_id: 'risk' }),
      want: { status: 400, code: 'missing_field', field: 'reason_id' } },
    { given: 'a reason of another CTA type', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), reason_id: 'low_usage' }),
      want: { status: 400, code: 'invalid_field', field: 'reason_id' } },
    { given: 'a status the CTA type does not allow', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), type_id: 'lifecycle', status_id: 'closed_lost' }),
      want: { status: 400, code: 'invalid_field', field: 'status_id' } },
    { given: 'closed_lost without comments', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), status_id: 'closed_lost' }),
      want: { status: 400, code: 'missing_field', field: 'comments' } },
    { given: 'an unknown body field', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), colour: 'red' }),
      want: { status: 400, code: 'invalid_field', field: 'colour' } },
    { given: 'an unknown company', method: 'POST', path: '/ctas', body: () => ({ ...validCta(), company_id: 'cmp_missing' }),
      want: { status: 404, code: 'not_found' } },
    { given: 'a wrong type in updateCompany', method: 'PATCH', path: '', body: () => ({ tracked: 'yes' }),
      want: { status: 400, code: 'invalid_field', field: 'tracked' } },
    { given: 'an unknown company custom field', method: 'PATCH', path: '', body: () => ({ custom_fields: { shoe_size: 44 } }),
      want: { status: 400, code: 'invalid_field', field: 'custom_fields.shoe_size' } },
    // actions
    { given: 'a workflow that needs a contact, without one', method: 'POST', path: '/workflows/wf_nps_survey/runs', body: () => ({ company_id: companyId }),
      want: { status: 400, code: 'missing_field', field: 'relationship_id' } },
    { given: 'a contact of another company', method: 'POST', path: '/workflows/wf_nps_survey/runs', body: () => ({ company_id: companyId, relationship_id: otherCompanyRelationshipId }),
      want: { status: 400, code: 'invalid_field', field: 'relationship_id' } },
    { given: 'an inactive workflow', method: 'POST', path: '/workflows/wf_trial_nurture_legacy/runs', body: () => ({ company_id: companyId }),
      want: { status: 409, code: 'conflict' } },
    { given: 'an unknown workflow', method: 'POST', path: '/workflows/wf_nope/runs', body: () => ({ company_id: companyId }),
      want: { status: 404, code: 'not_found' } },
    { given: 'requestFeedback without relationship_id', method: 'POST', path: '/feedback/requests', body: () => ({ company_id: companyId }),
      want: { status: 400, code: 'missing_field', field: 'relationship_id' } },
    // query parameters
    { given: 'limit above 100', method: 'GET', path: '/companies?limit=101', want: { status: 400, code: 'invalid_field', field: 'limit' } },
    { given: 'a non-numeric offset', method: 'GET', path: '/companies?offset=abc', want: { status: 400, code: 'invalid_field', field: 'offset' } },
    { given: 'an unknown health band', method: 'GET', path: '/renewals?health_band=green', want: { status: 400, code: 'invalid_field', field: 'health_band[0]' } },
    { given: 'an unknown query parameter', method: 'GET', path: '/ctas?colour=red', want: { status: 400, code: 'invalid_field', field: 'colour' } },
    { given: 'a bad since', method: 'GET', path: '/timeline?since=yesterday', want: { status: 400, code: 'invalid_field', field: 'since' } },
  ];

  for (const { given, method, path, body, want } of cases) {
    it(`answers ${want.status} ${want.code} given ${given}`, async () => {
      const target = path === '' ? `/companies/${companyId}` : path;
      const response = await api.call(method, target, { body: body?.() });
      expect(response.status).toBe(want.status);
      expect(response.body.error.code).toBe(want.code);
      if ('field' in want) expect(response.body.error.field).toBe(want.field);
      if ('message' in want) expect(response.body.error.message).toBe(want.message);
    });
  }

  it('rejects a body that is not JSON', async () => {
    const response = await fetch(`${api.backend.url}/tenants/acme/ctas`, {
      method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{nope',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('invalid_json');
  });

  it('answers 409 when asking feedback from someone who left', async () => {
    const person = await api.get(`/relationships/${leftRelationshipId}`);
    const response = await api.call('POST', '/feedback/requests', { body: { company_id: person.company_id, relationship_id: person.id } });
    expect(response.status).toBe(409);
  });
});

describe('writes', () => {
  it('creates a CTA with type defaults and reads it back', async () => {
    const created = await api.call('POST', '/ctas', { body: { ...validCta(), type_id: 'risk', reason_id: 'low_usage' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ type_id: 'risk', reason_id: 'low_usage', priority: 'high', status: 'open', status_id: 'new', source: 'api' });
    expect(await api.get(`/ctas/${created.body.id}`)).toEqual(created.body);
  });

  it('closes a CTA when moved to a closed status', async () => {
    const created = await api.call('POST', '/ctas', { body: validCta() });
    const closed = await api.call('PATCH', `/ctas/${created.body.id}`, { body: { status_id: 'closed_success' } });
    expect(closed.body).toMatchObject({ status: 'closed', status_id: 'closed_success', closed_at: expect.any(String) });
  });

  it('creates a success plan with the objectives and tasks of its template', async () => {
    const created = await api.call('POST', '/success-plans', { body: { company_id: companyId, name: 'Onboard', template_id: 'onboarding_90_day', start_date: '2026-05-17' } });
    expect(created.status).toBe(201);
    expect(created.body.objectives.map((objective: { name: string }) => objective.name)).toEqual(['Kickoff complete', 'Technical setup', 'First value delivered']);
    expect(created.body).toMatchObject({ task_count: 6, completed_task_count: 0, due_date: '2026-08-15' });
    const tasks = await api.get(`/tasks?success_plan_id=${created.body.id}`);
    expect(tasks.total).toBe(6);
  });

  it('merges timeline custom fields on update and clears them with null', async () => {
    const created = await api.call('POST', '/timeline', {
      body: { type_id: 'meeting', subject: 'QBR', relationship_id: relationshipId, custom_fields: { meeting_type: 'qbr', next_steps: 'Send deck' } },
    });
    expect(created.body).toMatchObject({ context_type: 'relationship', company_id: companyId, relationship_id: relationshipId });
    const updated = await api.call('PATCH', `/timeline/${created.body.id}`, { body: { custom_fields: { attendees_count: 4, next_steps: null } } });
    expect(updated.body.custom_fields).toEqual({ meeting_type: 'qbr', attendees_count: 4 });
    const cleared = await api.call('PATCH', `/timeline/${created.body.id}`, { body: { custom_fields: { meeting_type: null } } });
    expect(cleared.body.error.field).toBe('custom_fields.meeting_type');
  });

  it('sets priority, tracking and key-user flags', async () => {
    const company = await api.call('PATCH', `/companies/${companyId}`, { body: { priority: 'critical', tracked: false, custom_fields: { segment: 'enterprise' } } });
    expect(company.body).toMatchObject({ priority: 'critical', tracked: false, custom_fields: { segment: 'enterprise' } });
    const person = await api.call('PATCH', `/relationships/${relationshipId}`, { body: { is_key_user: true } });
    expect(person.body.is_key_user).toBe(true);
  });
});
