import { addDays, isoWeekOf } from '../../shared/domain/iso-week';

/** A calendar quarter such as `2026-Q3`, of this century (the calendar arithmetic is UTC dates from 2000). */
export const QUARTER_PATTERN = /^20\d{2}-Q[1-4]$/;

/**
 * The ISO weeks of a calendar quarter: `from` is the Monday of its first week, `to` the Sunday of its
 * last. A week belongs to the quarter that holds its Thursday (the ISO rule that puts a week in a
 * year), so every week is in exactly one quarter and consecutive quarters meet without a gap.
 */
export interface QuarterWeeks {
  readonly period: string;
  readonly from: string;
  readonly lastMonday: string;
  readonly to: string;
}

/**
 * The quarter a week belongs to, from its Monday (YYYY-MM-DD).
 * @example quarterOfWeek('2026-09-28') // '2026-Q4': its Thursday is 1 October
 */
export function quarterOfWeek(monday: string): string {
  const thursday = addDays(monday, 3);
  const month = Number(thursday.slice(5, 7));
  return `${thursday.slice(0, 4)}-Q${Math.ceil(month / 3)}`;
}

/** The quarter the current ISO week (UTC) belongs to: the one still being filled. */
export function currentQuarter(at: Date): string {
  return quarterOfWeek(isoWeekOf(at).monday);
}

/** The quarter before `period`. @example previousQuarter('2026-Q1') // '2025-Q4' */
export function previousQuarter(period: string): string {
  const { year, quarter } = parseQuarter(period);
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

/** The weeks of a quarter. @example weeksOfQuarter('2026-Q3') // 2026-06-29 to 2026-09-27 */
export function weeksOfQuarter(period: string): QuarterWeeks {
  const { year, quarter } = parseQuarter(period);
  const firstDay = `${year}-${String(quarter * 3 - 2).padStart(2, '0')}-01`;
  const nextFirstDay =
    quarter === 4 ? `${year + 1}-01-01` : `${year}-${String(quarter * 3 + 1).padStart(2, '0')}-01`;
  // The first week is the one whose Thursday is on or after the first day; the next quarter's first
  // week starts the Monday after this quarter's last.
  const from = firstMondayFrom(firstDay);
  const to = addDays(firstMondayFrom(nextFirstDay), -1);
  return { period, from, lastMonday: addDays(to, -6), to };
}

/** The Monday of the first week whose Thursday falls on or after `day`. */
function firstMondayFrom(day: string): string {
  const monday = isoWeekOf(new Date(`${day}T00:00:00Z`)).monday;
  return addDays(monday, 3) >= day ? monday : addDays(monday, 7);
}

function parseQuarter(period: string): { year: number; quarter: number } {
  // Years from 1000: Date.UTC reads a year from 0 to 99 as 1900 to 1999.
  if (!/^[1-9]\d{3}-Q[1-4]$/.test(period)) throw new RangeError(`not a quarter: ${period}`);
  return { year: Number(period.slice(0, 4)), quarter: Number(period.slice(6)) };
}
