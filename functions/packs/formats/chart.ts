import type { CellUnit, PackCell, PackTable } from '../pack-model';
import { SYMBOL_MEANINGS, displayValue } from './display';

/**
 * A grouped horizontal bar chart of a table, laid out here and drawn as inline SVG by the page
 * template. It shows the table's parts, not its totals (rows and columns with `totalOf` are left
 * out), and only the columns holding the same unit as the first one, so every bar is on one scale.
 * A suppressed or unavailable figure has no bar, only its symbol.
 */
export interface BarChart {
  readonly width: number;
  readonly height: number;
  readonly legend: readonly { readonly label: string; readonly colour: string; readonly y: number }[];
  readonly groups: readonly {
    readonly label: string;
    readonly y: number;
    readonly bars: readonly {
      readonly y: number;
      readonly length: number;
      readonly colour: string;
      readonly text: string;
      readonly textX: number;
    }[];
  }[];
  /** The chart in words, for readers who cannot see it: every figure it draws. */
  readonly description: string;
}

/** GOV.UK Design System colours with at least 3:1 contrast against white (WCAG 1.4.11). */
const COLOURS = ['#1d70b8', '#00703c', '#4c2c92', '#d4351c', '#505a5f'];

/**
 * The drawing is 440 units wide and shown at most 560 px wide: its 16-unit text reads at 20 px on a
 * desktop and still at 13 px when a 390 px phone scales it down.
 */
const WIDTH = 440;
const LABEL_HEIGHT = 24;
const BAR_HEIGHT = 18;
const BAR_GAP = 4;
const GROUP_GAP = 14;
const LEGEND_LINE = 24;
const VALUE_ROOM = 80;

export function barChart(table: PackTable): BarChart | undefined {
  const rows = table.rows.map((row, r) => ({ row, r })).filter(({ row }) => row.totalOf === undefined);
  const parts = table.columns
    .map((column, c) => ({ column, c }))
    .filter(({ column }) => column.totalOf === undefined);
  const unit: CellUnit | undefined = table.cells[rows[0]?.r ?? 0]?.[parts[0]?.c ?? 0]?.unit;
  const columns = parts.filter(({ c }) => rows.every(({ r }) => table.cells[r]?.[c]?.unit === unit));
  if (unit === undefined || rows.length === 0 || columns.length === 0 || columns.length > COLOURS.length)
    return undefined;
  const cell = (r: number, c: number): PackCell | undefined => table.cells[r]?.[c];
  const values = rows.flatMap(({ r }) => columns.map(({ c }) => cell(r, c)?.value ?? null));
  const shown = values.filter((value): value is number => value !== null);
  if (shown.length === 0 || shown.some((value) => value < 0)) return undefined;
  const max = Math.max(...shown, unit === 'rate' ? 100 : 0);
  const scale = max === 0 ? 0 : (WIDTH - VALUE_ROOM) / max;

  const legend = columns.map(({ column }, i) => ({
    label: column.label,
    colour: COLOURS[i] ?? '#0b0c0c',
    y: i * LEGEND_LINE,
  }));
  let y = legend.length * LEGEND_LINE + GROUP_GAP;
  const groups = rows.map(({ row, r }) => {
    const labelY = y;
    y += LABEL_HEIGHT;
    const bars = columns.map(({ column, c }, i) => {
      const figure = cell(r, c);
      const length =
        figure?.value === null || figure === undefined ? 0 : Math.round(figure.value * scale * 10) / 10;
      const bar = {
        y,
        length,
        colour: COLOURS[i] ?? '#0b0c0c',
        // A missing bar is named, since its colour cannot say which column it belongs to.
        text:
          figure === undefined
            ? ''
            : figure.value === null
              ? `${displayValue(figure)} ${column.label}`
              : displayValue(figure),
        textX: length + 6,
      };
      y += BAR_HEIGHT + BAR_GAP;
      return bar;
    });
    y += GROUP_GAP;
    return { label: row.label, y: labelY, bars };
  });

  const description = rows
    .map(({ row, r }) => {
      const figures = columns.map(({ column, c }) => {
        const figure = cell(r, c);
        if (figure === undefined) return `${column.label}: no figure`;
        if (figure.value === null) {
          const symbol = figure.symbol ?? '[x]';
          return `${column.label}: ${symbol} (${SYMBOL_MEANINGS[symbol].split(':')[0] ?? ''})`;
        }
        return `${column.label}: ${displayValue(figure)}`;
      });
      return `${row.label}: ${figures.join(', ')}.`;
    })
    .join(' ');
  return { width: WIDTH, height: y, legend, groups, description };
}
