import { describe, expect, it } from 'vitest';
import { composeEngagement } from '../../../functions/packs/compose-engagement';
import type { EvidenceEngagementReturn } from '../../../functions/packs/evidence';
import type { RawCell, RawTable } from '../../../functions/packs/pack-model';
import { engagementFiguresSchema, prepareEngagementReturn } from '../../../functions/engagement/engagement';

const cell = (table: RawTable | undefined, row: string, column: string): RawCell => {
  const r = table?.rows.findIndex((h) => h.id === row) ?? -1;
  const c = table?.columns.findIndex((h) => h.id === column) ?? -1;
  const found = table?.cells[r]?.[c];
  if (!found) throw new Error(`no cell ${row} × ${column} in ${table?.id ?? 'no table'}`);
  return found;
};
const tableOf = (tables: readonly RawTable[], id: string) => tables.find((t) => t.id === id);
const percent = (c: RawCell) => (c.value === null ? null : Math.round(c.value * 100));

/**
 * A provider's published year: 248 referrals; 1,456 booked; 1,023 attended (70%), 270 not
 * attended (19%), 163 cancelled (11%), as twelve monthly returns.
 */
function publishedYear(site: 'london' | 'north-east' = 'london'): EvidenceEngagementReturn[] {
  return Array.from({ length: 12 }, (_, i) => {
    const last = i === 11;
    const appointments = last
      ? { booked: 136, attended: 99, notAttended: 28, cancelled: 9 }
      : { booked: 120, attended: 84, notAttended: 22, cancelled: 14 };
    return {
      site,
      month: `2025-${String(i + 1).padStart(2, '0')}`,
      referralsReceived: last ? 28 : 20,
      initialAppointments: appointments,
      sessions: appointments,
      completions: 1,
      withdrawals: last ? 2 : 0,
    };
  });
}

describe('composeEngagement', () => {
  it('gives the published year as 70% attended, 19% not attended, 11% cancelled, for initial appointments and sessions', () => {
    const section = composeEngagement(publishedYear(), ['london']);
    const rates = tableOf(section.tables, 'engagement-rates');

    for (const group of ['initial', 'sessions']) {
      expect(percent(cell(rates, 'london', `${group}.attended`))).toBe(70);
      expect(percent(cell(rates, 'london', `${group}.not-attended`))).toBe(19);
      expect(percent(cell(rates, 'london', `${group}.cancelled`))).toBe(11);
      expect(cell(rates, 'london', `${group}.attended`)).toMatchObject({
        unit: 'rate',
        base: 1456,
        rateOf: {
          numerator: [`engagement.${group}.attended.london`],
          base: [`engagement.${group}.booked.london`],
        },
      });
      expect(cell(rates, 'london', `${group}.attended`).value).toBeCloseTo(1023 / 1456, 12);
    }
    const sessions = tableOf(section.tables, 'engagement-sessions');
    expect(cell(sessions, 'london', 'booked')).toEqual({
      value: 1456,
      unit: 'sessions',
      ref: 'engagement.sessions.booked.london',
    });
    expect(cell(sessions, 'london', 'not-recorded').value).toBe(0);
    expect(cell(tableOf(section.tables, 'engagement-referrals'), 'london', 'referrals')).toEqual({
      value: 248,
      unit: 'people',
      ref: 'engagement.referrals.london',
    });
  });

  it('names, for every rate, counts the section shows whose division gives it', () => {
    const section = composeEngagement(publishedYear(), ['london']);
    const counts = new Map(
      section.tables
        .flatMap((t) => t.cells.flat())
        .flatMap((c) => (c.ref ? [[c.ref, c.value ?? 0] as const] : [])),
    );
    const rates = tableOf(section.tables, 'engagement-rates')?.cells.flat() ?? [];

    expect(rates.length).toBe(12);
    for (const rate of rates) {
      const sum = (refs: readonly string[]) =>
        refs.reduce((n, ref) => n + (counts.get(ref) ?? Number.NaN), 0);
      expect(rate.rateOf).toBeDefined();
      expect(sum(rate.rateOf?.numerator ?? []) / sum(rate.rateOf?.base ?? [])).toBeCloseTo(
        rate.value ?? -1,
        12,
      );
    }
  });

  it('agrees with the rate the engagement return’s own receipt derives for the same year', () => {
    const year = publishedYear();
    const figures = engagementFiguresSchema.parse({
      referralsReceived: 248,
      initialAppointments: { booked: 1456, attended: 1023, notAttended: 270, cancelled: 163 },
      sessions: { booked: 1456, attended: 1023, notAttended: 270, cancelled: 163 },
      caseload: 40,
      completions: 12,
      withdrawals: 2,
    });
    const prepared = prepareEngagementReturn('london', '2025-12', figures, new Date('2026-01-10T00:00:00Z'));
    if (!prepared.ok) throw new Error('the published year is a valid return');
    const rates = tableOf(composeEngagement(year, ['london']).tables, 'engagement-rates');

    // The receipt gives the same three rates, for initial appointments and sessions.
    for (const [group, key] of [
      ['initial', 'initialAppointments'],
      ['sessions', 'sessions'],
    ] as const) {
      expect(prepared.rates[key]).toEqual({ attended: 70, notAttended: 19, cancelled: 11 });
      expect([
        prepared.rates[key]?.attended,
        prepared.rates[key]?.notAttended,
        prepared.rates[key]?.cancelled,
      ]).toEqual(
        ['attended', 'not-attended', 'cancelled'].map((o) => percent(cell(rates, 'london', `${group}.${o}`))),
      );
    }
  });

  it('sums sites into all sites, with booked the total of its outcomes and the unrecorded rest', () => {
    const returns: EvidenceEngagementReturn[] = [
      ...publishedYear('london'),
      {
        site: 'north-east',
        month: '2025-03',
        referralsReceived: 4,
        initialAppointments: { booked: 5, attended: 3, notAttended: 1, cancelled: 0 },
        sessions: { booked: 10, attended: 6, notAttended: 1, cancelled: 1 },
        completions: 0,
        withdrawals: 1,
      },
    ];
    const section = composeEngagement(returns, ['north-east', 'london']);
    const initial = tableOf(section.tables, 'engagement-initial');

    expect(initial?.rows.at(-1)).toEqual({
      id: 'all-sites',
      label: 'All sites',
      totalOf: ['north-east', 'london'],
    });
    expect(initial?.columns[0]?.totalOf).toEqual(['attended', 'not-attended', 'cancelled', 'not-recorded']);
    expect(cell(initial, 'north-east', 'not-recorded').value).toBe(1);
    expect(cell(initial, 'all-sites', 'booked')).toMatchObject({
      value: 1461,
      ref: 'engagement.initial.booked.all',
    });
    expect(cell(tableOf(section.tables, 'engagement-sessions'), 'all-sites', 'cancelled').value).toBe(164);
    // Every count row adds up along its totals.
    for (const table of section.tables.filter((t) => t.id !== 'engagement-rates')) {
      const total = table.cells.at(-1) ?? [];
      total.forEach((c, i) => {
        expect(c.value).toBe(table.cells.slice(0, -1).reduce((sum, row) => sum + (row[i]?.value ?? 0), 0));
      });
    }
  });

  it('shows a rate as not available when nothing was booked, and ignores returns of sites outside the pack', () => {
    const returns: EvidenceEngagementReturn[] = [
      ...publishedYear('london'),
      {
        site: 'north-east',
        month: '2025-03',
        referralsReceived: 0,
        initialAppointments: { booked: 0, attended: 0, notAttended: 0, cancelled: 0 },
        sessions: { booked: 0, attended: 0, notAttended: 0, cancelled: 0 },
        completions: 0,
        withdrawals: 0,
      },
    ];
    const section = composeEngagement(returns, ['north-east']);
    const rates = tableOf(section.tables, 'engagement-rates');

    expect(cell(rates, 'north-east', 'sessions.attended')).toEqual({
      value: null,
      unit: 'rate',
      symbol: '[x]',
      base: 0,
    });
    expect(cell(tableOf(section.tables, 'engagement-sessions'), 'all-sites', 'booked').value).toBe(0);
  });
});
