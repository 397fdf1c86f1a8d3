import { accountBrief } from '../domain/account-brief.ts';
import { param } from '../http/handler.ts';
import type { HandlerInput } from '../http/handler.ts';
import { findCompanyRow } from './companies.ts';

/** An account brief computed from the data: health, risks, wins, stakeholder changes, recent activity. */
function getAccountInsights(input: HandlerInput) {
  const { store, tenantId, clock } = input;
  const company = findCompanyRow(store, tenantId, param(input, 'companyId'));
  return accountBrief(store, tenantId, company, clock);
}

export const insightHandlers = { getAccountInsights };
