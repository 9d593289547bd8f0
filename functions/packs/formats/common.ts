import type { BandLabel, CellSymbol, Pack, PackCell, PackSection, PackTable } from '../pack-model';
import { SITES } from '../../../shared/domain/sites';
import { COUNT_UNITS, packSchema } from '../pack-model';

/** What each symbol means, worded as the Analysis Function words them. */
export const SYMBOL_MEANINGS: Readonly<Record<CellSymbol, string>> = {
  '[c]': 'confidential: not shown so that nobody can be identified',
  '[x]': 'not available: no data, or too few people to compute it',
  '[z]': 'not applicable',
};

/** What each wording band means, for a table's notes and the pack's notes. */
export const BAND_MEANINGS: Readonly<Record<BandLabel, string>> = {
  'a few':
    "a few: under a quarter of the theme's findings (and fewer than 10), where the count is confidential",
  some: "some: a quarter to a half of the theme's findings (and fewer than 10), where the count is confidential",
  most: "most: over half of the theme's findings (and fewer than 10), where the count is confidential",
};

/** Wording bands used anywhere in the pack's tables, in the order of {@link BAND_MEANINGS}. */
export function bandsUsed(pack: Pack): BandLabel[] {
  const used = new Set<BandLabel>();
  for (const section of pack.sections)
    for (const table of section.tables)
      for (const row of table.cells) for (const cell of row) if (cell.band) used.add(cell.band.label);
  return (Object.keys(BAND_MEANINGS) as BandLabel[]).filter((band) => used.has(band));
}

/** A published table with its place in the pack: numbered in reading order, "Table 1" onwards. */
export interface NumberedTable {
  readonly number: number;
  readonly section: PackSection;
  readonly table: PackTable;
}

/**
 * The pack's tables in reading order, each with its number. Table ids name files and sheets, so a
 * pack with two tables of the same id is refused rather than published with one overwriting the other.
 */
export function numberTables(pack: Pack): NumberedTable[] {
  const seen = new Set<string>();
  const tables: NumberedTable[] = [];
  for (const section of pack.sections) {
    for (const table of section.tables) {
      if (seen.has(table.id)) throw new DuplicateTableIdError(table.id);
      seen.add(table.id);
      tables.push({ number: tables.length + 1, section, table });
    }
  }
  return tables;
}

export class DuplicateTableIdError extends Error {
  constructor(tableId: string) {
    super(`The pack has two tables with the id ${tableId}`);
    this.name = 'DuplicateTableIdError';
  }
}

/** Checks the pack against its schema before any format is written: a format never publishes a malformed pack. */
export function validPack(pack: Pack): Pack {
  return packSchema.parse(pack);
}

/** The value as plain text: the shortest decimal that reads back as the same number (`1456`, `-0.5`). */
export function plainNumber(value: number): string {
  return Object.is(value, -0) ? '0' : String(value);
}

/** The text a reader sees for a cell when no formatting is wanted: the number, its wording band, or its symbol. */
export function cellText(cell: PackCell): string {
  if (cell.value === null) return cell.band?.label ?? cell.symbol ?? '[x]';
  return plainNumber(cell.value);
}

/** Symbols used anywhere in the pack's tables, in the order of {@link SYMBOL_MEANINGS}. */
export function symbolsUsed(pack: Pack): CellSymbol[] {
  const used = new Set<CellSymbol>();
  for (const section of pack.sections)
    for (const table of section.tables)
      for (const row of table.cells)
        for (const cell of row) if (cell.value === null) used.add(cell.symbol ?? '[x]');
  return (Object.keys(SYMBOL_MEANINGS) as CellSymbol[]).filter((symbol) => used.has(symbol));
}

/** "1 January 2026 to 30 June 2026", independent of the machine's locale and time zone. */
export function periodText(pack: Pack): string {
  return `${longDate(pack.period.from)} to ${longDate(pack.period.to)}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function longDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  return `${day ?? ''} ${MONTHS[(month ?? 1) - 1] ?? ''} ${year ?? ''}`;
}

/**
 * A fixed zip entry time: noon on the last day of the pack's period. fflate turns a Date into the
 * zip's DOS date with the local-time getters, so the Date is built from local-time parts: the entry
 * then holds the same date and time whatever the TZ of the machine (noon, because a few zones skip
 * midnight when the clocks change).
 */
export function zipEntryTime(pack: Pack): Date {
  const [year, month, day] = pack.period.to.split('-').map(Number);
  return new Date(year ?? 1980, (month ?? 1) - 1, day ?? 1, 12, 0, 0);
}

/** Rounded counts need saying once per table that holds them: its rows and columns may not add up. */
export function hasRoundedCells(table: PackTable): boolean {
  return table.cells.some((row) =>
    row.some((cell) => cell.rounded === true && COUNT_UNITS.includes(cell.unit)),
  );
}

/** A site's name as readers know it ("North East"), or its id if it is not one of the programme's sites. */
export function siteName(id: string): string {
  return SITES.find((site) => site.id === id)?.name ?? id;
}
