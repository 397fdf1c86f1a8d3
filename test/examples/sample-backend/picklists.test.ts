import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { picklistValues } from '../../../examples/sample-backend/domain/picklists.ts';

const schemas = parse(readFileSync(new URL('../../../examples/sample-backend/openapi.yaml', import.meta.url), 'utf8')).components.schemas;

describe('picklists served by getPicklist match the enums in openapi.yaml', () => {
  const cases = [
    { schema: 'CompanyStatus', picklist: 'company_status' },
    { schema: 'CompanyStage', picklist: 'company_stage' },
    { schema: 'Industry', picklist: 'industry' },
    { schema: 'Plan', picklist: 'plan' },
    { schema: 'Region', picklist: 'region' },
    { schema: 'HealthBand', picklist: 'health_band' },
    { schema: 'Priority', picklist: 'priority' },
    { schema: 'RelationshipRole', picklist: 'relationship_role' },
    { schema: 'RelationshipStatus', picklist: 'relationship_status' },
    { schema: 'UserRole', picklist: 'user_role' },
    { schema: 'CtaState', picklist: 'cta_state' },
    { schema: 'TaskStatus', picklist: 'task_status' },
    { schema: 'SuccessPlanStatus', picklist: 'success_plan_status' },
    { schema: 'PaymentStatus', picklist: 'payment_status' },
    { schema: 'Survey', picklist: 'survey' },
  ];
  for (const { schema, picklist } of cases) {
    it(`${schema} = ${picklist}`, () => {
      expect(schemas[schema].enum).toEqual(picklistValues(picklist));
    });
  }
});
