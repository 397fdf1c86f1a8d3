import { InvalidFieldError } from '../errors.ts';

/** Accepts `YYYY-MM-DD` or an ISO date-time and returns an ISO date-time usable in text comparisons. */
export function parseSince(text: string, field: string): string {
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const time = Date.parse(dateOnly ? `${text}T00:00:00.000Z` : text);
  if (Number.isNaN(time) || (!dateOnly && !/^\d{4}-\d{2}-\d{2}T/.test(text))) {
    throw new InvalidFieldError(field, `query parameter '${field}' must be a date (YYYY-MM-DD) or an ISO 8601 date-time`);
  }
  return new Date(time).toISOString();
}
