import type { PackCell } from '../pack-model';
import { SYMBOL_MEANINGS, plainNumber } from './common';

export { SYMBOL_MEANINGS };

/** Digits grouped in threes with commas, as GOV.UK writes numbers (`1,456`), without depending on a locale. */
function grouped(value: number): string {
  const [whole = '', fraction] = plainNumber(Math.abs(value)).split('.');
  const withCommas = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${value < 0 ? '-' : ''}${withCommas}${fraction === undefined ? '' : `.${fraction}`}`;
}

/** A cell as a reader sees it on the page: `1,456`, `70%`, `-1`, a wording band (`some`), or its symbol. */
export function displayValue(cell: PackCell): string {
  if (cell.value === null) return cell.band?.label ?? cell.symbol ?? '[x]';
  return cell.unit === 'rate' ? `${grouped(cell.value)}%` : grouped(cell.value);
}
