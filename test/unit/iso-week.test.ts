import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, isoWeekOf } from '../../shared/domain/iso-week';

describe('isoWeekOf', () => {
  it.each([
    ['2026-11-23T09:00:00Z', '2026-W48', '2026-11-23'],
    ['2026-01-01T12:00:00Z', '2026-W01', '2025-12-29'],
    ['2021-01-03T23:59:59Z', '2020-W53', '2020-12-28'],
    ['2024-12-30T00:00:00Z', '2025-W01', '2024-12-30'],
    ['2027-01-03T10:00:00Z', '2026-W53', '2026-12-28'],
  ])('puts %s in %s starting %s', (at, label, monday) => {
    expect(isoWeekOf(new Date(at))).toEqual({ label, monday });
  });

  it('always starts the week on a Monday no later than the day, within 7 days', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }),
        (at) => {
          const { monday } = isoWeekOf(at);
          const day = at.toISOString().slice(0, 10);
          expect(new Date(`${monday}T00:00:00Z`).getUTCDay()).toBe(1);
          expect(monday <= day).toBe(true);
          expect(addDays(monday, 7) > day).toBe(true);
        },
      ),
    );
  });
});
