import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, TOKEN } from './harness.ts';
import type { Api } from './harness.ts';

let api: Api;
beforeAll(async () => { api = await startApi(); });
afterAll(async () => { await api.backend.close(); });

describe('bearer token', () => {
  const cases = [
    { given: 'no Authorization header', token: null, want: 401 },
    { given: 'a wrong token of the same length', token: TOKEN.replace(/.$/, 'X'), want: 401 },
    { given: 'a shorter token', token: TOKEN.slice(0, 5), want: 401 },
    { given: 'a longer token', token: `${TOKEN}0`, want: 401 },
    { given: 'an empty token', token: '', want: 401 },
    { given: 'the right token', token: TOKEN, want: 200 },
  ];
  for (const { given, token, want } of cases) {
    it(`answers ${want} given ${given}`, async () => {
      const response = await api.call('GET', '/companies?limit=1', { token });
      expect(response.status).toBe(want);
      if (want === 401) expect(response.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    });
  }

  it('protects writes too', async () => {
    const response = await api.call('PATCH', '/companies/anything', { token: null, body: { tracked: true } });
    expect(response.status).toBe(401);
  });

  it('checks the token before revealing whether a tenant exists', async () => {
    expect((await api.call('GET', '/companies', { tenant: 'nope', token: null })).status).toBe(401);
    expect((await api.call('GET', '/companies', { tenant: 'nope' })).status).toBe(404);
  });

  it('serves /healthz without a token', async () => {
    const response = await api.call('GET', '/healthz', { tenant: '', token: null });
    expect(response).toEqual({ status: 200, body: { status: 'ok' } });
  });

  it('answers unknown routes with the Error schema', async () => {
    const response = await api.call('GET', '/no-such-thing');
    expect(response.status).toBe(404);
    expect(response.body.error.code).toBe('not_found');
  });
});
