import { randomUUID } from 'node:crypto';
import { Conditions } from '../db/store.ts';
import { ConflictError, InvalidFieldError } from '../errors.ts';
import { readNumber, readPage, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { assertExists, findRelationship } from './lookups.ts';
import { parseSince } from './since.ts';

interface ResponseRow {
  id: string; company_id: string; company_name: string; relationship_id: string; relationship_name: string;
  survey: string; score: number; comment: string | null; responded_at: string;
}

function npsCategory(survey: string, score: number): string | null {
  if (survey !== 'nps') return null;
  return score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor';
}

const FROM = 'feedback_responses f JOIN companies c ON c.id = f.company_id JOIN relationships r ON r.id = f.relationship_id';

function listFeedbackResponses({ store, tenantId, query }: HandlerInput) {
  const companyId = readString(query, 'company_id');
  const relationshipId = readString(query, 'relationship_id');
  assertExists(store, tenantId, 'company', companyId);
  assertExists(store, tenantId, 'relationship', relationshipId);
  const since = readString(query, 'since');
  const where = new Conditions('f.tenant_id = ?', tenantId)
    .when(companyId, 'f.company_id = ?')
    .when(relationshipId, 'f.relationship_id = ?')
    .when(readString(query, 'survey'), 'f.survey = ?')
    .when(readNumber(query, 'min_score'), 'f.score >= ?')
    .when(readNumber(query, 'max_score'), 'f.score <= ?')
    .when(since === undefined ? undefined : parseSince(since, 'since'), 'f.responded_at >= ?');
  const { limit, offset } = readPage(query);
  const rows = store.all<ResponseRow>(
    `SELECT f.id, f.company_id, c.name AS company_name, f.relationship_id, r.first_name || ' ' || r.last_name AS relationship_name,
       f.survey, f.score, f.comment, f.responded_at FROM ${FROM} WHERE ${where.sql}
     ORDER BY f.responded_at DESC, f.id LIMIT ? OFFSET ?`, [...where.params, limit, offset]);
  const summary = store.get<{ n: number; average: number | null; nps_n: number; promoters: number; detractors: number }>(
    `SELECT count(*) AS n, avg(f.score) AS average, coalesce(sum(f.survey = 'nps'), 0) AS nps_n,
       coalesce(sum(f.survey = 'nps' AND f.score >= 9), 0) AS promoters, coalesce(sum(f.survey = 'nps' AND f.score <= 6), 0) AS detractors
     FROM ${FROM} WHERE ${where.sql}`, where.params) ?? { n: 0, average: null, nps_n: 0, promoters: 0, detractors: 0 };
  return {
    data: rows.map((row) => ({ ...row, category: npsCategory(row.survey, row.score) })),
    total: summary.n, limit, offset,
    summary: {
      responses: summary.n,
      average_score: summary.average === null ? null : Math.round(summary.average * 10) / 10,
      nps: summary.nps_n === 0 ? null : Math.round(((summary.promoters - summary.detractors) / summary.nps_n) * 100),
      promoters: summary.promoters, passives: summary.nps_n - summary.promoters - summary.detractors, detractors: summary.detractors,
    },
  };
}

function requestFeedback({ store, tenantId, body, clock }: HandlerInput) {
  const companyId = readString(body, 'company_id') ?? '';
  const relationshipId = readString(body, 'relationship_id') ?? '';
  assertExists(store, tenantId, 'company', companyId);
  const relationship = findRelationship(store, tenantId, relationshipId);
  if (relationship.company_id !== companyId) {
    throw new InvalidFieldError('relationship_id', `relationship '${relationshipId}' does not belong to company '${companyId}'`);
  }
  if (relationship.status !== 'active') throw new ConflictError(`relationship '${relationshipId}' has left the company`, 'relationship_id');
  const request = {
    id: `fbr_${randomUUID().replaceAll('-', '').slice(0, 12)}`, company_id: companyId, relationship_id: relationshipId,
    survey: readString(body, 'survey') ?? 'nps', status: 'sent', channel: 'email', message: readString(body, 'message') ?? null,
    requested_at: clock.now().toISOString(),
  };
  store.run(
    `INSERT INTO feedback_requests (id, tenant_id, company_id, relationship_id, survey, status, channel, message, requested_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    [request.id, tenantId, companyId, relationshipId, request.survey, request.status, request.channel, request.message, request.requested_at]);
  return request;
}

export const feedbackHandlers = { listFeedbackResponses, requestFeedback };
