import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Pack, PackTable } from '../pack-model';
import {
  type NumberedTable,
  SYMBOL_MEANINGS,
  BAND_MEANINGS,
  bandsUsed,
  cellText,
  hasRoundedCells,
  numberTables,
  periodText,
  siteName,
  symbolsUsed,
  validPack,
  zipEntryTime,
} from './common';

/** Characters a spreadsheet reads as the start of a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One text field of a CSV file (RFC 4180). Text that a spreadsheet would run as a formula gets a
 * leading apostrophe; a field holding a comma, quote or line break is quoted with quotes doubled.
 */
export function csvText(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/**
 * A published figure. Numbers come from the pack's numeric values, never from text, so a negative
 * figure (a median change of -1) stays a plain number a spreadsheet can add up: it cannot carry a
 * formula, and escaping it would turn it into text.
 */
function csvCell(cell: Parameters<typeof cellText>[0]): string {
  return cell.value === null ? csvText(cellText(cell)) : cellText(cell);
}

function csvLines(lines: readonly (readonly string[])[]): string {
  return lines.map((fields) => `${fields.join(',')}\r\n`).join('');
}

/** A table as a CSV file: one header line (the row header, then each column), then one line per row. */
export function tableCsv(table: PackTable): string {
  const header = [csvText(table.rowHeader), ...table.columns.map((column) => csvText(column.label))];
  const body = table.rows.map((row, r) => [
    csvText(row.label),
    ...table.columns.map((_, c) => {
      const cell = table.cells[r]?.[c];
      return cell === undefined ? '' : csvCell(cell);
    }),
  ]);
  return csvLines([header, ...body]);
}

/** The file name of a table's CSV: its number (zero-padded so names sort in reading order) and id. */
export function tableFileName({ number, table }: NumberedTable): string {
  return `table-${String(number).padStart(2, '0')}-${table.id}.csv`;
}

const NOTES_FILE = 'notes.csv';

/** The notes file: what the pack is, the period, the symbols, the disclosure rules, then each table's file. */
function notesCsv(pack: Pack, tables: readonly NumberedTable[]): string {
  const lines: string[][] = [
    ['item', 'text'],
    ['title', pack.title],
    ['period', periodText(pack)],
    ['sites', pack.sites.map(siteName).join('; ')],
    ['version', String(pack.version)],
  ];
  if (pack.changes !== undefined) lines.push(['changes', pack.changes]);
  for (const symbol of symbolsUsed(pack)) lines.push([`symbol ${symbol}`, SYMBOL_MEANINGS[symbol]]);
  for (const band of bandsUsed(pack)) lines.push([`words ${band}`, BAND_MEANINGS[band]]);
  lines.push([
    'disclosure',
    `Policy version ${pack.disclosure.policyVersion}; groups smaller than ${pack.disclosure.threshold} are not shown.`,
  ]);
  for (const rule of pack.disclosure.rules) lines.push(['disclosure rule', rule]);
  for (const numbered of tables) {
    const { number, table } = numbered;
    const file = tableFileName(numbered);
    lines.push([file, `Table ${number}: ${table.title}`]);
    if (table.description !== undefined) lines.push([file, table.description]);
    if (hasRoundedCells(table))
      lines.push([file, 'Some figures are rounded; rows and columns may not add up.']);
    for (const note of table.notes ?? []) lines.push([file, note]);
  }
  return csvLines(lines.map((fields) => fields.map(csvText)));
}

/**
 * The pack as a zip of CSV files: one file per table and a notes file, in UTF-8 with CRLF line
 * ends, entries sorted by name, each with the same fixed time, so a rebuild gives the same bytes.
 */
export function renderPackCsvZip(pack: Pack): Uint8Array {
  const valid = validPack(pack);
  const tables = numberTables(valid);
  const entries = new Map<string, string>([[NOTES_FILE, notesCsv(valid, tables)]]);
  for (const numbered of tables) entries.set(tableFileName(numbered), tableCsv(numbered.table));
  const mtime = zipEntryTime(valid);
  const files: Zippable = {};
  for (const name of [...entries.keys()].sort()) files[name] = [strToU8(entries.get(name) ?? ''), { mtime }];
  return zipSync(files, { level: 9 });
}
