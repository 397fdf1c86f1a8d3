import type { HandlerTable } from '../http/handler.ts';
import { accountsAtRiskHandlers } from './accounts-at-risk.ts';
import { companyHandlers } from './companies.ts';
import { ctaTypeHandlers } from './cta-types.ts';
import { ctaHandlers } from './ctas.ts';
import { featureUsageHandlers } from './feature-usage.ts';
import { feedbackHandlers } from './feedback.ts';
import { insightHandlers } from './insights.ts';
import { loginActivityHandlers } from './login-activity.ts';
import { metadataHandlers } from './metadata.ts';
import { overviewHandlers } from './overview.ts';
import { queryHandlers } from './query.ts';
import { relationshipHandlers } from './relationships.ts';
import { renewalHandlers } from './renewals.ts';
import { revenueHandlers } from './revenue.ts';
import { scorecardHandlers } from './scorecards.ts';
import { successPlanHandlers } from './success-plans.ts';
import { taskHandlers } from './tasks.ts';
import { timelineHandlers } from './timeline.ts';
import { upsellHandlers } from './upsell.ts';
import { userHandlers } from './users.ts';
import { workflowHandlers } from './workflows.ts';

/** operationId → handler. app.ts pairs it with openapi.yaml and refuses to start if either side has extras. */
export const HANDLERS: HandlerTable = {
  ...companyHandlers, ...relationshipHandlers, ...userHandlers, ...ctaHandlers, ...ctaTypeHandlers, ...taskHandlers,
  ...successPlanHandlers, ...timelineHandlers, ...scorecardHandlers, ...featureUsageHandlers, ...loginActivityHandlers,
  ...revenueHandlers, ...renewalHandlers, ...accountsAtRiskHandlers, ...upsellHandlers, ...workflowHandlers,
  ...feedbackHandlers, ...overviewHandlers, ...insightHandlers, ...metadataHandlers, ...queryHandlers,
};
