import { accountBrief } from '../domain/account-brief.ts';
import type { AccountBrief } from '../domain/account-brief.ts';
import { findCompanyMentions } from '../domain/company-mentions.ts';
import { daysBetween, parseIsoDate } from '../domain/dates.ts';
import { questionTopics } from '../domain/question-topics.ts';
import { InvalidFieldError } from '../errors.ts';
import { param, readNumber, readString } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { findCompanyRow } from './companies.ts';
import { assertTrackedIfAsked } from './lookups.ts';

/** Open CTAs due within this many days (or overdue) are listed as upcoming. */
const DUE_SOON_DAYS = 30;

/** An account brief computed from the data: health, risks, wins, stakeholder changes, recent activity. */
function getAccountInsights(input: HandlerInput) {
  const { store, tenantId, clock } = input;
  const row = findCompanyRow(store, tenantId, param(input, 'companyId'));
  assertTrackedIfAsked(input, row);
  const brief = accountBrief(store, tenantId, row, clock);
  const { company } = brief;
  return {
    company_id: company.id, company_name: company.name, generated_at: brief.generatedAt, summary: brief.summary,
    health: { score: company.health_score, band: company.health_band, previous_score: company.previous_health_score, trend: brief.trend },
    renewal: { date: company.renewal_date, days_until: brief.daysUntilRenewal, mrr: company.mrr, arr: company.arr },
    risks: brief.risks, wins: brief.wins,
    stakeholder_changes: brief.stakeholders
      .filter((event) => event.change === 'joined' || event.change === 'left')
      .map(({ relationship_id, name, title, role, change, date }) => ({ relationship_id, name, title, role, change, date })),
    recent_activities: brief.recentActivities, open_ctas: brief.openCtas,
  };
}

interface Match { companyId: string; matchedBy: 'company_id' | 'name'; text: string | null }

function accountAnswer(brief: AccountBrief, match: Match, today: Date) {
  const { company } = brief;
  const ctasDue = brief.openCtas
    .map((cta) => ({ ...cta, days_until_due: daysBetween(today, parseIsoDate(cta.due_date)) }))
    .filter((cta) => cta.days_until_due <= DUE_SOON_DAYS)
    .map((cta) => ({ ...cta, overdue: cta.days_until_due < 0 }));
  return {
    company_id: company.id, company_name: company.name, matched_by: match.matchedBy, matched_text: match.text,
    summary: brief.summary,
    health_summary: {
      score: company.health_score, band: company.health_band, previous_score: company.previous_health_score,
      trend: brief.trend, summary: brief.healthSentence,
    },
    risks: brief.risks, wins: brief.wins, stakeholder_changes: brief.stakeholders,
    upcoming: {
      renewal_date: company.renewal_date, days_until_renewal: brief.daysUntilRenewal, mrr: company.mrr, arr: company.arr,
      ctas_due: ctasDue,
    },
  };
}

function noteFor(total: number, limit: number): string | null {
  if (total === 0) {
    return 'No account of this tenant is named in the question. Ask again naming the account as it is written in the CRM, or pass company_id (search the companies by name to find it).';
  }
  if (total > limit) return `${total} accounts are named in the question; showing the first ${limit} in the order they are named. Pass company_id, or raise limit (up to 10), for the others.`;
  return null;
}

/**
 * Answers a free-text question about accounts (the Staircase seed's `staircase_query`): finds the
 * accounts it names, or takes `company_id`, and returns each one's brief. Naming no account is an
 * answer too (`matched: []` and a note), so a model can ask again with a name.
 */
function queryAccountInsights(input: HandlerInput) {
  const { store, tenantId, clock, body } = input;
  const query = readString(body, 'query') ?? '';
  if (query.trim() === '') throw new InvalidFieldError('query', "field 'query' must contain a question, not only spaces");
  const limit = readNumber(body, 'limit') ?? 3;
  const companyId = readString(body, 'company_id');
  const matches: Match[] = companyId !== undefined
    ? [{ companyId: findCompanyRow(store, tenantId, companyId).id, matchedBy: 'company_id', text: null }]
    : findCompanyMentions(query, store.all<{ id: string; name: string }>('SELECT id, name FROM companies WHERE tenant_id = ? ORDER BY id', [tenantId]))
      .map((mention) => ({ companyId: mention.companyId, matchedBy: 'name', text: mention.text }));
  const today = clock.today();
  return {
    query, generated_at: clock.now().toISOString(), question_topics: questionTopics(query),
    matched: matches.slice(0, limit).map((match) =>
      accountAnswer(accountBrief(store, tenantId, findCompanyRow(store, tenantId, match.companyId), clock), match, today)),
    total_matched: matches.length, note: noteFor(matches.length, limit),
  };
}

export const insightHandlers = { getAccountInsights, queryAccountInsights };
