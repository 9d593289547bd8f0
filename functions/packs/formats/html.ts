import nunjucks from 'nunjucks';
import type { BandLabel, CellSymbol, Pack } from '../pack-model';
import { barChart } from './chart';
import {
  BAND_MEANINGS,
  bandsUsed,
  SYMBOL_MEANINGS,
  hasRoundedCells,
  numberTables,
  periodText,
  siteName,
  symbolsUsed,
  validPack,
} from './common';
import { displayValue } from './display';
import { GOVUK_FRONTEND_CSS } from './templates/govuk-frontend-css';
import { PACK_PAGE_CSS, PACK_PAGE_TEMPLATE } from './templates/pack-page';

/** Compiled once per process: no loader, so nothing is read from disk at render time. */
let template: nunjucks.Template | undefined;

function packPage(): nunjucks.Template {
  template ??= new nunjucks.Template(
    PACK_PAGE_TEMPLATE,
    new nunjucks.Environment([], { autoescape: true, throwOnUndefined: false }),
    'pack-page.njk',
    true,
  );
  return template;
}

function meaningOf(symbol: CellSymbol): string {
  return SYMBOL_MEANINGS[symbol].split(':')[0] ?? symbol;
}

function pageModel(pack: Pack): object {
  const numbered = numberTables(pack);
  const sections = pack.sections.map((section) => ({
    anchor: `section-${section.id.replaceAll('.', '-')}`,
    title: section.title,
    outcomes: section.outcomes.join(', '),
    paragraphs: section.paragraphs,
    quotes: section.quotes,
    tables: numbered
      .filter((item) => item.section === section)
      .map(({ number, table }) => {
        const symbols = new Set<CellSymbol>();
        const bands = new Set<BandLabel>();
        const rows = table.rows.map((row, r) => ({
          label: row.label,
          total: row.totalOf !== undefined,
          cells: table.columns.map((column, c) => {
            const cell = table.cells[r]?.[c];
            if (cell === undefined) return { text: '', total: false };
            const symbol = cell.value === null ? (cell.symbol ?? '[x]') : undefined;
            if (cell.band !== undefined) bands.add(cell.band.label);
            else if (symbol !== undefined) symbols.add(symbol);
            return {
              text: displayValue(cell),
              meaning:
                cell.band !== undefined
                  ? BAND_MEANINGS[cell.band.label].split(':')[1]?.trim()
                  : symbol === undefined
                    ? undefined
                    : meaningOf(symbol),
              total: column.totalOf !== undefined,
            };
          }),
        }));
        return {
          number,
          anchor: `table-${number}`,
          table,
          chart: barChart(table),
          columns: table.columns.map((column) => ({
            label: column.label,
            total: column.totalOf !== undefined,
          })),
          rows,
          rounded: hasRoundedCells(table),
          symbols: [
            ...[...symbols].map((symbol) => `${symbol} ${meaningOf(symbol)}`),
            ...[...bands].map((band) => `“${band}” ${BAND_MEANINGS[band].split(':')[1]?.trim() ?? ''}`),
          ].join('; '),
        };
      }),
  }));
  const suppressed = pack.disclosure.suppressed.length;
  return {
    pack,
    css: GOVUK_FRONTEND_CSS,
    pageCss: PACK_PAGE_CSS,
    period: periodText(pack),
    sites: pack.sites.map(siteName).join(', '),
    sections,
    symbols: [
      ...symbolsUsed(pack).map((symbol) => ({ symbol, meaning: SYMBOL_MEANINGS[symbol] })),
      ...bandsUsed(pack).map((band) => ({ symbol: band, meaning: BAND_MEANINGS[band] })),
    ],
    suppressedText:
      suppressed === 1
        ? '1 figure in this pack is not shown.'
        : `${suppressed} figures in this pack are not shown.`,
    auditText: pack.disclosure.audit.passed
      ? `${pack.disclosure.audit.cellsChecked} figures checked, no failures`
      : `${pack.disclosure.audit.failures.length} failures`,
  };
}

/**
 * The pack as one self-contained, accessible HTML page on the GOV.UK Design System: tables with
 * captions and header scopes, each chart an inline SVG with a text alternative beside its table,
 * symbols explained, printable, no script, nothing loaded from elsewhere.
 */
export function renderPackHtml(pack: Pack): Uint8Array {
  const valid = validPack(pack);
  return new TextEncoder().encode(packPage().render(pageModel(valid)));
}
