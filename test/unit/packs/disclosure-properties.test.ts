import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { auditDisclosure } from '../../../functions/packs/disclosure-audit';
import { applyDisclosureControl } from '../../../functions/packs/disclosure-control';
import { DEFAULT_PACK_DISCLOSURE_POLICY as policy } from '../../../functions/packs/disclosure-policy';
import { ledgerEntryFor, type Ledger } from '../../../functions/packs/ledger';
import { PERSON_UNITS, type RawTable } from '../../../functions/packs/pack-model';

const period = { from: '2025-04-01', to: '2025-06-30' };

/** Counts as a programme of a few dozen people gives them: many small, some zero, a few large. */
const count = fc.oneof(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 }));

/**
 * A table of parts with a total row and a total column, and a second table that repeats the first
 * one's total row (the same refs), as a pack shows a programme figure in two places.
 */
const linkedTables = fc
  .record({
    rows: fc.integer({ min: 1, max: 3 }),
    columns: fc.integer({ min: 1, max: 3 }),
    seed: fc.array(count, { minLength: 9, maxLength: 9 }),
  })
  .map(({ rows, columns, seed }): RawTable[] => {
    const parts = Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => seed[r * 3 + c] ?? 0),
    );
    const withRowTotals = parts.map((row) => [...row, row.reduce((a, b) => a + b, 0)]);
    const totalRow = (withRowTotals[0] ?? []).map((_, c) =>
      withRowTotals.reduce((sum, row) => sum + (row[c] ?? 0), 0),
    );
    const grid = [...withRowTotals, totalRow];
    const rowIds = [...parts.map((_, r) => `r${r}`), 'all'];
    const columnIds = [...(parts[0] ?? []).map((_, c) => `c${c}`), 'total'];
    const main: RawTable = {
      id: 'main',
      title: 'Main',
      rowHeader: 'Group',
      rows: rowIds.map((id) => ({
        id,
        label: id,
        ...(id === 'all' ? { totalOf: rowIds.slice(0, -1) } : {}),
      })),
      columns: columnIds.map((id) => ({
        id,
        label: id,
        ...(id === 'total' ? { totalOf: columnIds.slice(0, -1) } : {}),
      })),
      cells: grid.map((row, r) =>
        row.map((value, c) => ({ value, unit: 'people', ref: `x.${rowIds[r]}.${columnIds[c]}` })),
      ),
    };
    const repeat: RawTable = {
      id: 'repeat',
      title: 'Programme',
      rowHeader: 'Group',
      rows: [{ id: 'all', label: 'All' }],
      columns: main.columns,
      cells: [totalRow.map((value, c) => ({ value, unit: 'people', ref: `x.all.${columnIds[c]}` }))],
    };
    return [main, repeat];
  });

/** The ledger of an earlier pack (another period) whose figures were these tables' shifted by `shifts`. */
function ledgerFor(tables: readonly RawTable[], shifts: readonly number[]): Ledger {
  let i = 0;
  const earlier = tables.map((table) => ({
    ...table,
    cells: table.cells.map((row) =>
      row.map((cell) => ({
        ...cell,
        value: Math.max(0, (cell.value ?? 0) + (shifts[i++ % shifts.length] ?? 0)),
      })),
    ),
  }));
  // A ref holds one figure: the repeated programme row takes the main table's.
  const main = earlier[0];
  if (main === undefined) return [];
  const published = applyDisclosureControl([main], policy, []);
  return [
    ledgerEntryFor(
      'pack-earlier',
      { from: '2025-01-01', to: '2025-03-31' },
      [main],
      published.tables,
      published.suppressed,
    ),
  ];
}

const shifts = fc.array(fc.integer({ min: -15, max: 15 }), { minLength: 1, maxLength: 16 });

describe('disclosure control over random tables with totals and random ledgers', () => {
  it('never shows a count of 1 to 9 people', () => {
    fc.assert(
      fc.property(linkedTables, shifts, (tables, s) => {
        const result = applyDisclosureControl(tables, policy, ledgerFor(tables, s), { period });
        for (const cell of result.tables.flatMap((t) => t.cells.flat())) {
          if (!PERSON_UNITS.includes(cell.unit) || cell.value === null) continue;
          expect(cell.value === 0 || cell.value >= 10).toBe(true);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('leaves every suppressed cell passing the attacker audit, run again on the published tables alone', () => {
    fc.assert(
      fc.property(linkedTables, shifts, (tables, s) => {
        const ledger = ledgerFor(tables, s);
        const result = applyDisclosureControl(tables, policy, ledger, { period });
        const audit = auditDisclosure(result.tables, ledger, policy, {
          suppressed: result.suppressed,
          period,
        });
        expect(result.audit.failures).toEqual([]);
        expect(audit.failures).toEqual([]);
        expect(audit.cellsChecked).toBe(
          result.tables.flatMap((t) => t.cells.flat()).filter((c) => c.symbol === '[c]').length,
        );
      }),
      { numRuns: 40 },
    );
  });

  it('never shows a figure whose difference from the ledger figure of its ref is 1 to 9 people', () => {
    fc.assert(
      fc.property(linkedTables, shifts, (tables, s) => {
        const ledger = ledgerFor(tables, s);
        const earlier = new Map(
          ledger
            .flatMap((e) => e.figures)
            .flatMap((f) => (f.value === null ? [] : [[f.ref, f.exact ?? f.value] as const])),
        );
        const result = applyDisclosureControl(tables, policy, ledger, { period });
        result.tables.forEach((table, t) => {
          table.cells.forEach((row, r) => {
            row.forEach((cell, c) => {
              const exact = tables[t]?.cells[r]?.[c]?.value;
              const before = cell.ref === undefined ? undefined : earlier.get(cell.ref);
              if (cell.value === null || exact == null || before === undefined) return;
              const difference = Math.abs(exact - before);
              expect(difference === 0 || difference >= 10).toBe(true);
            });
          });
        });
      }),
      { numRuns: 40 },
    );
  });
});
