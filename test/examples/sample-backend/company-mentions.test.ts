import { describe, expect, it } from 'vitest';
import { findCompanyMentions, nameAliases } from '../../../examples/sample-backend/domain/company-mentions.ts';
import { questionTopics } from '../../../examples/sample-backend/domain/question-topics.ts';

describe('nameAliases', () => {
  const cases = [
    { given: 'Acme Corp', want: ['acme corp', 'acme'] },
    { given: 'AcmeCo', want: ['acmeco'] },
    { given: 'Initech', want: ['initech'] },
    { given: 'Globex Corp.', want: ['globex corp.', 'globex'] },
    { given: 'Hooli, Inc.', want: ['hooli, inc.', 'hooli'] },
    { given: 'Acme Co., Inc.', want: ['acme co., inc.', 'acme'] },
    { given: 'Vandelay Industries LLC', want: ['vandelay industries llc', 'vandelay industries'] },
    { given: 'Summit  Works', want: ['summit works'] },
    { given: 'AB Ltd', want: ['ab ltd'] },
  ];
  for (const { given, want } of cases) {
    it(`${given} → ${want.join(' | ')}`, () => {
      expect(nameAliases(given)).toEqual(want);
    });
  }
});

describe('findCompanyMentions', () => {
  const companies = [
    { id: 'cmp_corp', name: 'Acme Corp' }, { id: 'cmp_co', name: 'AcmeCo' }, { id: 'cmp_works', name: 'Summit Works' },
    { id: 'cmp_labs', name: 'Summit Labs' }, { id: 'cmp_cpp', name: 'C++ Labs (EU)' }, { id: 'cmp_zurich', name: 'Zürich Re' },
  ];
  const cases = [
    { given: 'Prep me for my upcoming call with Acme Corp and summarize account health', want: [['cmp_corp', 'Acme Corp']] },
    { given: 'how is ACME CORP doing?', want: [['cmp_corp', 'ACME CORP']] },
    { given: 'anything new at acme?', want: [['cmp_corp', 'acme']] },
    { given: "Acme Corp's champion", want: [['cmp_corp', 'Acme Corp']] },
    { given: 'Acme   Corp renewal', want: [['cmp_corp', 'Acme   Corp']] },
    { given: 'AcmeCo versus Acme Corp', want: [['cmp_co', 'AcmeCo'], ['cmp_corp', 'Acme Corp']] },
    { given: 'acmeco only', want: [['cmp_co', 'acmeco']] },
    { given: 'Acmeville is not a customer', want: [] },
    { given: 'Summit Labs, then Summit Works', want: [['cmp_labs', 'Summit Labs'], ['cmp_works', 'Summit Works']] },
    { given: 'the summit next week', want: [] },
    { given: 'Acme Corp, and again Acme Corp', want: [['cmp_corp', 'Acme Corp']] },
    { given: 'risks at C++ Labs (EU)?', want: [['cmp_cpp', 'C++ Labs (EU)']] },
    { given: 'ZÜRICH RE renewal', want: [['cmp_zurich', 'ZÜRICH RE']] },
    { given: 'What is the weather like?', want: [] },
  ];
  for (const { given, want } of cases) {
    it(`given "${given}" finds ${want.length === 0 ? 'nothing' : want.map(([id]) => id).join(', ')}`, () => {
      expect(findCompanyMentions(given, companies).map((mention) => [mention.companyId, mention.text])).toEqual(want);
    });
  }

  it('lets the longer name claim its words: "Acme Corp" is not also a mention of a company named "Acme"', () => {
    const found = findCompanyMentions('call with Acme Corp', [{ id: 'cmp_acme', name: 'Acme' }, { id: 'cmp_corp', name: 'Acme Corp' }]);
    expect(found.map((mention) => mention.companyId)).toEqual(['cmp_corp']);
  });

  it('names every company that shares a short name', () => {
    const found = findCompanyMentions('how is Acme?', [{ id: 'cmp_b', name: 'Acme Ltd' }, { id: 'cmp_a', name: 'Acme Inc' }]);
    expect(found.map((mention) => mention.companyId)).toEqual(['cmp_a', 'cmp_b']);
  });
});

describe('questionTopics', () => {
  const cases = [
    { given: 'Prep me for my upcoming call with Acme Corp and summarize account health, recent risks, wins, and key stakeholder changes into a one-page brief.', want: ['health', 'risks', 'wins', 'stakeholders'] },
    { given: 'Prep me for my call with Acme Corp', want: ['health', 'risks', 'wins', 'stakeholders'] },
    { given: 'Is Acme Corp likely to churn?', want: ['risks'] },
    { given: "What's Acme Corp's health score?", want: ['health'] },
    { given: 'Any good news or expansion at AcmeCo?', want: ['wins'] },
    { given: 'Who is the champion at AcmeCo now?', want: ['stakeholders'] },
    { given: 'Customer success plan for AcmeCo', want: ['health', 'risks', 'wins', 'stakeholders'] },
    { given: 'Show me the window of the meeting', want: ['health', 'risks', 'wins', 'stakeholders'] },
  ];
  for (const { given, want } of cases) {
    it(`given "${given}" → ${want.join(', ')}`, () => {
      expect(questionTopics(given)).toEqual(want);
    });
  }
});
