/** Which parts of an account brief a question asks about, by keywords. */

export type QuestionTopic = 'health' | 'risks' | 'wins' | 'stakeholders';

// Whole words (with their usual endings). Bare "success" is left out on purpose: "customer
// success" is in half the questions this backend gets and says nothing about wins.
const KEYWORDS: ReadonlyArray<readonly [QuestionTopic, RegExp]> = [
  ['health', /\b(?:health\w*|scores?|scorecards?|pulse|status|sentiment|trend(?:s|ing)?)\b/iu],
  ['risks', /\b(?:risks?|risky|at[- ]risk|churn\w*|concerns?|issues?|problems?|threats?|red flags?|warnings?|escalat\w*|declin\w*|drops?|dropping|worr\w*|blockers?)\b/iu],
  ['wins', /\b(?:wins?|won|winning|successes|successful|positives?|good news|highlights?|expan\w*|upsells?|growth|growing|promoters?|achievements?|milestones?|renewed)\b/iu],
  ['stakeholders', /\b(?:stakeholders?|champions?|contacts?|people|sponsors?|decision[- ]makers?|executives?|relationships?|key users?|personnel|org(?:anization)? changes?|who)\b/iu],
];

const ALL: readonly QuestionTopic[] = KEYWORDS.map(([topic]) => topic);

/** The topics a question names, in a fixed order; all of them when it names none ("Prep me for Acme"). */
export function questionTopics(question: string): QuestionTopic[] {
  const found = KEYWORDS.filter(([, pattern]) => pattern.test(question)).map(([topic]) => topic);
  return found.length === 0 ? [...ALL] : found;
}
