import { healthBand } from '../domain/picklists.ts';
import { trendOf } from '../domain/trend.ts';
import { param } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { findCompanyRow } from './companies.ts';
import { assertTrackedIfAsked } from './lookups.ts';

interface MeasureRow {
  id: string; name: string; description: string; weight: number; score: number; previous_score: number;
  comment: string | null; updated_at: string;
}

function getScorecard(input: HandlerInput) {
  const { store, tenantId } = input;
  const company = findCompanyRow(store, tenantId, param(input, 'companyId'));
  assertTrackedIfAsked(input, company);
  const measures = store.all<MeasureRow>(
    `SELECT m.id, m.name, m.description, m.weight, s.score, s.previous_score, s.comment, s.updated_at
     FROM measure_scores s JOIN scorecard_measures m ON m.tenant_id = s.tenant_id AND m.id = s.measure_id
     WHERE s.tenant_id = ? AND s.company_id = ? ORDER BY m.position`, [tenantId, company.id]);
  const updatedAt = measures.reduce((latest, measure) => (measure.updated_at > latest ? measure.updated_at : latest), company.updated_at);
  return {
    company_id: company.id, company_name: company.name, overall_score: company.health_score, overall_band: company.health_band,
    previous_score: company.previous_health_score, trend: trendOf(company.health_score, company.previous_health_score),
    updated_at: updatedAt,
    measures: measures.map((measure) => ({
      id: measure.id, name: measure.name, description: measure.description, weight: measure.weight, score: measure.score,
      band: healthBand(measure.score), previous_score: measure.previous_score, trend: trendOf(measure.score, measure.previous_score),
      comment: measure.comment, updated_at: measure.updated_at,
    })),
  };
}

export const scorecardHandlers = { getScorecard };
