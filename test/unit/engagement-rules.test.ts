import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkEngagementFigures,
  checkEngagementMonth,
  type EngagementFigures,
  engagementRates,
  prepareEngagementReturn,
} from '../../functions/engagement/engagement';
import { engagementFigures } from '../support/engagement';

const NOW = new Date('2026-11-23T10:00:00Z');

const honest = (): EngagementFigures => engagementFigures();

const pointers = (figures: EngagementFigures) => checkEngagementFigures(figures).map((p) => p.pointer);

/** Splits `booked` into attended, not attended, cancelled and not yet recorded, in any proportion. */
const appointments = fc
  .tuple(fc.nat(2000), fc.nat(2000), fc.nat(2000), fc.nat(2000))
  .map(([attended, notAttended, cancelled, unrecorded]) => ({
    booked: attended + notAttended + cancelled + unrecorded,
    attended,
    notAttended,
    cancelled,
  }));

type Outcome = 'attended' | 'notAttended' | 'cancelled' | 'unrecorded';

/**
 * One case's month as it really happened: referred this month or before, open at the end of it,
 * completed or withdrawn during it, or closed in an earlier month (it can still have had an
 * appointment this month, booked before it closed, which was then cancelled).
 */
const caseMonth = fc
  .record({
    referredThisMonth: fc.boolean(),
    end: fc.constantFrom('open', 'completed', 'withdrawn', 'closed-earlier'),
    initial: fc.array(fc.constantFrom<Outcome>('attended', 'notAttended', 'cancelled', 'unrecorded'), {
      maxLength: 4,
    }),
    sessions: fc.array(fc.constantFrom<Outcome>('attended', 'notAttended', 'cancelled', 'unrecorded'), {
      maxLength: 8,
    }),
  })
  .map((c) =>
    c.end === 'closed-earlier'
      ? {
          ...c,
          referredThisMonth: false,
          initial: c.initial.map((): Outcome => 'cancelled'),
          sessions: c.sessions.map((): Outcome => 'cancelled'),
        }
      : c,
  );

/** A site's month of honest figures, counted from the cases behind them. */
const honestMonth = fc.array(caseMonth, { maxLength: 30 }).map((cases): EngagementFigures => {
  const tally = (outcomes: Outcome[]) => ({
    booked: outcomes.length,
    attended: outcomes.filter((o) => o === 'attended').length,
    notAttended: outcomes.filter((o) => o === 'notAttended').length,
    cancelled: outcomes.filter((o) => o === 'cancelled').length,
  });
  return {
    referralsReceived: cases.filter((c) => c.referredThisMonth).length,
    initialAppointments: tally(cases.flatMap((c) => c.initial)),
    sessions: tally(cases.flatMap((c) => c.sessions)),
    caseload: cases.filter((c) => c.end === 'open').length,
    completions: cases.filter((c) => c.end === 'completed').length,
    withdrawals: cases.filter((c) => c.end === 'withdrawn').length,
  };
});

describe('checkEngagementFigures', () => {
  it('accepts an ordinary month', () => {
    expect(checkEngagementFigures(honest())).toEqual([]);
  });

  it('accepts any return whose booked appointments are split into attended, not attended, cancelled and unrecorded', () => {
    fc.assert(
      fc.property(
        appointments,
        appointments,
        fc.nat(5000),
        fc.nat(5000),
        fc.nat(5000),
        fc.nat(5000),
        (initialAppointments, sessions, referralsReceived, caseload, completions, withdrawals) => {
          // Someone attended means someone was on the books: an honest return always has one.
          const onBooks =
            initialAppointments.attended + sessions.attended > 0 ? Math.max(caseload, 1) : caseload;
          const figures = {
            referralsReceived,
            initialAppointments,
            sessions,
            caseload: onBooks,
            completions,
            withdrawals,
          };
          expect(checkEngagementFigures(figures)).toEqual([]);
        },
      ),
    );
  });

  it('accepts every return counted from real cases, rebookings, DNAs and closures included', () => {
    fc.assert(
      fc.property(honestMonth, (figures) => {
        expect(checkEngagementFigures(figures)).toEqual([]);
      }),
    );
  });

  it('accepts one person booked three times for an initial appointment and then closed', () => {
    const figures: EngagementFigures = {
      referralsReceived: 1,
      initialAppointments: { booked: 3, attended: 0, notAttended: 2, cancelled: 1 },
      sessions: { booked: 0, attended: 0, notAttended: 0, cancelled: 0 },
      caseload: 0,
      completions: 0,
      withdrawals: 1,
    };
    expect(checkEngagementFigures(figures)).toEqual([]);
  });

  it('accepts appointments cancelled for a case closed last month, with no one on the books', () => {
    const figures: EngagementFigures = {
      referralsReceived: 0,
      initialAppointments: { booked: 1, attended: 0, notAttended: 0, cancelled: 1 },
      sessions: { booked: 2, attended: 0, notAttended: 0, cancelled: 2 },
      caseload: 0,
      completions: 0,
      withdrawals: 0,
    };
    expect(checkEngagementFigures(figures)).toEqual([]);
  });

  it.each(['initialAppointments', 'sessions'] as const)(
    'points at %s.booked when its outcomes add up to more than were booked',
    (group) => {
      const figures = honest();
      figures[group] = { booked: 3, attended: 2, notAttended: 1, cancelled: 1 };
      const problems = checkEngagementFigures(figures);
      expect(problems.map((p) => p.pointer)).toEqual([`/body/${group}/booked`]);
      expect(problems[0]?.detail).toContain(`${group}.attended + ${group}.notAttended + ${group}.cancelled`);
      expect(problems[0]?.detail).toContain('= 4');
    },
  );

  it('reports a booked smaller than its outcomes whatever the split, and nothing else', () => {
    const overBooked = fc
      .tuple(fc.nat(2000), fc.nat(2000), fc.nat(2000))
      .filter(([a, n, c]) => a + n + c > 0)
      .chain(([attended, notAttended, cancelled]) =>
        fc.nat(attended + notAttended + cancelled - 1).map((booked) => ({
          booked,
          attended,
          notAttended,
          cancelled,
        })),
      );
    fc.assert(
      fc.property(overBooked, (sessions) => {
        expect(pointers({ ...honest(), sessions })).toEqual(['/body/sessions/booked']);
      }),
    );
  });

  it('points at caseload when appointments were attended but no one was on the books', () => {
    const figures: EngagementFigures = {
      referralsReceived: 0,
      initialAppointments: { booked: 0, attended: 0, notAttended: 0, cancelled: 0 },
      sessions: { booked: 4, attended: 3, notAttended: 0, cancelled: 0 },
      caseload: 0,
      completions: 0,
      withdrawals: 0,
    };
    const problems = checkEngagementFigures(figures);
    expect(problems.map((p) => p.pointer)).toEqual(['/body/caseload']);
    expect(problems[0]?.detail).toMatch(/referralsReceived.*completions.*withdrawals/);
  });

  it('reports every broken rule at once, under the prefix it is given', () => {
    const figures: EngagementFigures = {
      referralsReceived: 0,
      initialAppointments: { booked: 0, attended: 1, notAttended: 0, cancelled: 0 },
      sessions: { booked: 0, attended: 1, notAttended: 0, cancelled: 0 },
      caseload: 0,
      completions: 0,
      withdrawals: 0,
    };
    expect(checkEngagementFigures(figures, '/rows/7').map((p) => p.pointer)).toEqual([
      '/rows/7/initialAppointments/booked',
      '/rows/7/sessions/booked',
      '/rows/7/caseload',
    ]);
  });
});

describe('checkEngagementMonth', () => {
  it.each(['2024-01', '2025-03', '2026-10', '2026-11'])('accepts %s', (month) => {
    expect(checkEngagementMonth(month, NOW)).toEqual([]);
  });

  it.each([
    ['2026-12', 'future'],
    ['2027-01', 'future'],
    ['2023-12', '2024-01 or later'],
    ['2026-13', 'YYYY-MM'],
    ['2026-1', 'YYYY-MM'],
    ['next month', 'YYYY-MM'],
  ])('refuses %s at the month pointer', (month, why) => {
    const problems = checkEngagementMonth(month, NOW);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.pointer).toBe('/path/month');
    expect(problems[0]?.detail).toContain(why);
  });

  it('accepts the current month in UTC on its first moment and refuses the next', () => {
    const firstMoment = new Date('2026-12-01T00:00:00Z');
    expect(checkEngagementMonth('2026-12', firstMoment)).toEqual([]);
    expect(checkEngagementMonth('2027-01', firstMoment)).toHaveLength(1);
  });
});

describe('engagementRates', () => {
  it('is attended, not attended and cancelled over booked, each in whole percent', () => {
    const figures = honest();
    figures.sessions = { booked: 3, attended: 2, notAttended: 0, cancelled: 0 };
    expect(engagementRates(figures)).toEqual({
      initialAppointments: { attended: 67, notAttended: 17, cancelled: 17 },
      sessions: { attended: 67, notAttended: 0, cancelled: 0 },
    });
  });

  it('gives a provider’s published year as 70%, 19% and 11%, as a learning pack does', () => {
    const figures = honest();
    figures.initialAppointments = { booked: 1456, attended: 1023, notAttended: 270, cancelled: 163 };
    expect(engagementRates(figures).initialAppointments).toEqual({
      attended: 70,
      notAttended: 19,
      cancelled: 11,
    });
  });

  it('is null when nothing was booked', () => {
    const figures = honest();
    figures.initialAppointments = { booked: 0, attended: 0, notAttended: 0, cancelled: 0 };
    expect(engagementRates(figures).initialAppointments).toBeNull();
  });

  it('is always between 0 and 100 for a consistent return', () => {
    fc.assert(
      fc.property(honestMonth, (figures) => {
        for (const rates of Object.values(engagementRates(figures))) {
          for (const rate of Object.values(rates ?? {})) expect(rate >= 0 && rate <= 100).toBe(true);
        }
      }),
    );
  });
});

describe('prepareEngagementReturn', () => {
  it('builds the stored return and its rates from a good one', () => {
    const prepared = prepareEngagementReturn('london', '2025-01', honest(), NOW);
    expect(prepared).toEqual({
      ok: true,
      record: { ...honest(), site: 'london', month: '2025-01', submittedAt: NOW.toISOString() },
      rates: {
        initialAppointments: { attended: 67, notAttended: 17, cancelled: 17 },
        sessions: { attended: 75, notAttended: 15, cancelled: 5 },
      },
    });
  });

  it('parses strictly and names each bad field under the pointers it is given', () => {
    const row = { ...honest(), caseload: -1, sessions: { ...honest().sessions, booked: '20' }, extra: 1 };
    const prepared = prepareEngagementReturn('london', '2031-01', row, NOW, {
      month: '/rows/2/month',
      figures: '/rows/2',
    });
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    expect(prepared.problems.map((p) => p.pointer).sort()).toEqual(
      ['/rows/2/month', '/rows/2/caseload', '/rows/2/sessions/booked', '/rows/2/extra'].sort(),
    );
  });

  it('checks the consistency rules once the shape is right', () => {
    const figures = { ...honest(), sessions: { booked: 1, attended: 2, notAttended: 0, cancelled: 0 } };
    const prepared = prepareEngagementReturn('north-east', '2025-02', figures, NOW);
    expect(prepared).toMatchObject({ ok: false, problems: [{ pointer: '/body/sessions/booked' }] });
  });

  it('refuses counts that are not whole numbers or are over 10000', () => {
    const prepared = prepareEngagementReturn(
      'london',
      '2025-02',
      { ...honest(), referralsReceived: 2.5, completions: 10_001 },
      NOW,
    );
    expect(prepared.ok ? [] : prepared.problems.map((p) => p.pointer).sort()).toEqual([
      '/body/completions',
      '/body/referralsReceived',
    ]);
  });
});
