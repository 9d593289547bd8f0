import { describe, expect, it } from 'vitest';
import { cellKey } from '../../../functions/packs/disclosure-audit';
import {
  applyDisclosureControl,
  DisclosureInputError,
  disclosureReportOf,
} from '../../../functions/packs/disclosure-control';
import {
  DEFAULT_PACK_DISCLOSURE_POLICY as policy,
  packDisclosurePolicySchema,
} from '../../../functions/packs/disclosure-policy';
import { ledgerEntryFor, type Ledger } from '../../../functions/packs/ledger';
import {
  disclosureReportSchema,
  packTableSchema,
  type CellUnit,
  type PackCell,
  type RawCell,
  type RawTable,
} from '../../../functions/packs/pack-model';

const people = (value: number, ref?: string): RawCell => ({ value, unit: 'people', ...(ref ? { ref } : {}) });

/** A table of one row per measure and one column per site, with a total column. */
function bySite(id: string, rows: Record<string, number[]>, unit: CellUnit = 'people'): RawTable {
  const entries = Object.entries(rows);
  return {
    id,
    title: id,
    rowHeader: 'Measure',
    rows: entries.map(([row]) => ({ id: row, label: row })),
    columns: [
      { id: 'a', label: 'Site A' },
      { id: 'b', label: 'Site B' },
      { id: 'c', label: 'Site C' },
      { id: 'total', label: 'Total', totalOf: ['a', 'b', 'c'] },
    ],
    cells: entries.map(([row, values]) => {
      const total = values.reduce((sum, v) => sum + v, 0);
      return [...values, total].map((value, c) => ({ value, unit, ref: `${id}.${row}.${c}` }));
    }),
  };
}

function single(id: string, cell: RawCell, row = 'figure', column = 'value'): RawTable {
  return {
    id,
    title: id,
    rowHeader: 'Measure',
    rows: [{ id: row, label: row }],
    columns: [{ id: column, label: column }],
    cells: [[cell]],
  };
}

const cellOf = (
  result: ReturnType<typeof applyDisclosureControl>,
  table: number,
  row: number,
  column: number,
) => result.tables[table]?.cells[row]?.[column] as PackCell;

describe('the pack disclosure policy', () => {
  it('has a version-1 default that its own schema accepts, and refuses unknown settings', () => {
    expect(packDisclosurePolicySchema.parse(policy)).toEqual(policy);
    expect(packDisclosurePolicySchema.safeParse({ ...policy, minimumCount: 3 }).success).toBe(false);
  });
});

describe('applyDisclosureControl: primary suppression and rounding', () => {
  it('hides counts of 1 to 9 people and staff as [c], shows zero, and rounds 10 and over to the nearest 5', () => {
    const table: RawTable = {
      id: 'counts',
      title: 'Counts',
      rowHeader: 'Measure',
      rows: [{ id: 'n', label: 'n' }],
      columns: ['one', 'nine', 'zero', 'ten', 'thirteen', 'staff'].map((id) => ({ id, label: id })),
      cells: [[people(1), people(9), people(0), people(10), people(13), { value: 4, unit: 'staff' }]],
    };

    const result = applyDisclosureControl([table], policy, []);

    expect(result.tables[0]?.cells[0]).toEqual([
      { value: null, symbol: '[c]', unit: 'people' },
      { value: null, symbol: '[c]', unit: 'people' },
      { value: 0, unit: 'people' },
      { value: 10, unit: 'people', rounded: true },
      { value: 15, unit: 'people', rounded: true },
      { value: null, symbol: '[c]', unit: 'staff' },
    ]);
    expect(result.suppressed.map((s) => [s.column, s.rule])).toEqual([
      ['one', 'primary'],
      ['nine', 'primary'],
      ['staff', 'primary'],
    ]);
  });

  it('rounds a total on its own rather than adding rounded parts', () => {
    const result = applyDisclosureControl([bySite('t', { n: [11, 12, 0] })], policy, []);

    expect(result.tables[0]?.cells[0]?.map((c) => c.value)).toEqual([10, 10, 0, 25]);
  });

  it('shows counts of appointments exactly: only counts of people are controlled', () => {
    const result = applyDisclosureControl([bySite('t', { booked: [3, 12, 7] }, 'appointments')], policy, []);

    expect(result.tables[0]?.cells[0]?.map((c) => c.value)).toEqual([3, 12, 7, 22]);
    expect(result.suppressed).toEqual([]);
  });

  it('shows a rate only over at least 10 people, as a whole percent', () => {
    const tables = [
      single('small', { value: 0.7026, unit: 'rate', base: 9 }),
      single('enough', { value: 0.7026, unit: 'rate', base: 10 }),
      single('unknown', { value: 50, unit: 'median' }),
    ];

    const result = applyDisclosureControl(tables, policy, []);

    expect(cellOf(result, 0, 0, 0)).toEqual({ value: null, symbol: '[x]', unit: 'rate' });
    expect(cellOf(result, 1, 0, 0)).toEqual({ value: 70, unit: 'rate', rounded: true });
    expect(cellOf(result, 2, 0, 0).symbol).toBe('[x]');
    expect(result.suppressed.map((s) => [s.table, s.rule])).toEqual([
      ['small', 'base-too-small'],
      ['unknown', 'base-too-small'],
    ]);
  });

  it('shows distance travelled only with at least 10 paired checks', () => {
    const tables = [
      single('nine', { value: 1.5, unit: 'median', base: 9, ref: 'capital.distance.housing' }),
      single('ten', { value: 1.5, unit: 'median', base: 10, ref: 'capital.distance.work' }),
    ];

    const result = applyDisclosureControl(tables, policy, []);

    expect(cellOf(result, 0, 0, 0).symbol).toBe('[x]');
    expect(result.suppressed[0]?.detail).toBe('computed over fewer than 10 paired checks');
    expect(cellOf(result, 1, 0, 0).value).toBe(1.5);
  });

  it('shows a staff mean over at least 5 respondents, at programme level only', () => {
    const tables = [
      single('programme', { value: 3.4, unit: 'mean', base: 6, ref: 'wellbeing.supported.mean' }),
      single('too-few', { value: 3.4, unit: 'mean', base: 4, ref: 'wellbeing.safety.mean' }),
      single('site', { value: 3.4, unit: 'mean', base: 12, ref: 'wellbeing.supported.mean.london' }),
    ];

    const result = applyDisclosureControl(tables, policy, []);

    expect(cellOf(result, 0, 0, 0).value).toBe(3.4);
    expect(cellOf(result, 1, 0, 0).symbol).toBe('[x]');
    expect(cellOf(result, 2, 0, 0).symbol).toBe('[c]');
    expect(result.suppressed.find((s) => s.table === 'site')?.detail).toMatch(/programme level only/);
  });

  it('never shows a minimum or maximum', () => {
    const result = applyDisclosureControl(
      [single('spread', { value: 7, unit: 'median', base: 40 }, 'capital.score-max')],
      policy,
      [],
    );

    expect(cellOf(result, 0, 0, 0).symbol).toBe('[x]');
  });
});

describe('applyDisclosureControl: secondary suppression', () => {
  it('hides a second cell of a sum with one [c], the smallest part rather than the total, and passes the audit', () => {
    const result = applyDisclosureControl([bySite('t', { referrals: [4, 30, 21] })], policy, []);

    expect(result.tables[0]?.cells[0]?.map((c) => c.symbol ?? c.value)).toEqual(['[c]', 30, '[c]', 55]);
    expect(result.suppressed.map((s) => [s.column, s.rule])).toEqual([
      ['a', 'primary'],
      ['c', 'secondary'],
    ]);
    expect(result.audit.passed).toBe(true);
  });

  it('protects [c] cells in a table with row and column totals so that the audit passes', () => {
    const table: RawTable = {
      ...bySite('grid', { women: [3, 14, 22], men: [11, 16, 5] }),
      rows: [
        { id: 'women', label: 'Women' },
        { id: 'men', label: 'Men' },
        { id: 'all', label: 'All', totalOf: ['women', 'men'] },
      ],
    };
    const raw = table.cells.map((row) => row.map((c) => c.value ?? 0));
    const totals = (raw[0] ?? []).map((v, i) => v + (raw[1]?.[i] ?? 0));
    const withTotals: RawTable = {
      ...table,
      cells: [...table.cells, totals.map((value, c) => ({ value, unit: 'people', ref: `grid.all.${c}` }))],
    };

    const result = applyDisclosureControl([withTotals], policy, []);

    expect(result.audit.passed).toBe(true);
    expect(result.suppressed.filter((s) => s.rule === 'secondary').length).toBeGreaterThanOrEqual(2);
    for (const s of result.suppressed) expect(s.feasible).toBeDefined();
    expect(packTableSchema.parse(result.tables[0])).toEqual(result.tables[0]);
  });

  it('hides a figure wherever its ref appears once it is hidden in one table', () => {
    const first = bySite('first', { referrals: [4, 30, 21] });
    const second = single('second', people(21, 'first.referrals.2'));

    const result = applyDisclosureControl([first, second], policy, []);

    expect(cellOf(result, 1, 0, 0).symbol).toBe('[c]');
    expect(result.suppressed.find((s) => s.table === 'second')?.detail).toBe(
      'the same figure is hidden in table first',
    );
  });

  it('refuses raw tables where one ref holds two different figures', () => {
    expect(() =>
      applyDisclosureControl([single('x', people(20, 'same')), single('y', people(25, 'same'))], policy, []),
    ).toThrow(DisclosureInputError);
  });
});

describe('applyDisclosureControl: rates of hidden counts', () => {
  const followUps: RawTable = {
    id: 'follow-ups',
    title: 'Follow-ups',
    rowHeader: 'Site',
    rows: [{ id: 'london', label: 'London' }],
    columns: [
      { id: 'due', label: 'Due', totalOf: ['on-time', 'late'] },
      { id: 'on-time', label: 'On time' },
      { id: 'late', label: 'Late' },
    ],
    cells: [[people(25, 'due'), people(7, 'on-time'), people(18, 'late')]],
  };
  const onTimeRate: RawCell = {
    value: 7 / 25,
    unit: 'rate',
    base: 25,
    rateOf: { numerator: ['on-time'], base: ['due'] },
  };

  it('hides a rate that would give away its hidden numerator, and then passes the audit', () => {
    const result = applyDisclosureControl([followUps, single('rates', onTimeRate)], policy, []);

    expect(cellOf(result, 0, 0, 1).symbol).toBe('[c]');
    expect(cellOf(result, 1, 0, 0)).toEqual({ value: null, symbol: '[c]', unit: 'rate' });
    expect(result.suppressed.find((s) => s.table === 'rates')).toMatchObject({
      rule: 'secondary',
      detail: 'hidden so that a hidden count cannot be worked out from this rate of it',
    });
    expect(result.audit.passed).toBe(true);
  });

  it('publishes a safe rate with the refs of what it divides, for an auditor', () => {
    const shown = { ...followUps, cells: [[people(45, 'due'), people(20, 'on-time'), people(25, 'late')]] };
    const rate: RawCell = { ...onTimeRate, value: 20 / 45, base: 45 };

    const result = applyDisclosureControl([shown, single('rates', rate)], policy, []);

    expect(cellOf(result, 1, 0, 0)).toEqual({
      value: 44,
      unit: 'rate',
      rounded: true,
      rateOf: { numerator: ['on-time'], base: ['due'] },
    });
    expect(result.audit.passed).toBe(true);
  });
});

describe('applyDisclosureControl: wording bands', () => {
  /** One theme's findings and, beside them, how many came from each respondent group (not a sum). */
  function themeByGroup(findings: number, groups: number[]): RawTable {
    const ids = groups.map((_, i) => `group:g${i}`);
    return {
      id: 'map',
      title: 'Evidence map',
      rowHeader: 'Theme',
      rows: [{ id: 'theme:t', label: 'Theme' }],
      columns: [{ id: 'findings', label: 'Findings' }, ...ids.map((id) => ({ id, label: id }))],
      cells: [
        [
          { value: findings, unit: 'findings', ref: 't.findings' },
          ...groups.map((value, i): RawCell => ({
            value,
            unit: 'findings',
            ref: `t.${ids[i] ?? ''}`,
            bandOf: 't.findings',
          })),
        ],
      ],
    };
  }

  it('words 1 to 9 findings of a group as their share of the theme, where the audit still leaves them 1 to 9', () => {
    const result = applyDisclosureControl([themeByGroup(40, [31, 4, 0, 5])], policy, []);

    expect(result.tables[0]?.cells[0]?.map((c) => c.band?.label ?? c.symbol ?? c.value)).toEqual([
      40,
      31,
      'a few',
      0,
      'a few',
    ]);
    expect(cellOf(result, 0, 0, 2)).toEqual({
      value: null,
      symbol: '[c]',
      unit: 'findings',
      ref: 't.group:g1',
      band: { label: 'a few', of: 't.findings', share: { min: 0, max: 0.25 } },
    });
    expect(result.suppressed.find((s) => s.column === 'group:g1')).toMatchObject({
      rule: 'primary',
      feasible: { min: 1, max: 9 },
    });
    expect(result.audit.passed).toBe(true);
  });

  it('takes the words back where they would narrow the count: "some" of 12 is 3 to 6', () => {
    const result = applyDisclosureControl([themeByGroup(12, [6, 6])], policy, []);

    expect(result.tables[0]?.cells[0]?.map((c) => c.band?.label ?? c.symbol ?? c.value)).toEqual([
      12,
      '[c]',
      '[c]',
    ]);
    expect(result.suppressed.map((s) => s.detail)).toEqual([
      '1 to 9 findings from one respondent group',
      '1 to 9 findings from one respondent group',
    ]);
    expect(result.audit.passed).toBe(true);
    expect(result.suppressed.map((s) => s.feasible)).toEqual([
      { min: 1, max: 9 },
      { min: 1, max: 9 },
    ]);
  });
});

describe('applyDisclosureControl: differencing against published packs', () => {
  const period = { from: '2025-01-01', to: '2025-03-31' };
  const earlier = (value: number): Ledger => {
    const raw = [single('t', people(value, 'capital.baselines.london'))];
    const published = applyDisclosureControl(raw, policy, []);
    return [ledgerEntryFor('pack-2025-q1', period, raw, published.tables, published.suppressed)];
  };

  it('hides a count that differs from the published figure of its ref by 1 to 9 people, naming the pack', () => {
    const result = applyDisclosureControl(
      [single('t', people(46, 'capital.baselines.london'))],
      policy,
      earlier(40),
    );

    expect(cellOf(result, 0, 0, 0).symbol).toBe('[c]');
    expect(result.suppressed[0]).toMatchObject({ rule: 'differencing', earlierPack: 'pack-2025-q1' });
  });

  it('shows a count that differs by 10 or more, or not at all', () => {
    const further = applyDisclosureControl(
      [single('t', people(50, 'capital.baselines.london'))],
      policy,
      earlier(40),
    );
    const same = applyDisclosureControl(
      [single('t', people(40, 'capital.baselines.london'))],
      policy,
      earlier(40),
    );

    expect(cellOf(further, 0, 0, 0).value).toBe(50);
    expect(cellOf(same, 0, 0, 0).value).toBe(40);
  });

  it('keeps the exact figure in the ledger, and the shown one as published', () => {
    const ledger = earlier(42);

    expect(ledger[0]?.figures).toEqual([
      { ref: 'capital.baselines.london', unit: 'people', value: 40, rounded: true, exact: 42 },
    ]);
  });
});

describe('disclosureReportOf', () => {
  it('gives a report the pack schema accepts, with the policy version and the audit', () => {
    const result = applyDisclosureControl([bySite('t', { referrals: [4, 30, 21] })], policy, []);

    const report = disclosureReportSchema.parse(disclosureReportOf(policy, result));

    expect(report).toMatchObject({
      policyVersion: 1,
      threshold: 10,
      audit: { passed: true, cellsChecked: 2 },
    });
    expect(report.suppressed.map((s) => cellKey(s.table, s.row, s.column))).toEqual([
      't/referrals/a',
      't/referrals/c',
    ]);
  });
});
