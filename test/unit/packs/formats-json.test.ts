import canonicalize from 'canonicalize';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { renderPackJson } from '../../../functions/packs/formats/json';
import type { Pack } from '../../../functions/packs/pack-model';
import { samplePack } from '../../fixtures/sample-pack';

/**
 * An auditor's re-addition, working from the JSON text alone (no project types or schemas): for
 * every row or column marked `totalOf`, the parts must be able to add up to the total. A published,
 * unrounded figure is exact; a rounded count is anywhere within 2 of itself (the pack's rules say
 * counts of people are rounded to the nearest 5); a `[c]` is any count from 0 up; `[z]` (not
 * applicable) takes no part. Returns the sums it checked and those that cannot add up.
 */
function auditSums(json: string): { checked: number; impossible: string[] } {
  interface Cell {
    value: number | null;
    symbol?: string;
    rounded?: boolean;
  }
  interface Header {
    id: string;
    totalOf?: string[];
  }
  interface Table {
    id: string;
    rows: Header[];
    columns: Header[];
    cells: Cell[][];
  }
  const pack = JSON.parse(json) as { sections: { tables: Table[] }[] };
  const range = (cell: Cell): [number, number] | undefined => {
    if (cell.symbol === '[z]') return undefined;
    if (cell.value === null) return [0, Infinity];
    return cell.rounded === true ? [Math.max(0, cell.value - 2), cell.value + 2] : [cell.value, cell.value];
  };
  let checked = 0;
  const impossible: string[] = [];
  const check = (where: string, total: Cell, parts: Cell[]): void => {
    const totalRange = range(total);
    const partRanges = parts.map(range);
    if (totalRange === undefined || partRanges.some((r) => r === undefined)) return;
    const low = partRanges.reduce((sum, r) => sum + (r?.[0] ?? 0), 0);
    const high = partRanges.reduce((sum, r) => sum + (r?.[1] ?? 0), 0);
    checked += 1;
    if (high < totalRange[0] || low > totalRange[1]) impossible.push(where);
  };
  for (const table of pack.sections.flatMap((section) => section.tables)) {
    const rowIndex = new Map(table.rows.map((row, r) => [row.id, r]));
    const columnIndex = new Map(table.columns.map((column, c) => [column.id, c]));
    const cell = (r: number | undefined, c: number | undefined): Cell => {
      const found = table.cells[r ?? -1]?.[c ?? -1];
      if (found === undefined) throw new Error(`${table.id} has no cell ${r}, ${c}`);
      return found;
    };
    table.rows.forEach((row, r) => {
      if (row.totalOf === undefined) return;
      table.columns.forEach((column, c) => {
        check(
          `${table.id} ${row.id} × ${column.id}`,
          cell(r, c),
          (row.totalOf ?? []).map((part) => cell(rowIndex.get(part), c)),
        );
      });
    });
    table.columns.forEach((column, c) => {
      if (column.totalOf === undefined) return;
      table.rows.forEach((row, r) => {
        check(
          `${table.id} ${row.id} × ${column.id}`,
          cell(r, c),
          (column.totalOf ?? []).map((part) => cell(r, columnIndex.get(part))),
        );
      });
    });
  }
  return { checked, impossible };
}

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

/** The same pack with every object's keys in reverse order. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, inner]) => [key, reversedKeys(inner)]),
  );
}

describe('the pack as JSON', () => {
  it('lets an auditor re-add every total of every table from the JSON alone', () => {
    const { checked, impossible } = auditSums(decode(renderPackJson(samplePack)));

    expect(impossible).toEqual([]);
    // Each cell of a total row or column, per table with totals, less the one [z]: 8 + 2 + 3 + 8 + 7.
    expect(checked).toBe(28);
  });

  it('shows the auditor a total that its parts cannot add up to', () => {
    const json = JSON.parse(decode(renderPackJson(samplePack))) as Pack;
    const appointments = json.sections[4]?.tables[0];
    if (appointments?.cells[1]?.[0] === undefined) throw new Error('fixture changed');
    appointments.cells[1][0] = { ...appointments.cells[1][0], value: 366 };

    const { impossible } = auditSums(JSON.stringify(json));

    expect(impossible).toEqual([
      'engagement-initial-appointments booked × yorkshire-humber',
      'engagement-initial-appointments attended × programme',
    ]);
  });

  it('is canonical: keys sorted, no whitespace, the same bytes whatever order the pack was built in', () => {
    const text = decode(renderPackJson(samplePack));

    expect(text).toBe(canonicalize(JSON.parse(text)));
    expect(text.startsWith('{"changes":')).toBe(true);
    expect(renderPackJson(reversedKeys(samplePack) as Pack)).toEqual(renderPackJson(samplePack));
  });

  it('holds every figure with its unit, symbol, rounding and ref', () => {
    const json = JSON.parse(decode(renderPackJson(samplePack))) as Pack;

    expect(json).toEqual(samplePack);
  });

  it('refuses a pack that does not match the published schema', () => {
    const broken = { ...samplePack, sites: [] } as Pack;

    expect(() => renderPackJson(broken)).toThrow(ZodError);
  });
});
