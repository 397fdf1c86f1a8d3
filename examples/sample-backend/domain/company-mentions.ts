/** Finding which companies a free-text question names ("Prep me for my call with Acme Corp"). */

export interface NamedCompany { id: string; name: string }

export interface CompanyMention {
  companyId: string;
  /** The words of the question that named the company, as written. */
  text: string;
  /** Where they start in the question. */
  index: number;
}

// Legal-form suffixes people leave out when they name a company ("Acme" for "Acme Corp").
const LEGAL_SUFFIX = /[\s,]+(?:inc|incorporated|corp|corporation|co|company|ltd|limited|llc|plc|gmbh)\.?$/iu;
// A shorter remainder ("AB" of "AB Ltd") would match ordinary words.
const MIN_ALIAS_LENGTH = 3;

function normalise(text: string): string {
  return text.trim().replace(/\s+/gu, ' ').toLowerCase();
}

/** The name itself and, when it ends in legal-form suffixes, the name without them; lower-case. */
export function nameAliases(name: string): string[] {
  const full = normalise(name);
  const aliases = [full];
  let short = full;
  while (LEGAL_SUFFIX.test(short)) short = short.replace(LEGAL_SUFFIX, '');
  if (short !== full && short.length >= MIN_ALIAS_LENGTH) aliases.push(short);
  return aliases.filter((alias) => alias !== '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** Whole words only ("Acme" is not in "AcmeCo"), any run of spaces between words, any case. */
function aliasPattern(alias: string): RegExp {
  const words = alias.split(' ').map(escapeRegExp).join('\\s+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${words}(?![\\p{L}\\p{N}])`, 'giu');
}

/**
 * The companies a question names, in the order it names them. Longer names are matched first and
 * claim their words, so "Acme Corp" is one mention of Acme Corp rather than also a mention of a
 * company called "Acme". A name shared by several companies names them all.
 */
export function findCompanyMentions(question: string, companies: readonly NamedCompany[]): CompanyMention[] {
  const byAlias = new Map<string, string[]>();
  for (const company of companies) {
    for (const alias of nameAliases(company.name)) {
      const ids = byAlias.get(alias) ?? [];
      if (!ids.includes(company.id)) ids.push(company.id);
      byAlias.set(alias, ids);
    }
  }
  const aliases = [...byAlias.keys()].sort((a, b) => b.length - a.length || a.localeCompare(b));
  const claimed: Array<[number, number]> = [];
  const overlaps = (start: number, end: number) => claimed.some(([from, to]) => start < to && from < end);
  const mentions = new Map<string, CompanyMention>();
  const lowered = question.toLowerCase();
  for (const alias of aliases) {
    // Cheap pre-check: most of a tenant's names are not in the question at all.
    if (!lowered.includes(alias.split(' ')[0] ?? alias)) continue;
    for (const match of question.matchAll(aliasPattern(alias))) {
      const start = match.index;
      const end = start + match[0].length;
      if (overlaps(start, end)) continue;
      claimed.push([start, end]);
      for (const companyId of byAlias.get(alias) ?? []) {
        const known = mentions.get(companyId);
        if (known === undefined || start < known.index) mentions.set(companyId, { companyId, text: match[0], index: start });
      }
    }
  }
  return [...mentions.values()].sort((a, b) => a.index - b.index || a.companyId.localeCompare(b.companyId));
}
