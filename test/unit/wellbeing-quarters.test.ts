import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isoWeekOf } from '../../shared/domain/iso-week';
import {
  currentQuarter,
  previousQuarter,
  quarterOfWeek,
  weeksOfQuarter,
} from '../../functions/wellbeing/quarters';

describe('calendar quarters of ISO weeks', () => {
  it.each([
    ['2026-06-29', '2026-Q3'], // Thursday 2 July
    ['2026-09-21', '2026-Q3'],
    ['2026-09-28', '2026-Q4'], // Thursday 1 October, although Monday to Wednesday are in September
    ['2025-12-29', '2026-Q1'], // 2026-W01
    ['2020-12-28', '2020-Q4'], // 2020-W53
  ])('puts the week of Monday %s in %s, by its Thursday', (monday, quarter) => {
    expect(quarterOfWeek(monday)).toBe(quarter);
  });

  it.each([
    ['2026-Q3', '2026-06-29', '2026-09-21', '2026-09-27'],
    ['2026-Q4', '2026-09-28', '2026-12-28', '2027-01-03'],
    ['2025-Q3', '2025-06-30', '2025-09-22', '2025-09-28'],
  ])('gives %s the weeks from %s (last Monday %s) to %s', (period, from, lastMonday, to) => {
    expect(weeksOfQuarter(period)).toEqual({ period, from, lastMonday, to });
  });

  it('steps back across a year', () => {
    expect(previousQuarter('2026-Q1')).toBe('2025-Q4');
    expect(previousQuarter('2026-Q3')).toBe('2026-Q2');
  });

  it('takes the current quarter from the current week, so Q4 2026 runs until Sunday 3 January 2027', () => {
    expect(currentQuarter(new Date('2027-01-03T23:59:59Z'))).toBe('2026-Q4');
    expect(currentQuarter(new Date('2027-01-04T00:00:00Z'))).toBe('2027-Q1');
  });

  it('puts every ISO week in exactly one quarter, and quarters meet without gap or overlap', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (at) => {
          const { monday } = isoWeekOf(at);
          const period = quarterOfWeek(monday);
          const weeks = weeksOfQuarter(period);
          expect(weeks.from <= monday && monday <= weeks.lastMonday).toBe(true);
          expect(addDays(weeksOfQuarter(previousQuarter(period)).to, 1)).toBe(weeks.from);
          expect(quarterOfWeek(addDays(weeks.from, -7))).toBe(previousQuarter(period));
          expect(quarterOfWeek(weeks.lastMonday)).toBe(period);
        },
      ),
    );
  });
});
