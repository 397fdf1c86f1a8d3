import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from './harness.ts';
import type { Api } from './harness.ts';

let api: Api;
beforeAll(async () => { api = await startApi(); });
afterAll(async () => { await api.backend.close(); });

const query = async (body: unknown) => api.call('POST', '/query', { body });

describe('POST /query', () => {
  it('filters with eq and agrees with listCompanies', async () => {
    const result = await query({ object: 'companies', fields: ['id', 'health_band'], filters: [{ field: 'health_band', op: 'eq', value: 'at_risk' }] });
    const listed = await api.get('/companies?health_band=at_risk&limit=1');
    expect(result.status).toBe(200);
    expect(result.body.total).toBe(listed.total);
    expect(result.body.data.every((row: { health_band: string }) => row.health_band === 'at_risk')).toBe(true);
    expect(Object.keys(result.body.data[0])).toEqual(['id', 'health_band']);
  });

  const filterCases = [
    { given: 'gte on a number', filter: { field: 'mrr', op: 'gte', value: 20000 }, check: (row: any) => row.mrr >= 20000 },
    { given: 'lt on a date', filter: { field: 'renewal_date', op: 'lt', value: '2026-07-01' }, check: (row: any) => row.renewal_date < '2026-07-01' },
    { given: 'in on a picklist', filter: { field: 'plan', op: 'in', value: ['pro', 'enterprise'] }, check: (row: any) => ['pro', 'enterprise'].includes(row.plan) },
    { given: 'ne', filter: { field: 'status', op: 'ne', value: 'active' }, check: (row: any) => row.status !== 'active' },
    { given: 'contains (case-insensitive)', filter: { field: 'name', op: 'contains', value: 'labs' }, check: (row: any) => /labs/i.test(row.name) },
    { given: 'eq on a boolean', filter: { field: 'tracked', op: 'eq', value: false }, check: (row: any) => row.tracked === false },
    { given: 'eq null', filter: { field: 'renewal_date', op: 'eq', value: null }, check: (row: any) => row.renewal_date === null },
  ];
  for (const { given, filter, check } of filterCases) {
    it(`filters with ${given}`, async () => {
      const result = await query({ object: 'companies', filters: [filter], limit: 100 });
      expect(result.status).toBe(200);
      expect(result.body.data.length).toBeGreaterThan(0);
      expect(result.body.data.every(check)).toBe(true);
    });
  }

  it('sorts descending and pages', async () => {
    const first = await query({ object: 'companies', fields: ['id', 'arr'], sort: [{ field: 'arr', direction: 'desc' }], limit: 10 });
    const arrs = first.body.data.map((row: { arr: number }) => row.arr);
    expect(arrs).toEqual([...arrs].sort((a, b) => b - a));
    const second = await query({ object: 'companies', fields: ['id', 'arr'], sort: [{ field: 'arr', direction: 'desc' }], limit: 10, offset: 10 });
    expect(second.body.data[0].arr).toBeLessThanOrEqual(arrs[9]);
    expect(second.body.offset).toBe(10);
  });

  it('aggregates by group with count, sum and avg', async () => {
    const result = await query({
      object: 'companies', aggregate: { group_by: ['health_band'], metrics: [{ fn: 'count' }, { fn: 'sum', field: 'mrr' }, { fn: 'avg', field: 'health_score' }] },
      sort: [{ field: 'count', direction: 'desc' }],
    });
    expect(result.status).toBe(200);
    expect(result.body.total).toBe(3);
    const counts = result.body.data.map((row: { count: number }) => row.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    for (const row of result.body.data) {
      expect(Object.keys(row)).toEqual(['health_band', 'count', 'sum_mrr', 'avg_health_score']);
      const listed = await api.get(`/companies?health_band=${row.health_band}&limit=1`);
      expect(row.count).toBe(listed.total);
    }
    const overview = await api.get('/overview');
    const totalMrr = result.body.data.reduce((sum: number, row: { sum_mrr: number }) => sum + row.sum_mrr, 0);
    expect(totalMrr).toBe(overview.revenue.mrr);
  });

  it('aggregates without groups into one row', async () => {
    const result = await query({ object: 'ctas', filters: [{ field: 'type_id', op: 'eq', value: 'risk' }], aggregate: { metrics: [{ fn: 'count' }, { fn: 'min', field: 'due_date' }] } });
    expect(result.body.total).toBe(1);
    expect(result.body.data).toEqual([{ count: expect.any(Number), min_due_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) }]);
  });

  it('binds values, so SQL in a value is only text', async () => {
    const result = await query({ object: 'companies', filters: [{ field: 'name', op: 'eq', value: "x' OR '1'='1" }] });
    expect(result.status).toBe(200);
    expect(result.body.total).toBe(0);
  });

  const rejections = [
    { given: 'an unknown object', body: { object: 'secrets' }, field: 'object' },
    { given: 'an unknown selected field', body: { object: 'companies', fields: ['id', 'password'] }, field: 'fields[1]' },
    { given: 'an unknown filter field', body: { object: 'companies', filters: [{ field: 'tenant_id', op: 'eq', value: 'globex' }] }, field: 'filters[0].field' },
    { given: 'SQL as a field name', body: { object: 'companies', filters: [{ field: 'name) OR (1=1', op: 'eq', value: 'x' }] }, field: 'filters[0].field' },
    { given: 'an unknown sort field', body: { object: 'companies', sort: [{ field: 'secret' }] }, field: 'sort[0].field' },
    { given: 'an unknown group field', body: { object: 'companies', aggregate: { group_by: ['nope'], metrics: [{ fn: 'count' }] } }, field: 'aggregate.group_by[0]' },
    { given: 'sum of a text field', body: { object: 'companies', aggregate: { metrics: [{ fn: 'sum', field: 'name' }] } }, field: 'aggregate.metrics[0].field' },
    { given: 'sum without a field', body: { object: 'companies', aggregate: { metrics: [{ fn: 'sum' }] } }, field: 'aggregate.metrics[0].field' },
    { given: 'an unknown op', body: { object: 'companies', filters: [{ field: 'name', op: 'like', value: 'x' }] }, field: 'filters[0].op' },
    { given: 'a string for a number field', body: { object: 'companies', filters: [{ field: 'mrr', op: 'gt', value: '100' }] }, field: 'filters[0].value' },
    { given: 'op in without an array', body: { object: 'companies', filters: [{ field: 'plan', op: 'in', value: 'pro' }] }, field: 'filters[0].value' },
    { given: 'a filter without a value', body: { object: 'companies', filters: [{ field: 'plan', op: 'eq' }] }, field: 'filters[0].value' },
  ];
  for (const { given, body, field } of rejections) {
    it(`rejects ${given}, naming ${field}`, async () => {
      const result = await query(body);
      expect(result.status).toBe(400);
      expect(result.body.error.field).toBe(field);
    });
  }
});
