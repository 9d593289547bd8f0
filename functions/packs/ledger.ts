import * as z from 'zod';
import { CELL_UNITS, SYMBOLS, type PackTable, type RawTable, type Suppression } from './pack-model';

/**
 * The ledger of published packs: every figure each one showed, by `ref`. Disclosure control reads
 * it so a new pack never shows a figure that, set against one already published, describes a small
 * group; the attacker's audit reads it because a reader holds every earlier pack too.
 *
 * It is kept by the builder and never published: `exact` holds the figure before rounding, so the
 * differencing rule compares true counts rather than rounded ones.
 */
export const ledgerFigureSchema = z
  .object({
    ref: z.string().min(1).max(200),
    unit: z.enum(CELL_UNITS),
    /** What the pack showed: the value, or `null` with its symbol. */
    value: z.number().nullable(),
    symbol: z.enum(SYMBOLS).optional(),
    rounded: z.boolean().optional(),
    /** For a suppressed figure, the rule the pack's disclosure report gave (a reader knows it). */
    rule: z.enum(['primary', 'secondary', 'differencing', 'base-too-small']).optional(),
    /** The exact figure behind what was shown (kept by the builder, never published). */
    exact: z.number().optional(),
  })
  .strict();
export type LedgerFigure = z.infer<typeof ledgerFigureSchema>;

export const ledgerEntrySchema = z
  .object({
    /** The published pack's id (named in a differencing suppression). */
    pack: z.string().min(1).max(120),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }).strict(),
    figures: z.array(ledgerFigureSchema).max(20_000),
  })
  .strict();
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** Every pack published so far, oldest first. */
export type Ledger = readonly LedgerEntry[];

export interface LedgerPeriod {
  readonly from: string;
  readonly to: string;
}

/**
 * The ledger entry for a pack about to be published: each figure with a `ref` it showed, once per
 * ref, with the exact figure from its raw tables.
 *
 * @example
 * const entry = ledgerEntryFor('pack-2025-q1', period, rawTables, result.tables, result.suppressed);
 * await ledgerStore.append(entry); // when the pack is published, not when it is built
 */
export function ledgerEntryFor(
  pack: string,
  period: LedgerPeriod,
  rawTables: readonly RawTable[],
  published: readonly PackTable[],
  suppressed: readonly Suppression[],
): LedgerEntry {
  const exact = new Map<string, number>();
  for (const table of rawTables) {
    for (const row of table.cells) {
      for (const cell of row) {
        if (cell.ref !== undefined && cell.value !== null) exact.set(cell.ref, cell.value);
      }
    }
  }
  const rules = new Map(suppressed.map((s) => [`${s.table}/${s.row}/${s.column}`, s.rule]));
  const figures = new Map<string, LedgerFigure>();
  for (const table of published) {
    table.cells.forEach((row, r) => {
      row.forEach((cell, c) => {
        if (cell.ref === undefined || figures.has(cell.ref)) return;
        const rule = rules.get(`${table.id}/${table.rows[r]?.id}/${table.columns[c]?.id}`);
        const exactValue = exact.get(cell.ref);
        figures.set(cell.ref, {
          ref: cell.ref,
          unit: cell.unit,
          value: cell.value,
          ...(cell.symbol === undefined ? {} : { symbol: cell.symbol }),
          ...(cell.rounded === undefined ? {} : { rounded: cell.rounded }),
          ...(rule === undefined ? {} : { rule }),
          ...(exactValue === undefined ? {} : { exact: exactValue }),
        });
      });
    });
  }
  return { pack, period: { from: period.from, to: period.to }, figures: [...figures.values()] };
}
