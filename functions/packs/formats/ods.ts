import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Pack, PackCell } from '../pack-model';
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

/**
 * The pack as an OpenDocument spreadsheet (ODF 1.3), laid out as the Analysis Function asks: a
 * cover sheet, a contents sheet, a notes sheet, then one table per sheet with its title in A1, no
 * merged cells, figures as numeric cells and symbols as text.
 */

const MIMETYPE = 'application/vnd.oasis.opendocument.spreadsheet';

const NS = [
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"',
  'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"',
  'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"',
  'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"',
  'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"',
  'xmlns:xlink="http://www.w3.org/1999/xlink"',
  'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"',
  'xmlns:dc="http://purl.org/dc/elements/1.1/"',
].join(' ');

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Text escaped for XML, without the characters XML 1.0 cannot hold at all. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

type Cell =
  | { readonly kind: 'text'; readonly text: string; readonly style?: 'heading' | 'title' | 'header' }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'link'; readonly text: string; readonly sheet: string };

interface Sheet {
  readonly name: string;
  readonly rows: readonly (readonly Cell[])[];
  /** Column widths in centimetres, first column first. */
  readonly widths: readonly number[];
}

const text = (value: string, style?: 'heading' | 'title' | 'header'): Cell =>
  style === undefined ? { kind: 'text', text: value } : { kind: 'text', text: value, style };

function odsCell(cell: Cell): string {
  switch (cell.kind) {
    case 'number':
      return `<table:table-cell office:value-type="float" office:value="${cell.value}"><text:p>${cell.value}</text:p></table:table-cell>`;
    case 'link':
      return `<table:table-cell office:value-type="string"><text:p><text:a xlink:type="simple" xlink:href="#${xml(cell.sheet)}.A1">${xml(cell.text)}</text:a></text:p></table:table-cell>`;
    case 'text': {
      const style = cell.style === undefined ? '' : ` table:style-name="ce-${cell.style}"`;
      return `<table:table-cell${style} office:value-type="string"><text:p>${xml(cell.text)}</text:p></table:table-cell>`;
    }
  }
}

function odsSheet(sheet: Sheet, index: number): string {
  const columns = sheet.widths
    .map((_, c) => `<table:table-column table:style-name="co-${index}-${c}"/>`)
    .join('');
  const rows = sheet.rows
    .map(
      (row) =>
        `<table:table-row>${row.length === 0 ? '<table:table-cell/>' : row.map(odsCell).join('')}</table:table-row>`,
    )
    .join('');
  return `<table:table table:name="${xml(sheet.name)}">${columns}${rows}</table:table>`;
}

function columnStyles(sheets: readonly Sheet[]): string {
  return sheets
    .flatMap((sheet, index) =>
      sheet.widths.map(
        (width, c) =>
          `<style:style style:name="co-${index}-${c}" style:family="table-column"><style:table-column-properties style:column-width="${width}cm"/></style:style>`,
      ),
    )
    .join('');
}

/** The name of a table's sheet: short, unique, and within the 31 characters spreadsheets allow. */
export function sheetName({ number }: NumberedTable): string {
  return `Table_${number}`;
}

function figure(cell: PackCell | undefined): Cell {
  if (cell === undefined) return text('');
  return cell.value === null ? text(cellText(cell)) : { kind: 'number', value: cell.value };
}

function tableSheet(numbered: NumberedTable): Sheet {
  const { number, table } = numbered;
  const rows: Cell[][] = [[text(`Table ${number}: ${table.title}`, 'title')]];
  if (table.description !== undefined) rows.push([text(table.description)]);
  if (hasRoundedCells(table))
    rows.push([text('Some figures are rounded, so rows and columns may not add up.')]);
  for (const note of table.notes ?? []) rows.push([text(note)]);
  rows.push([text('Symbols used in this table are explained in the Notes sheet.')]);
  rows.push([
    text(table.rowHeader, 'header'),
    ...table.columns.map((column) => text(column.label, 'header')),
  ]);
  table.rows.forEach((row, r) => {
    rows.push([text(row.label, 'header'), ...table.columns.map((_, c) => figure(table.cells[r]?.[c]))]);
  });
  return { name: sheetName(numbered), rows, widths: [8, ...table.columns.map(() => 4)] };
}

function coverSheet(pack: Pack): Sheet {
  const rows: Cell[][] = [
    [text(pack.title, 'title')],
    [text('Period', 'heading')],
    [text(periodText(pack))],
    [text('Sites', 'heading')],
    [text(pack.sites.map(siteName).join(', '))],
    [text('Version', 'heading')],
    [{ kind: 'number', value: pack.version }],
  ];
  if (pack.changes !== undefined)
    rows.push([text('Changes in this version', 'heading')], [text(pack.changes)]);
  for (const section of pack.sections) {
    if (section.paragraphs.length === 0) continue;
    rows.push([text(section.title, 'heading')], ...section.paragraphs.map((paragraph) => [text(paragraph)]));
  }
  return { name: 'Cover', rows, widths: [24] };
}

function contentsSheet(tables: readonly NumberedTable[]): Sheet {
  const rows: Cell[][] = [
    [text('Contents', 'title')],
    [text('This worksheet contains one table. Select a sheet name to go to that table.')],
    [text('Sheet', 'header'), text('Title', 'header'), text('Question area', 'header')],
  ];
  for (const numbered of tables) {
    const name = sheetName(numbered);
    rows.push([
      { kind: 'link', text: name, sheet: name },
      text(numbered.table.title),
      text(numbered.section.title),
    ]);
  }
  return { name: 'Contents', rows, widths: [4, 20, 10] };
}

function notesSheet(pack: Pack): Sheet {
  const rows: Cell[][] = [
    [text('Notes', 'title')],
    [text('This worksheet contains one table: the symbols and the disclosure rules used in this pack.')],
    [text('Item', 'header'), text('Meaning', 'header')],
  ];
  for (const symbol of symbolsUsed(pack)) rows.push([text(symbol), text(SYMBOL_MEANINGS[symbol])]);
  for (const band of bandsUsed(pack)) rows.push([text(band), text(BAND_MEANINGS[band])]);
  rows.push([
    text('Disclosure policy'),
    text(
      `Version ${pack.disclosure.policyVersion}; groups smaller than ${pack.disclosure.threshold} are not shown.`,
    ),
  ]);
  for (const rule of pack.disclosure.rules) rows.push([text('Disclosure rule'), text(rule)]);
  return { name: 'Notes', rows, widths: [5, 24] };
}

function contentXml(sheets: readonly Sheet[]): string {
  const cellStyles = [
    '<style:style style:name="ce-title" style:family="table-cell"><style:text-properties fo:font-size="14pt" fo:font-weight="bold"/></style:style>',
    '<style:style style:name="ce-heading" style:family="table-cell"><style:text-properties fo:font-weight="bold"/></style:style>',
    '<style:style style:name="ce-header" style:family="table-cell"><style:table-cell-properties fo:wrap-option="wrap"/><style:text-properties fo:font-weight="bold"/></style:style>',
  ].join('');
  return (
    XML_DECLARATION +
    `<office:document-content ${NS} office:version="1.3">` +
    `<office:automatic-styles>${columnStyles(sheets)}${cellStyles}</office:automatic-styles>` +
    `<office:body><office:spreadsheet>${sheets.map(odsSheet).join('')}</office:spreadsheet></office:body>` +
    '</office:document-content>'
  );
}

function stylesXml(): string {
  return (
    XML_DECLARATION +
    `<office:document-styles ${NS} office:version="1.3"><office:styles>` +
    '<style:default-style style:family="table-cell"><style:text-properties fo:font-size="11pt"/></style:default-style>' +
    '</office:styles></office:document-styles>'
  );
}

function metaXml(pack: Pack): string {
  return (
    XML_DECLARATION +
    `<office:document-meta ${NS} office:version="1.3"><office:meta>` +
    `<dc:title>${xml(pack.title)}</dc:title><dc:language>en-GB</dc:language>` +
    '</office:meta></office:document-meta>'
  );
}

function manifestXml(): string {
  const entries = ['content.xml', 'meta.xml', 'styles.xml']
    .map((path) => `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="text/xml"/>`)
    .join('');
  return (
    XML_DECLARATION +
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">' +
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${MIMETYPE}"/>` +
    `${entries}</manifest:manifest>`
  );
}

/**
 * The pack as an .ods file. The `mimetype` entry comes first and is stored uncompressed, as
 * OpenDocument requires so that a reader can recognise the file from its first bytes; the other
 * entries follow sorted by name, each with the same fixed time, so a rebuild gives the same bytes.
 */
export function renderPackOds(pack: Pack): Uint8Array {
  const valid = validPack(pack);
  const tables = numberTables(valid);
  const sheets = [coverSheet(valid), contentsSheet(tables), notesSheet(valid), ...tables.map(tableSheet)];
  const mtime = zipEntryTime(valid);
  const parts = new Map<string, string>([
    ['META-INF/manifest.xml', manifestXml()],
    ['content.xml', contentXml(sheets)],
    ['meta.xml', metaXml(valid)],
    ['styles.xml', stylesXml()],
  ]);
  // Object keys keep insertion order for names like these, and fflate writes entries in that order.
  const files: Zippable = { mimetype: [strToU8(MIMETYPE), { level: 0, mtime }] };
  for (const name of [...parts.keys()].sort())
    files[name] = [strToU8(parts.get(name) ?? ''), { level: 9, mtime }];
  return zipSync(files);
}
