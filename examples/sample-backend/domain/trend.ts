/** A change of three points or more counts as movement; smaller changes are noise. */
export function trendOf(current: number, previous: number): 'up' | 'down' | 'flat' {
  if (current - previous >= 3) return 'up';
  if (previous - current >= 3) return 'down';
  return 'flat';
}

/** Percentage change rounded to one decimal, or null when there is no base to compare with. */
export function changePct(current: number, previous: number): number | null {
  if (previous === 0) return null;
  return Math.round(((current - previous) / previous) * 1000) / 10;
}
