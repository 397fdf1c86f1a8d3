import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from './harness.ts';
import type { Api } from './harness.ts';
import { validatorFor } from './schemas.ts';

// GoCSM: "An account outside the caller's tracked set answers with a clear forbidden error."
let api: Api;
let tracked: { id: string; name: string };
let untracked: { id: string; name: string };
let untrackedPerson: string;
let globexUntracked: string;

beforeAll(async () => {
  api = await startApi();
  tracked = (await api.get('/companies?tracked=true&status=active&limit=1')).data[0];
  untracked = (await api.get('/companies?tracked=false&status=active&limit=1')).data[0];
  untrackedPerson = (await api.get(`/relationships?company_id=${untracked.id}&limit=1`)).data[0].id;
  globexUntracked = (await api.get('/companies?tracked=false&limit=1', 'globex')).data[0].id;
});
afterAll(async () => { await api.backend.close(); });

const OPERATIONS = [
  { operation: 'getCompany', path: (id: string) => `/companies/${id}` },
  { operation: 'getScorecard', path: (id: string) => `/companies/${id}/scorecard` },
  { operation: 'getFeatureUsage', path: (id: string) => `/companies/${id}/feature-usage` },
  { operation: 'getAccountInsights', path: (id: string) => `/companies/${id}/insights` },
  { operation: 'getLoginActivity', path: (id: string) => `/login-activity?company_id=${id}` },
  { operation: 'getRevenueSummary', path: (id: string) => `/revenue/summary?company_id=${id}` },
];
const withFlag = (path: string, value: string) => `${path}${path.includes('?') ? '&' : '?'}tracked_only=${value}`;

describe('tracked_only', () => {
  for (const { operation, path } of OPERATIONS) {
    it(`${operation}: an untracked account answers 403 account_not_tracked, naming it`, async () => {
      const response = await api.call('GET', withFlag(path(untracked.id), 'true'));
      expect(response).toEqual({
        status: 403,
        body: { error: { code: 'account_not_tracked', message: `Account ${untracked.name} (${untracked.id}) is not in your tracked accounts; track it in the dashboard first.` } },
      });
      expect(validatorFor('#/components/schemas/Error')(response.body)).toBe(true);
    });

    it(`${operation}: a tracked account answers 200`, async () => {
      expect((await api.call('GET', withFlag(path(tracked.id), 'true'))).status).toBe(200);
    });

    it(`${operation}: without tracked_only (or with false) an untracked account answers 200`, async () => {
      expect((await api.call('GET', path(untracked.id))).status).toBe(200);
      expect((await api.call('GET', withFlag(path(untracked.id), 'false'))).status).toBe(200);
    });

    it(`${operation}: an unknown or another tenant's account is still 404, never naming it`, async () => {
      const unknown = await api.call('GET', withFlag(path('cmp_missing'), 'true'));
      expect(unknown.status).toBe(404);
      const foreign = await api.call('GET', withFlag(path(globexUntracked), 'true'));
      expect(foreign.status).toBe(404);
      expect(foreign.body.error.code).toBe('not_found');
    });
  }

  it('getLoginActivity: guards the account of relationship_id too', async () => {
    const response = await api.call('GET', `/login-activity?relationship_id=${untrackedPerson}&tracked_only=true`);
    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('account_not_tracked');
  });

  it('has no effect without a company on tenant-wide reads', async () => {
    expect((await api.call('GET', '/login-activity?tracked_only=true')).status).toBe(200);
    expect((await api.call('GET', '/revenue/summary?tracked_only=true')).status).toBe(200);
  });

  it('rejects a value that is not a boolean', async () => {
    const response = await api.call('GET', `/companies/${tracked.id}?tracked_only=maybe`);
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({ code: 'invalid_field', field: 'tracked_only', message: "query parameter 'tracked_only' must be boolean" });
  });

  it('lets the account through once it is tracked', async () => {
    const path = `/companies/${untracked.id}?tracked_only=true`;
    expect((await api.call('GET', path)).status).toBe(403);
    expect((await api.call('PATCH', `/companies/${untracked.id}`, { body: { tracked: true } })).status).toBe(200);
    expect((await api.call('GET', path)).status).toBe(200);
  });
});
