import * as z from 'zod';

/**
 * The shape of a learning pack: every figure it publishes, in tables an auditor can re-add.
 *
 * A pack is built in two stages. The composer turns evidence into {@link RawTable}s holding exact
 * figures (never leaves the builder). Disclosure control turns those into {@link PackTable}s, where
 * each cell is either a published value or a symbol, and records why in the disclosure report. Every
 * format (JSON, CSV, ODS, HTML) is rendered from the published {@link Pack} alone.
 */

/** What a figure counts or measures. Only `people` and `staff` are counts of persons. */
export const CELL_UNITS = [
  'people',
  'staff',
  'appointments',
  'sessions',
  'findings',
  'reports',
  'resources',
  'sites',
  'rate',
  'mean',
  'median',
] as const;
export type CellUnit = (typeof CELL_UNITS)[number];

/** Units whose figures add up along a table's totals and count persons, so disclosure applies. */
export const PERSON_UNITS: readonly CellUnit[] = ['people', 'staff'];
/** Units whose figures are whole-number counts that can be summed. */
export const COUNT_UNITS: readonly CellUnit[] = [
  'people',
  'staff',
  'appointments',
  'sessions',
  'findings',
  'reports',
  'resources',
  'sites',
];

/**
 * The Analysis Function's symbols: `[c]` confidential (suppressed to protect people), `[x]` not
 * available (no data, or too few to compute a rate or median), `[z]` not applicable.
 */
export const SYMBOLS = ['[c]', '[x]', '[z]'] as const;
export type CellSymbol = (typeof SYMBOLS)[number];

const id = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9][a-z0-9.:_-]*$/);

/** A row or column of a table. `totalOf` names the rows (or columns) this one is the sum of. */
export const headerSchema = z
  .object({
    id,
    label: z.string().min(1).max(200),
    totalOf: z.array(id).max(50).optional(),
  })
  .strict();
export type Header = z.infer<typeof headerSchema>;

/** A cell before disclosure control: the exact figure, or nothing to show. */
export interface RawCell {
  /**
   * Exact value; `null` with a symbol when there is nothing to compute (`[x]`) or it makes no sense
   * (`[z]`). A rate is a share from 0 to 1 here; the published cell shows it as a percentage.
   */
  readonly value: number | null;
  readonly unit: CellUnit;
  readonly symbol?: Exclude<CellSymbol, '[c]'>;
  /**
   * A stable name of the quantity this cell holds, the same in every table and every pack that
   * shows it (for example `capital.baselines.london`). Cells with the same `ref` are one unknown to
   * the disclosure audit, and the ledger of published packs is kept by `ref`.
   */
  readonly ref?: string;
  /** For a rate, mean or median: how many people (or events) it was computed over. */
  readonly base?: number;
}

export interface RawTable {
  readonly id: string;
  readonly title: string;
  /** What a reader needs to read the table: the period, who is counted, how. */
  readonly description?: string;
  readonly rowHeader: string;
  readonly rows: readonly Header[];
  readonly columns: readonly Header[];
  /** `cells[r][c]` is the cell of `rows[r]` and `columns[c]`. */
  readonly cells: readonly (readonly RawCell[])[];
  readonly notes?: readonly string[];
}

/** A published cell: a value, or `null` with the symbol that says why. */
export const cellSchema = z
  .object({
    value: z.number().nullable(),
    symbol: z.enum(SYMBOLS).optional(),
    unit: z.enum(CELL_UNITS),
    ref: z.string().max(200).optional(),
    /** `true` when the value is rounded (counts of people to the nearest 5, rates to whole percent). */
    rounded: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'PackCell' });
export type PackCell = z.infer<typeof cellSchema>;

export const packTableSchema = z
  .object({
    id,
    title: z.string().min(1).max(300),
    description: z.string().max(2000).optional(),
    rowHeader: z.string().max(200),
    rows: z.array(headerSchema).max(500),
    columns: z.array(headerSchema).max(100),
    cells: z.array(z.array(cellSchema).max(100)).max(500),
    notes: z.array(z.string().max(1000)).max(50).optional(),
  })
  .strict()
  .meta({ id: 'PackTable' });
export type PackTable = z.infer<typeof packTableSchema>;

/** The plan's question areas (4.3-4.8) plus the pack's own front matter. */
export const SECTION_IDS = [
  'how-to-read',
  'evidence-map',
  '4.3',
  '4.4',
  '4.5',
  '4.6',
  '4.6-voice',
  '4.7',
  '4.8',
] as const;
export type SectionId = (typeof SECTION_IDS)[number];

export const sectionSchema = z
  .object({
    id: z.enum(SECTION_IDS),
    title: z.string().max(200),
    outcomes: z.array(z.string().max(2)).max(10),
    /** Plain-English paragraphs: what the figures show and what they cannot. */
    paragraphs: z.array(z.string().max(4000)).max(50),
    tables: z.array(packTableSchema).max(50),
    /** Curated quotes, redacted again at build time, attributed by respondent group only. */
    quotes: z
      .array(
        z
          .object({
            theme: z.string().max(200),
            text: z.string().max(1500),
            respondentGroup: z.string().max(80),
          })
          .strict(),
      )
      .max(100),
  })
  .strict()
  .meta({ id: 'PackSection' });
export type PackSection = z.infer<typeof sectionSchema>;

/** One suppressed cell, the rule that suppressed it, and what an attacker can narrow it to. */
export const suppressionSchema = z
  .object({
    table: id,
    row: id,
    column: id,
    rule: z.enum(['primary', 'secondary', 'differencing', 'base-too-small']),
    detail: z.string().max(500),
    /** The range of whole numbers consistent with everything published (the attacker's audit). */
    feasible: z.object({ min: z.number(), max: z.number().nullable() }).strict().optional(),
    /** For differencing: the earlier pack whose figure it would have been subtracted from. */
    earlierPack: z.string().max(120).optional(),
  })
  .strict();
export type Suppression = z.infer<typeof suppressionSchema>;

export const disclosureReportSchema = z
  .object({
    policyVersion: z.int().min(1),
    threshold: z.int().min(1),
    rules: z.array(z.string().max(500)).max(30),
    suppressed: z.array(suppressionSchema).max(10_000),
    audit: z
      .object({
        passed: z.boolean(),
        solver: z.string().max(80),
        cellsChecked: z.int().min(0),
        /** Cells whose feasible range is narrower than the threshold (must be empty to publish). */
        failures: z.array(suppressionSchema).max(10_000),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'DisclosureReport' });
export type DisclosureReport = z.infer<typeof disclosureReportSchema>;

export const packSchema = z
  .object({
    title: z.string().max(300),
    period: z.object({ from: z.iso.date(), to: z.iso.date() }).strict(),
    sites: z.array(z.string().max(40)).min(1).max(3),
    version: z.int().min(1),
    /** What changed since the previous version of this pack, when it corrects one. */
    changes: z.string().max(2000).optional(),
    sections: z.array(sectionSchema).max(20),
    disclosure: disclosureReportSchema,
  })
  .strict()
  .meta({ id: 'LearningPack' });
export type Pack = z.infer<typeof packSchema>;
