import { describe, expect, it } from 'vitest';
import { auditDisclosure } from '../../../functions/packs/disclosure-audit';
import { DEFAULT_PACK_DISCLOSURE_POLICY as policy } from '../../../functions/packs/disclosure-policy';
import type { Ledger } from '../../../functions/packs/ledger';
import type { PackCell, PackTable, Suppression } from '../../../functions/packs/pack-model';

const hidden: PackCell = { value: null, symbol: '[c]', unit: 'people' };
const exact = (value: number): PackCell => ({ value, unit: 'people' });
const rounded = (value: number): PackCell => ({ value, unit: 'people', rounded: true });

/** One row of sites with a total column: a, b, c and total = a + b + c. */
function siteRow(cells: PackCell[], id = 'referrals'): PackTable {
  return {
    id,
    title: 'Referrals by site',
    rowHeader: 'Measure',
    rows: [{ id: 'referrals', label: 'Referrals' }],
    columns: [
      { id: 'a', label: 'Site A' },
      { id: 'b', label: 'Site B' },
      { id: 'c', label: 'Site C' },
      { id: 'total', label: 'Total', totalOf: ['a', 'b', 'c'] },
    ],
    cells: [cells],
  };
}

const primary = (column: string, table = 'referrals'): Suppression => ({
  table,
  row: 'referrals',
  column,
  rule: 'primary',
  detail: '1 to 9 people',
});
const secondary = (column: string, table = 'referrals'): Suppression => ({
  ...primary(column, table),
  rule: 'secondary',
});

describe('auditDisclosure', () => {
  it('fails a single [c] in a row with its exact total shown, and finds its exact value', () => {
    const table = siteRow([hidden, exact(20), exact(30), exact(53)]);

    const audit = auditDisclosure([table], [], policy, { suppressed: [primary('a')] });

    expect(audit.passed).toBe(false);
    expect(audit.failures).toHaveLength(1);
    expect(audit.failures[0]?.feasible).toEqual({ min: 3, max: 3 });
  });

  it('fails a single [c] in a row with its rounded total when rounding leaves it too narrow', () => {
    // a = total - b - c lies in [63 - 22 - 32, 67 - 18 - 28] = [9, 21], so a is 9.
    const table = siteRow([hidden, rounded(20), rounded(30), rounded(65)]);

    const audit = auditDisclosure([table], [], policy, { suppressed: [primary('a')] });

    expect(audit.passed).toBe(false);
    expect(audit.suppressed[0]?.feasible).toEqual({ min: 9, max: 9 });
  });

  it('passes a single [c] whose rounded sums still leave at least 5 of 1 to 9 possible', () => {
    // a lies in [58 - 22 - 32, 62 - 18 - 28] = [4, 16], so a is 4 to 9.
    const table = siteRow([hidden, rounded(20), rounded(30), rounded(60)]);

    const audit = auditDisclosure([table], [], policy, { suppressed: [primary('a')] });

    expect(audit.passed).toBe(true);
    expect(audit.suppressed[0]?.feasible).toEqual({ min: 4, max: 9 });
  });

  it('passes two hidden parts and their hidden total, although each part must then be 1 to 8', () => {
    const table = siteRow([hidden, hidden, exact(0), hidden]);

    const audit = auditDisclosure([table], [], policy, {
      suppressed: [primary('a'), primary('b'), primary('total')],
    });

    expect(audit.suppressed.map((s) => s.feasible)).toEqual([
      { min: 1, max: 8 },
      { min: 1, max: 8 },
      { min: 2, max: 9 },
    ]);
    expect(audit.passed).toBe(true);
  });

  it('reports the range of a secondary [c] without requiring it wide: its figure could have been shown', () => {
    // a in 1..9, b is 0 or at least 10; a + b = 53 - 30 = 23 gives a in 1..9 and b in 14..22.
    const table = siteRow([hidden, hidden, exact(30), exact(53)]);

    const audit = auditDisclosure([table], [], policy, { suppressed: [primary('a'), secondary('b')] });

    expect(audit.suppressed.map((s) => s.feasible)).toEqual([
      { min: 1, max: 9 },
      { min: 14, max: 22 },
    ]);
    expect(audit.passed).toBe(true);
  });

  it('fails a differencing [c] when its difference from the earlier exact figure can be narrowed', () => {
    // b = 53 - 30 - a lies in 14..22; shown exactly before as 20, the difference lies in -6..2.
    const table = siteRow([hidden, { ...hidden, ref: 'ref.b' }, exact(30), exact(53)]);
    const ledger: Ledger = [
      {
        pack: 'pack-1',
        period: { from: '2025-01-01', to: '2025-03-31' },
        figures: [{ ref: 'ref.b', unit: 'people', value: 20 }],
      },
    ];
    const differencing: Suppression = { ...secondary('b'), rule: 'differencing', earlierPack: 'pack-1' };

    const audit = auditDisclosure([table], ledger, policy, { suppressed: [primary('a'), differencing] });

    expect(audit.failures.map((f) => [f.column, f.feasible])).toEqual([['b', { min: 14, max: 22 }]]);
  });

  it('knows a secondary [c] is 0 or at least 10, and so narrows a primary one beside it', () => {
    // a + b = 12: b cannot be 3 to 11 if it is 0 or at least 10, so a is 1 or 2.
    const table = siteRow([hidden, hidden, exact(0), exact(12)]);

    const audit = auditDisclosure([table], [], policy, { suppressed: [primary('a'), secondary('b')] });

    expect(audit.suppressed[0]?.feasible).toEqual({ min: 1, max: 2 });
    expect(audit.passed).toBe(false);
  });

  it('reports a hidden cell with no sum around it as unbounded when the reader only knows it was hidden to protect another', () => {
    const table = siteRow([exact(40), hidden, exact(30), hidden]);

    const audit = auditDisclosure([table], [], policy, { suppressed: [secondary('b'), secondary('total')] });

    expect(audit.passed).toBe(true);
    expect(audit.suppressed.map((s) => s.feasible?.max)).toEqual([null, null]);
  });

  it('treats cells with the same ref in two tables as one quantity', () => {
    const withRef = (cell: PackCell, ref: string): PackCell => ({ ...cell, ref });
    const first = siteRow(
      [withRef(hidden, 'ref.a'), withRef(hidden, 'ref.b'), exact(30), exact(60)],
      'first',
    );
    // The second table shows b, so the first's a = 60 - 30 - b is exact.
    const second: PackTable = {
      ...siteRow([exact(0), withRef(exact(25), 'ref.b'), exact(0), exact(25)], 'second'),
    };

    const audit = auditDisclosure([first, second], [], policy, {
      suppressed: [primary('a', 'first'), secondary('b', 'first')],
    });

    expect(audit.suppressed[0]?.feasible).toEqual({ min: 5, max: 5 });
    expect(audit.passed).toBe(false);
  });

  it('uses figures an earlier pack published for the same period and ref', () => {
    const table = siteRow([{ ...hidden, ref: 'ref.a' }, { ...hidden, ref: 'ref.b' }, exact(30), exact(60)]);
    const ledger: Ledger = [
      {
        pack: 'pack-1',
        period: { from: '2025-01-01', to: '2025-03-31' },
        figures: [{ ref: 'ref.b', unit: 'people', value: 25 }],
      },
    ];

    const samePeriod = auditDisclosure([table], ledger, policy, {
      suppressed: [primary('a'), secondary('b')],
      period: { from: '2025-01-01', to: '2025-03-31' },
    });
    const otherPeriod = auditDisclosure([table], ledger, policy, {
      suppressed: [primary('a'), secondary('b')],
      period: { from: '2025-01-01', to: '2025-06-30' },
    });

    expect(samePeriod.suppressed[0]?.feasible).toEqual({ min: 5, max: 5 });
    expect(samePeriod.passed).toBe(false);
    expect(otherPeriod.suppressed[0]?.feasible).toEqual({ min: 1, max: 9 });
  });

  it('reads an unreported [c] person count as 1 to 9', () => {
    const table = siteRow([hidden, exact(20), exact(30), exact(53)]);

    const audit = auditDisclosure([table], [], policy);

    expect(audit.failures[0]?.rule).toBe('primary');
    expect(audit.cellsChecked).toBe(1);
  });
});

/**
 * Follow-ups at one site: due = on time + late, with on time a primary [c] and late a secondary [c]
 * (so from the sum alone on time is still anything from 1 to 9), and a table of rates of them.
 */
function followUps(rates: PackCell[]): PackTable[] {
  const counts: PackTable = {
    id: 'follow-ups',
    title: 'Follow-ups',
    rowHeader: 'Site',
    rows: [{ id: 'london', label: 'London' }],
    columns: [
      { id: 'due', label: 'Due', totalOf: ['on-time', 'late'] },
      { id: 'on-time', label: 'On time' },
      { id: 'late', label: 'Late' },
    ],
    cells: [
      [
        { value: 25, unit: 'people', ref: 'due', rounded: true },
        { ...hidden, ref: 'on-time' },
        { ...hidden, ref: 'late' },
      ],
    ],
  };
  const shares: PackTable = {
    id: 'follow-up-rates',
    title: 'Follow-up rates',
    rowHeader: 'Site',
    rows: [{ id: 'london', label: 'London' }],
    columns: rates.map((_, i) => ({ id: `rate-${i}`, label: `Rate ${i}` })),
    cells: [rates],
  };
  return [counts, shares];
}
const followUpReport: Suppression[] = [
  { table: 'follow-ups', row: 'london', column: 'on-time', rule: 'primary', detail: '1 to 9 people' },
  { table: 'follow-ups', row: 'london', column: 'late', rule: 'secondary', detail: 'hidden' },
];
const rate = (value: number, numerator: string[]): PackCell => ({
  value,
  unit: 'rate',
  rounded: true,
  rateOf: { numerator, base: ['due'] },
});

describe('auditDisclosure of rates', () => {
  it('fails a [c] numerator that its rate, shown to 1% beside its base, gives away', () => {
    // Due is 23 to 27; only 7 of 25 is 27.5% to 28.5%.
    const audit = auditDisclosure(followUps([rate(28, ['on-time'])]), [], policy, {
      suppressed: followUpReport,
    });

    expect(audit.passed).toBe(false);
    expect(audit.failures.map((f) => [f.column, f.feasible])).toEqual([['on-time', { min: 7, max: 7 }]]);
  });

  it('leaves the same [c] wide without the rate', () => {
    const audit = auditDisclosure(followUps([]), [], policy, { suppressed: followUpReport });

    expect(audit.passed).toBe(true);
    expect(audit.suppressed.find((s) => s.column === 'on-time')?.feasible).toEqual({ min: 1, max: 9 });
  });

  it('passes a rate that tells nothing new: everyone due had a check, on time or late', () => {
    const audit = auditDisclosure(followUps([rate(100, ['on-time', 'late'])]), [], policy, {
      suppressed: followUpReport,
    });

    expect(audit.passed).toBe(true);
    expect(audit.suppressed.find((s) => s.column === 'on-time')?.feasible).toEqual({ min: 1, max: 9 });
  });

  it('models a rate shown to more decimals as a narrower interval', () => {
    // 28.0% of 23 to 27 to one decimal: 27.95% to 28.05% of 25 is 6.99 to 7.01.
    const audit = auditDisclosure(
      followUps([rate(28, ['on-time'])]),
      [],
      { ...policy, rateDecimals: 1 },
      { suppressed: followUpReport },
    );

    expect(audit.suppressed.find((s) => s.column === 'on-time')?.feasible).toEqual({ min: 7, max: 7 });
  });
});

describe('auditDisclosure of wording bands', () => {
  const theme = (
    findings: number,
    label: 'a few' | 'some' | 'most',
    min: number,
    max: number,
  ): PackTable => ({
    id: 'map',
    title: 'Evidence map',
    rowHeader: 'Theme',
    rows: [{ id: 'theme:t', label: 'Theme' }],
    columns: [
      { id: 'findings', label: 'Findings' },
      { id: 'group:g', label: 'From one group' },
    ],
    cells: [
      [
        { value: findings, unit: 'findings', ref: 't.findings' },
        {
          value: null,
          symbol: '[c]',
          unit: 'findings',
          ref: 't.g',
          band: { label, of: 't.findings', share: { min, max } },
        },
      ],
    ],
  });

  it('reads "most" of 12 findings as 6 to 9, too narrow for a hidden count', () => {
    const audit = auditDisclosure([theme(12, 'most', 0.5, 1)], [], policy);

    expect(audit.passed).toBe(false);
    expect(audit.failures[0]?.feasible).toEqual({ min: 6, max: 9 });
  });

  it('reads "a few" of 40 findings as anything from 1 to 9', () => {
    const audit = auditDisclosure([theme(40, 'a few', 0, 0.25)], [], policy);

    expect(audit.passed).toBe(true);
    expect(audit.suppressed[0]?.feasible).toEqual({ min: 1, max: 9 });
  });
});

describe('auditDisclosure on a pack-sized input', () => {
  /** 30 tables of 2 groups by 3 sites with row and column totals (360 cells), 15 with 4 hidden. */
  function packSized(): { tables: PackTable[]; suppressed: Suppression[] } {
    const suppressed: Suppression[] = [];
    const tables = Array.from({ length: 30 }, (_, t): PackTable => {
      const id = `table-${t}`;
      const hides = t < 15;
      const grid = [
        [hides ? 4 : 14, hides ? 23 : 25, 31],
        [hides ? 18 : 20, hides ? 6 : 16, 12 + t],
      ];
      const rows = [...grid, grid[0]?.map((v, c) => v + (grid[1]?.[c] ?? 0)) ?? []];
      const rules = new Map([
        ['0/0', 'primary'],
        ['0/1', 'secondary'],
        ['1/0', 'secondary'],
        ['1/1', 'primary'],
      ] as const);
      for (const [at, rule] of hides ? rules : []) {
        const [r, c] = at.split('/').map(Number);
        suppressed.push({
          ...primary(['a', 'b'][c ?? 0] ?? 'a', id),
          row: ['g0', 'g1'][r ?? 0] ?? 'g0',
          rule,
        });
      }
      return {
        id,
        title: id,
        rowHeader: 'Group',
        rows: [
          { id: 'g0', label: 'Group 0' },
          { id: 'g1', label: 'Group 1' },
          { id: 'all', label: 'All', totalOf: ['g0', 'g1'] },
        ],
        columns: [
          { id: 'a', label: 'A' },
          { id: 'b', label: 'B' },
          { id: 'c', label: 'C' },
          { id: 'total', label: 'Total', totalOf: ['a', 'b', 'c'] },
        ],
        cells: rows.map((row, r) =>
          [...row, row.reduce((x, y) => x + y, 0)].map((value, c) =>
            hides && r < 2 && c < 2 ? hidden : rounded(Math.round(value / 5) * 5),
          ),
        ),
      };
    });
    return { tables, suppressed };
  }

  // How long it takes is measured by `npm run bench:packs`, not here: a shared machine's timing
  // cannot be a test.
  it('checks 60 hidden cells among 360, and passes a protected rectangle', () => {
    const { tables, suppressed } = packSized();

    const audit = auditDisclosure(tables, [], policy, { suppressed });

    expect(audit.cellsChecked).toBe(60);
    expect(audit.suppressed.every((s) => s.feasible !== undefined)).toBe(true);
    expect(audit.passed).toBe(true);
  });
});
