const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** `YYYY-MM-DD` in UTC. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

export function isoDateTime(date: Date): string {
  return date.toISOString();
}

export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}

/** Whole days from `from` to `to` (negative when `to` is earlier), both taken at UTC midnight. */
export function daysBetween(from: Date, to: Date): number {
  return Math.round((startOfUtcDay(to).getTime() - startOfUtcDay(from).getTime()) / DAY_MS);
}

export function parseIsoDate(text: string): Date {
  return new Date(`${text}T00:00:00.000Z`);
}

/** The backend's clock: the seed's reference date, advancing in real time from start-up. */
export interface Clock {
  now(): Date;
  today(): Date;
}

export function createClock(reference: Date): Clock {
  const startedAt = performance.now();
  const now = () => new Date(reference.getTime() + Math.floor(performance.now() - startedAt));
  return { now, today: () => startOfUtcDay(now()) };
}
