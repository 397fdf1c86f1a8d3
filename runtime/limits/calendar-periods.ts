/** A quota period: its key suffix and when it ends (ms since the epoch). */
export interface Period {
  readonly id: string;
  readonly startsAt: number;
  readonly endsAt: number;
}

/** The UTC calendar day containing `now`, e.g. `2026-03-31`. */
export function dayOf(now: number): Period {
  const date = new Date(now);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  return { id: new Date(start).toISOString().slice(0, 10), startsAt: start, endsAt: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1) };
}

/** The UTC calendar month containing `now`, e.g. `2026-03`. */
export function monthOf(now: number): Period {
  const date = new Date(now);
  const start = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  return { id: new Date(start).toISOString().slice(0, 7), startsAt: start, endsAt: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1) };
}

/** Remembers the current period until it ends, so a call costs one comparison, not a date computation. */
export function currentPeriod(periodOf: (now: number) => Period): (now: number) => Period {
  let period = periodOf(Date.now());
  return (now) => {
    if (now >= period.endsAt || now < period.startsAt) period = periodOf(now);
    return period;
  };
}
