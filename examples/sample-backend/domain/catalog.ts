/** Per-tenant configuration the seed writes into every tenant (CTA types, templates, workflows, …). */

export const TENANTS = [
  { id: 'acme', name: 'Acme Customer Success', showcase: ['AcmeCo', 'Acme Corp'] },
  { id: 'globex', name: 'Globex Success Team', showcase: ['Globex Corp'] },
  { id: 'initech', name: 'Initech CS', showcase: ['Initech'] },
] as const;

export const COMPANIES_PER_TENANT = 220;

/** A custom field definition, shared by company custom fields and timeline activity types. */
export interface CustomFieldDefinition {
  name: string;
  label: string;
  type: 'string' | 'number' | 'integer' | 'boolean' | 'date' | 'picklist';
  required: boolean;
  options: string[] | null;
}

function field(
  name: string, label: string, type: CustomFieldDefinition['type'], required = false, options: string[] | null = null,
): CustomFieldDefinition {
  return { name, label, type, required, options };
}

export const COMPANY_CUSTOM_FIELDS: readonly CustomFieldDefinition[] = [
  field('segment', 'Segment', 'picklist', false, ['smb', 'mid_market', 'enterprise']),
  field('contract_type', 'Contract type', 'picklist', false, ['monthly', 'annual', 'multi_year']),
  field('onboarding_complete', 'Onboarding complete', 'boolean'),
  field('success_goals', 'Success goals', 'string'),
];

export interface CtaStatusConfig { id: string; name: string; isClosed: boolean; requiresComments: boolean }
export const CTA_STATUSES: readonly CtaStatusConfig[] = [
  { id: 'new', name: 'New', isClosed: false, requiresComments: false },
  { id: 'work_in_progress', name: 'Work in progress', isClosed: false, requiresComments: false },
  { id: 'escalated', name: 'Escalated', isClosed: false, requiresComments: false },
  { id: 'on_hold', name: 'On hold', isClosed: false, requiresComments: false },
  { id: 'closed_success', name: 'Closed success', isClosed: true, requiresComments: false },
  { id: 'closed_lost', name: 'Closed lost', isClosed: true, requiresComments: true },
];

export interface CtaTypeConfig {
  id: string;
  name: string;
  description: string;
  defaultPriority: string;
  requiredFields: string[];
  statuses: string[];
  reasons: ReadonlyArray<readonly [string, string]>;
}

export const CTA_TYPES: readonly CtaTypeConfig[] = [
  {
    id: 'risk', name: 'Risk', description: 'Something threatens the renewal or the relationship.',
    defaultPriority: 'high', requiredFields: ['reason_id'],
    statuses: ['new', 'work_in_progress', 'escalated', 'closed_success', 'closed_lost'],
    reasons: [['low_usage', 'Low product usage'], ['champion_left', 'Champion left'], ['budget_cuts', 'Budget cuts'],
      ['support_escalation', 'Support escalation'], ['competitive_threat', 'Competitive threat'], ['payment_issue', 'Payment issue']],
  },
  {
    id: 'expansion', name: 'Expansion', description: 'An opportunity to grow the account.',
    defaultPriority: 'medium', requiredFields: [],
    statuses: ['new', 'work_in_progress', 'on_hold', 'closed_success', 'closed_lost'],
    reasons: [['upsell', 'Upsell opportunity'], ['cross_sell', 'Cross-sell'], ['seat_growth', 'Seat growth']],
  },
  {
    id: 'renewal', name: 'Renewal', description: 'Prepare and close an upcoming renewal.',
    defaultPriority: 'high', requiredFields: [],
    statuses: ['new', 'work_in_progress', 'escalated', 'closed_success', 'closed_lost'],
    reasons: [['renewal_90', 'Renewal in 90 days'], ['renewal_30', 'Renewal in 30 days']],
  },
  {
    id: 'lifecycle', name: 'Lifecycle', description: 'Planned lifecycle touchpoints (onboarding, QBRs).',
    defaultPriority: 'medium', requiredFields: [],
    statuses: ['new', 'work_in_progress', 'on_hold', 'closed_success'],
    reasons: [['kickoff', 'Kickoff'], ['qbr', 'Quarterly business review'], ['adoption_milestone', 'Adoption milestone']],
  },
  {
    id: 'pir', name: 'Post-incident review', description: 'Follow up with the customer after a production incident.',
    defaultPriority: 'critical', requiredFields: ['reason_id', 'comments'],
    statuses: ['new', 'work_in_progress', 'closed_success'],
    reasons: [['outage', 'Outage'], ['data_issue', 'Data issue'], ['performance', 'Performance degradation']],
  },
];

export interface ActivityTypeConfig {
  id: string;
  name: string;
  description: string;
  customFields: readonly CustomFieldDefinition[];
}

export const ACTIVITY_TYPES: readonly ActivityTypeConfig[] = [
  {
    id: 'call', name: 'Call', description: 'A phone or video call.',
    customFields: [field('call_outcome', 'Outcome', 'picklist', true, ['connected', 'voicemail', 'no_answer']),
      field('duration_minutes', 'Duration (minutes)', 'integer')],
  },
  {
    id: 'meeting', name: 'Meeting', description: 'A scheduled meeting with the customer.',
    customFields: [field('meeting_type', 'Meeting type', 'picklist', true, ['kickoff', 'qbr', 'check_in', 'escalation', 'training']),
      field('attendees_count', 'Attendees', 'integer'), field('next_steps', 'Next steps', 'string')],
  },
  {
    id: 'email', name: 'Email', description: 'An email exchanged with the customer.',
    customFields: [field('direction', 'Direction', 'picklist', true, ['inbound', 'outbound'])],
  },
  {
    id: 'update', name: 'Update', description: 'An internal note or account update.',
    customFields: [field('sentiment', 'Sentiment', 'picklist', false, ['positive', 'neutral', 'negative'])],
  },
  {
    id: 'milestone', name: 'Milestone', description: 'A customer milestone was reached.',
    customFields: [field('milestone_name', 'Milestone', 'string', true), field('achieved_on', 'Achieved on', 'date')],
  },
  {
    id: 'escalation', name: 'Support escalation', description: 'A support ticket was escalated.',
    customFields: [field('severity', 'Severity', 'picklist', true, ['sev1', 'sev2', 'sev3']),
      field('ticket_id', 'Ticket id', 'string', true), field('customer_impacting', 'Customer impacting', 'boolean')],
  },
];

export interface TemplateConfig {
  id: string;
  name: string;
  planType: string;
  description: string;
  durationDays: number;
  objectives: ReadonlyArray<{ name: string; dueOffsetDays: number; tasks: ReadonlyArray<{ name: string; dueOffsetDays: number }> }>;
}

export const SUCCESS_PLAN_TEMPLATES: readonly TemplateConfig[] = [
  {
    id: 'onboarding_90_day', name: '90-day onboarding', planType: 'onboarding', durationDays: 90,
    description: 'Take a new customer from kickoff to first value in 90 days.',
    objectives: [
      { name: 'Kickoff complete', dueOffsetDays: 14, tasks: [{ name: 'Schedule the kickoff call', dueOffsetDays: 3 }, { name: 'Agree success criteria', dueOffsetDays: 10 }] },
      { name: 'Technical setup', dueOffsetDays: 45, tasks: [{ name: 'Configure SSO', dueOffsetDays: 21 }, { name: 'Connect the main integrations', dueOffsetDays: 35 }] },
      { name: 'First value delivered', dueOffsetDays: 90, tasks: [{ name: 'Train the admins', dueOffsetDays: 60 }, { name: 'Launch to the first team', dueOffsetDays: 80 }] },
    ],
  },
  {
    id: 'adoption_acceleration', name: 'Adoption acceleration', planType: 'adoption', durationDays: 60,
    description: 'Lift usage of under-adopted features across the account.',
    objectives: [
      { name: 'Find the adoption gaps', dueOffsetDays: 14, tasks: [{ name: 'Review feature usage with the champion', dueOffsetDays: 7 }] },
      { name: 'Enable the users', dueOffsetDays: 45, tasks: [{ name: 'Run a training session', dueOffsetDays: 30 }, { name: 'Share best-practice guides', dueOffsetDays: 35 }] },
      { name: 'Measure the lift', dueOffsetDays: 60, tasks: [{ name: 'Compare usage before and after', dueOffsetDays: 60 }] },
    ],
  },
  {
    id: 'renewal_readiness', name: 'Renewal readiness', planType: 'renewal', durationDays: 90,
    description: 'Make sure the renewal is secured well before the date.',
    objectives: [
      { name: 'Confirm value delivered', dueOffsetDays: 30, tasks: [{ name: 'Prepare the value summary', dueOffsetDays: 20 }, { name: 'Hold the executive business review', dueOffsetDays: 30 }] },
      { name: 'Commercials agreed', dueOffsetDays: 75, tasks: [{ name: 'Send the renewal quote', dueOffsetDays: 50 }, { name: 'Resolve procurement questions', dueOffsetDays: 70 }] },
      { name: 'Renewal signed', dueOffsetDays: 90, tasks: [{ name: 'Collect the signature', dueOffsetDays: 90 }] },
    ],
  },
  {
    id: 'risk_mitigation', name: 'Risk mitigation', planType: 'risk', durationDays: 45,
    description: 'A focused plan to turn an at-risk account around.',
    objectives: [
      { name: 'Understand the risk', dueOffsetDays: 7, tasks: [{ name: 'Interview the champion', dueOffsetDays: 5 }] },
      { name: 'Execute the recovery', dueOffsetDays: 30, tasks: [{ name: 'Agree a recovery plan with the sponsor', dueOffsetDays: 14 }, { name: 'Weekly check-ins', dueOffsetDays: 30 }] },
      { name: 'Confirm the recovery', dueOffsetDays: 45, tasks: [{ name: 'Review health with the customer', dueOffsetDays: 45 }] },
    ],
  },
];

export const FEATURES = [
  ['dashboards', 'Dashboards', 'analytics'],
  ['reports', 'Scheduled reports', 'analytics'],
  ['automations', 'Automations', 'workflow'],
  ['integrations', 'Integrations', 'platform'],
  ['mobile_app', 'Mobile app', 'platform'],
  ['ai_assistant', 'AI assistant', 'ai'],
  ['api_access', 'API access', 'platform'],
  ['approvals', 'Approvals', 'workflow'],
] as const;

export const SCORECARD_MEASURES = [
  ['product_usage', 'Product usage', 'Breadth and depth of product usage.', 30],
  ['engagement', 'Engagement', 'Meetings, logins and responsiveness of key contacts.', 20],
  ['support', 'Support', 'Ticket volume and escalations.', 15],
  ['nps', 'NPS', 'Latest survey sentiment.', 15],
  ['financial', 'Financial', 'Payment history and contract health.', 20],
] as const;

export const WORKFLOWS = [
  ['wf_renewal_reminder_30d', 'Renewal Reminder — 30 day', 'Emails the account owner 30 days before the renewal date.', 'renewal', false, true],
  ['wf_onboarding_kickoff', 'Onboarding Kickoff', 'Sends the kickoff pack and booking link to a contact.', 'onboarding', true, true],
  ['wf_win_back', 'Win-back Campaign', 'Starts a three-step win-back sequence for a churned or dormant account.', 'retention', false, true],
  ['wf_nps_survey', 'NPS Survey Send', 'Sends the NPS survey to one contact.', 'feedback', true, true],
  ['wf_qbr_scheduler', 'QBR Scheduler', 'Proposes quarterly business review slots to the account owner.', 'engagement', false, true],
  ['wf_payment_recovery', 'Failed Payment Recovery', 'Notifies billing contacts and retries the failed invoice.', 'billing', false, true],
  ['wf_trial_nurture_legacy', 'Trial Nurture (legacy)', 'Retired trial nurture sequence; kept for history.', 'onboarding', false, false],
] as const;
