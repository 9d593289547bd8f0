const DAY_MS = 86_400_000;

/** An ISO 8601 week: `label` like `2026-W48`, `monday` the date it starts on (YYYY-MM-DD, UTC). */
export interface IsoWeek {
  readonly label: string;
  readonly monday: string;
}

/**
 * The ISO week a moment falls in, in UTC.
 * @example isoWeekOf(new Date('2026-01-01T09:00:00Z')) // { label: '2026-W01', monday: '2025-12-29' }
 */
export function isoWeekOf(at: Date): IsoWeek {
  const day = Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
  const weekday = (new Date(day).getUTCDay() + 6) % 7; // Monday = 0
  const monday = day - weekday * DAY_MS;
  const thursday = monday + 3 * DAY_MS; // the week belongs to the year its Thursday is in
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { label: `${year}-W${String(week).padStart(2, '0')}`, monday: toIsoDate(new Date(monday)) };
}

export function toIsoDate(at: Date): string {
  return at.toISOString().slice(0, 10);
}

export function addDays(isoDate: string, days: number): string {
  return toIsoDate(new Date(Date.parse(`${isoDate}T00:00:00Z`) + days * DAY_MS));
}

const ukDateFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/**
 * The calendar date in the UK at a moment (YYYY-MM-DD): the sites are in the UK, so a check or an
 * interview at 00:30 BST is dated that day, although in UTC it is still the day before.
 *
 * @example ukDate(new Date('2025-07-01T23:30:00Z')) // '2025-07-02'
 */
export function ukDate(at: Date): string {
  const parts = ukDateFormat.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
