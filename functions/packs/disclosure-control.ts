import { SITE_IDS } from '../../shared/domain/sites';
import { auditDisclosure, cellKey, type AuditResult } from './disclosure-audit';
import { bandOf, describePolicy, type PackDisclosurePolicy } from './disclosure-policy';
import type { Ledger, LedgerPeriod } from './ledger';
import {
  COUNT_UNITS,
  PERSON_UNITS,
  type DisclosureReport,
  type PackCell,
  type PackTable,
  type RawCell,
  type RawTable,
  type Suppression,
} from './pack-model';

/** Raw tables that cannot be controlled as given (a bug in what composed them, never user input). */
export class DisclosureInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DisclosureInputError';
  }
}

export interface DisclosureControlOptions {
  /** The pack's period: ledger figures of the same period and `ref` are the same quantity. */
  readonly period?: LedgerPeriod;
  /** Rounds of "audit, then hide one more figure per failing cell" before giving up. Default 50. */
  readonly maxAuditRounds?: number;
}

export interface DisclosureControlResult {
  readonly tables: PackTable[];
  /** Every hidden cell with its rule and, for `[c]`, the audit's feasible range. */
  readonly suppressed: Suppression[];
  /** The attacker's audit of the tables as published; a pack that fails it must not be published. */
  readonly audit: AuditResult;
}

type Rule = Suppression['rule'];

interface Working {
  readonly table: number;
  readonly row: number;
  readonly column: number;
  readonly raw: RawCell;
  readonly isTotal: boolean;
  out: PackCell;
  rule?: Rule;
  detail?: string;
  earlierPack?: string;
}

const EXTREME = /(^|[.:_-])(min|max|minimum|maximum)$/;
const SITE_SEGMENTS = new Set<string>(SITE_IDS);

/**
 * Disclosure control for a learning pack: turns raw tables of exact figures into the tables a pack
 * publishes, and says which cells it hid and why.
 *
 * 1. Primary: counts of 1 to 9 people are `[c]`; rates, means and medians over too few are `[x]`;
 *    staff figures by site and minima or maxima are hidden; a person count whose difference from the
 *    same `ref` in an earlier pack is 1 to 9 is `[c]` (rule `differencing`, naming that pack).
 * 2. Rounding: other counts of people to the nearest 5 (each on its own, totals included). A count
 *    that may be worded (`bandOf`) and is 1 to 9 is a `[c]` shown as a wording band of its whole.
 * 3. Secondary, repeated until nothing changes: a quantity hidden in one table is hidden wherever
 *    its `ref` appears; a sum (`totalOf`, rows and columns) with exactly one hidden member gets a
 *    second: the smallest non-zero part, else a total, a zero last of all.
 * 4. The attacker's audit ({@link auditDisclosure}); for a cell it finds too narrow, a shown rate
 *    of it (as numerator or base) is hidden, else one more member of a sum it is in (or, when those
 *    are all hidden, of a sum linked to them) in the same order, and the audit runs again, until it
 *    passes or nothing is left to hide.
 *
 * @example
 * const result = applyDisclosureControl(rawTables, DEFAULT_PACK_DISCLOSURE_POLICY, ledger, { period });
 * if (!result.audit.passed) // the pack is built as failed, with result.audit.failures as the reason
 */
export function applyDisclosureControl(
  rawTables: readonly RawTable[],
  policy: PackDisclosurePolicy,
  ledger: Ledger,
  options: DisclosureControlOptions = {},
): DisclosureControlResult {
  const cells = rawTables.map((table, t) => primaryAndRounding(table, t, policy));
  const all = cells.flatMap((rows) => rows.flat());
  applyDifferencing(all, policy, ledger);
  const byRef = groupByRef(all);
  applyBands(all, byRef, policy);
  const sums = rawTables.flatMap((table, t) => sumsOf(table, cells[t] ?? []));
  const sumsOfCell = new Map<Working, Working[][]>();
  for (const sum of sums) {
    for (const member of sum) sumsOfCell.set(member, [...(sumsOfCell.get(member) ?? []), sum]);
  }

  const shownRatesOf = new Map<string, Working[]>();
  for (const cell of all) {
    const of = cell.raw.rateOf;
    if (of === undefined) continue;
    for (const ref of [...of.numerator, ...of.base])
      shownRatesOf.set(ref, [...(shownRatesOf.get(ref) ?? []), cell]);
  }
  const isShown = (cell: Working) => cell.out.value !== null;
  const ratesOf = (cell: Working) =>
    cell.raw.ref === undefined ? [] : (shownRatesOf.get(cell.raw.ref) ?? []);
  /**
   * The shown rate closest to a cell: of the cell itself, else of a count it is summed with or that
   * a rate links it to, and so on outwards (a rate can pin a count several sums away).
   */
  const nearestShownRate = (start: Working, sameRef: (cell: Working) => Working[]): Working | undefined => {
    const seen = new Set<Working>();
    let frontier = sameRef(start);
    while (frontier.length > 0) {
      for (const cell of frontier) seen.add(cell);
      const found = frontier.flatMap(ratesOf).find(isShown);
      if (found !== undefined) return found;
      frontier = frontier
        .flatMap((cell) => [
          ...(sumsOfCell.get(cell) ?? []).flat(),
          ...ratesOf(cell).flatMap((rate) =>
            [...(rate.raw.rateOf?.numerator ?? []), ...(rate.raw.rateOf?.base ?? [])].flatMap(
              (ref) => byRef.get(ref) ?? [],
            ),
          ),
        ])
        .flatMap(sameRef)
        .filter((cell, i, list) => !seen.has(cell) && list.indexOf(cell) === i);
    }
    return undefined;
  };

  const hide = (cell: Working, rule: Rule, detail: string) => {
    cell.out = {
      value: null,
      symbol: '[c]',
      unit: cell.out.unit,
      ...(cell.out.ref === undefined ? {} : { ref: cell.out.ref }),
    };
    cell.rule = rule;
    cell.detail = detail;
  };
  const settle = () => {
    for (let changed = true; changed;) {
      changed = false;
      for (const group of byRef.values()) {
        const hiddenOne = group.find((c) => c.out.symbol === '[c]');
        if (hiddenOne === undefined) continue;
        for (const cell of group) {
          if (cell.out.symbol === '[c]') continue;
          hide(
            cell,
            'secondary',
            `the same figure is hidden in table ${rawTables[hiddenOne.table]?.id ?? ''}`,
          );
          changed = true;
        }
      }
      for (const sum of sums) {
        if (sum.filter((c) => c.out.symbol === '[c]').length !== 1) continue;
        const next = bestCandidate(sum);
        if (next === undefined) continue;
        hide(
          next,
          'secondary',
          'hidden so that a hidden figure in the same sum cannot be worked out from its total',
        );
        changed = true;
      }
    }
  };

  settle();
  const tables = () => rawTables.map((table, t) => publishedTable(table, cells[t] ?? []));
  const report = () => all.filter((c) => c.rule !== undefined).map((c) => suppressionOf(c, rawTables));
  let audit = auditDisclosure(tables(), ledger, policy, { suppressed: report(), period: options.period });
  for (let round = 0; round < (options.maxAuditRounds ?? 50) && !audit.passed; round++) {
    let hidMore = false;
    // One more hidden cell per linked group a round: hiding one often protects its neighbours too.
    const touched = new Set<Working[]>();
    const primaryFirst = [...audit.failures].sort(
      (a, b) => Number(a.rule !== 'primary') - Number(b.rule !== 'primary'),
    );
    for (const failure of primaryFirst) {
      const failing = all.find(
        (c) =>
          rawTables[c.table]?.id === failure.table &&
          rawTables[c.table]?.rows[c.row]?.id === failure.row &&
          rawTables[c.table]?.columns[c.column]?.id === failure.column,
      );
      if (failing === undefined) continue;
      // A wording band tells more than a [c]: take it back first.
      if (failing.out.band !== undefined) {
        failing.out = { value: null, symbol: '[c]', unit: failing.out.unit, ...refOf(failing) };
        failing.detail = smallFindings(policy);
        hidMore = true;
        continue;
      }
      const sameRef = (cell: Working) =>
        cell.raw.ref === undefined ? [cell] : (byRef.get(cell.raw.ref) ?? [cell]);
      // A shown rate of the hidden count, or of a count linked to it, can pin it down whatever the
      // sums hide: hide the rate first.
      const rate = nearestShownRate(failing, sameRef);
      if (rate !== undefined) {
        hide(rate, 'secondary', 'hidden so that a hidden count cannot be worked out from this rate of it');
        hidMore = true;
        continue;
      }
      // The sums the failing cell is in, then the sums those sums' members are in, and so on
      // outwards, until one of them still shows a member to hide.
      let related = sameRef(failing).flatMap((c) => sumsOfCell.get(c) ?? []);
      if (related.some((sum) => touched.has(sum))) continue;
      const seen = new Set(related);
      let next = bestCandidate(related.flat());
      while (next === undefined && related.length > 0) {
        related = related
          .flat()
          .flatMap(sameRef)
          .flatMap((c) => sumsOfCell.get(c) ?? [])
          .filter((sum) => !seen.has(sum));
        for (const sum of related) seen.add(sum);
        next = bestCandidate(related.flat());
      }
      if (next === undefined) continue;
      for (const sum of sumsOfCell.get(next) ?? []) touched.add(sum);
      hide(
        next,
        'secondary',
        'hidden so that another hidden figure cannot be narrowed from the published sums',
      );
      hidMore = true;
    }
    if (!hidMore) break;
    settle();
    audit = auditDisclosure(tables(), ledger, policy, { suppressed: report(), period: options.period });
  }

  const feasible = new Map(audit.suppressed.map((s) => [cellKey(s.table, s.row, s.column), s.feasible]));
  const suppressed = report().map((s) => {
    const range = feasible.get(cellKey(s.table, s.row, s.column));
    return range === undefined ? s : { ...s, feasible: range };
  });
  return { tables: tables(), suppressed, audit };
}

/** The disclosure report a pack carries: its policy, rules, every hidden cell and the audit. */
export function disclosureReportOf(
  policy: PackDisclosurePolicy,
  result: DisclosureControlResult,
): DisclosureReport {
  return {
    policyVersion: policy.version,
    threshold: policy.minPeople,
    rules: describePolicy(policy),
    suppressed: result.suppressed,
    audit: {
      passed: result.audit.passed,
      solver: result.audit.solver,
      cellsChecked: result.audit.cellsChecked,
      failures: result.audit.failures,
    },
  };
}

function primaryAndRounding(table: RawTable, t: number, policy: PackDisclosurePolicy): Working[][] {
  if (
    table.cells.length !== table.rows.length ||
    table.cells.some((row) => row.length !== table.columns.length)
  ) {
    throw new DisclosureInputError(
      `table ${table.id}: cells do not match its ${table.rows.length} rows and ${table.columns.length} columns`,
    );
  }
  return table.cells.map((row, r) =>
    row.map((raw, c) => {
      const rowHeader = table.rows[r];
      const columnHeader = table.columns[c];
      const cell: Working = {
        table: t,
        row: r,
        column: c,
        raw,
        isTotal: rowHeader?.totalOf !== undefined || columnHeader?.totalOf !== undefined,
        out: { value: raw.value, unit: raw.unit, ...(raw.ref === undefined ? {} : { ref: raw.ref }) },
      };
      const ref = raw.ref === undefined ? {} : { ref: raw.ref };
      const notAvailable = (rule: Rule, detail: string) => {
        cell.out = { value: null, symbol: '[x]', unit: raw.unit, ...ref };
        cell.rule = rule;
        cell.detail = detail;
      };
      if (raw.value === null || raw.symbol !== undefined) {
        cell.out = { value: null, symbol: raw.symbol ?? '[x]', unit: raw.unit, ...ref };
        return cell;
      }
      if (
        !policy.showExtremes &&
        (EXTREME.test(rowHeader?.id ?? '') || EXTREME.test(columnHeader?.id ?? ''))
      ) {
        notAvailable('primary', 'minima and maxima are not shown: an extreme is one person’s value');
        return cell;
      }
      const staff = raw.unit === 'staff' || startsWithAny(raw.ref, policy.staffRefPrefixes);
      if (
        staff &&
        raw.ref !== undefined &&
        raw.ref.split(/[.:]/).some((segment) => SITE_SEGMENTS.has(segment))
      ) {
        cell.out = { value: null, symbol: '[c]', unit: raw.unit, ...ref };
        // A reader holding the report reads a primary [c] as 1 to 9: say so only when it is true.
        const small = PERSON_UNITS.includes(raw.unit) && raw.value > 0 && raw.value < policy.minPeople;
        cell.rule = small ? 'primary' : 'secondary';
        cell.detail = 'staff figures are shown at programme level only';
        return cell;
      }
      if (PERSON_UNITS.includes(raw.unit)) {
        if (!Number.isInteger(raw.value) || raw.value < 0) {
          throw new DisclosureInputError(
            `table ${table.id}: a count of people must be a whole number, not ${raw.value}`,
          );
        }
        if (raw.value > 0 && raw.value < policy.minPeople) {
          cell.out = { value: null, symbol: '[c]', unit: raw.unit, ...ref };
          cell.rule = 'primary';
          cell.detail = `${policy.minPeople > 2 ? `1 to ${policy.minPeople - 1}` : '1'} people`;
        } else if (raw.value > 0 && policy.roundTo > 1) {
          cell.out = {
            value: Math.round(raw.value / policy.roundTo) * policy.roundTo,
            unit: raw.unit,
            ...ref,
            rounded: true,
          };
        }
        return cell;
      }
      if (raw.unit === 'rate' || raw.unit === 'mean' || raw.unit === 'median') {
        const [minimum, over] = startsWithAny(raw.ref, policy.pairedCheckRefPrefixes)
          ? [policy.minPairedChecks, 'paired checks']
          : staff
            ? [policy.minStaffRespondents, 'staff respondents']
            : [policy.minBase, 'people'];
        if (raw.base === undefined || raw.base < minimum) {
          notAvailable(
            'base-too-small',
            `computed over ${raw.base === undefined ? 'an unknown number of' : `fewer than ${minimum}`} ${over}`,
          );
          return cell;
        }
        if (raw.unit === 'rate') {
          // A raw rate is a share (0 to 1); a pack shows it as a percentage.
          const scale = 10 ** policy.rateDecimals;
          cell.out = {
            value: Math.round(raw.value * 100 * scale) / scale,
            unit: raw.unit,
            ...ref,
            rounded: true,
            ...(raw.rateOf === undefined
              ? {}
              : { rateOf: { numerator: [...raw.rateOf.numerator], base: [...raw.rateOf.base] } }),
          };
        }
      }
      return cell;
    }),
  );
}

/** A person count whose difference from the same ref in an earlier pack is 1 to 9 is hidden. */
function applyDifferencing(cells: readonly Working[], policy: PackDisclosurePolicy, ledger: Ledger): void {
  const earlier = new Map<string, { pack: string; value: number }[]>();
  for (const entry of ledger) {
    for (const figure of entry.figures) {
      // Only a figure the earlier pack showed can be subtracted from; its exact value says by how much.
      if (figure.value === null || !PERSON_UNITS.includes(figure.unit)) continue;
      const value = figure.exact ?? figure.value;
      earlier.set(figure.ref, [...(earlier.get(figure.ref) ?? []), { pack: entry.pack, value }]);
    }
  }
  for (const cell of cells) {
    if (
      cell.rule !== undefined ||
      cell.raw.ref === undefined ||
      cell.raw.value === null ||
      cell.out.value === null
    )
      continue;
    if (!PERSON_UNITS.includes(cell.raw.unit)) continue;
    const exact = cell.raw.value;
    const close = earlier.get(cell.raw.ref)?.find((e) => {
      const difference = Math.abs(exact - e.value);
      return difference >= 1 && difference < policy.minPeople;
    });
    if (close === undefined) continue;
    cell.out = { value: null, symbol: '[c]', unit: cell.raw.unit, ref: cell.raw.ref };
    cell.rule = 'differencing';
    cell.detail = `differs from the figure published in pack ${close.pack} by 1 to ${policy.minPeople - 1} people`;
    cell.earlierPack = close.pack;
  }
}

const refOf = (cell: Working) => (cell.raw.ref === undefined ? {} : { ref: cell.raw.ref });
const smallFindings = (policy: PackDisclosurePolicy) =>
  `1 to ${policy.minPeople - 1} findings from one respondent group`;

/**
 * A count that may be shown as a wording band (`bandOf`) and is from 1 to `minPeople - 1` is hidden
 * as a primary `[c]` carrying the band of its share of the count it is part of; the audit later
 * takes the band back where it narrows the count too far.
 */
function applyBands(
  cells: readonly Working[],
  byRef: ReadonlyMap<string, readonly Working[]>,
  policy: PackDisclosurePolicy,
): void {
  for (const cell of cells) {
    const of = cell.raw.bandOf;
    const value = cell.raw.value;
    if (of === undefined || cell.rule !== undefined || value === null || cell.raw.symbol !== undefined)
      continue;
    if (value < 1 || value >= policy.minPeople) continue;
    const whole = byRef.get(of)?.[0]?.raw.value ?? null;
    cell.rule = 'primary';
    cell.out = { value: null, symbol: '[c]', unit: cell.raw.unit, ...refOf(cell) };
    if (whole === null || whole <= 0) {
      cell.detail = smallFindings(policy);
      continue;
    }
    const band = bandOf(value / whole);
    cell.out = { ...cell.out, band: { label: band.label, of, share: { min: band.min, max: band.max } } };
    cell.detail = `${smallFindings(policy)}, shown as "${band.label}" of the theme's findings`;
  }
}

function groupByRef(cells: readonly Working[]): Map<string, Working[]> {
  const groups = new Map<string, Working[]>();
  for (const cell of cells) {
    if (cell.raw.ref === undefined) continue;
    const group = groups.get(cell.raw.ref) ?? [];
    const first = group[0];
    if (first !== undefined && (first.raw.value !== cell.raw.value || first.raw.unit !== cell.raw.unit)) {
      throw new DisclosureInputError(`ref ${cell.raw.ref} holds different figures in two places`);
    }
    group.push(cell);
    groups.set(cell.raw.ref, group);
  }
  return groups;
}

/** Each `totalOf` as its members (total first), where every member is a count with a value. */
function sumsOf(table: RawTable, cells: readonly (readonly Working[])[]): Working[][] {
  const sums: Working[][] = [];
  const counted = (cell: Working | undefined): cell is Working =>
    cell !== undefined &&
    COUNT_UNITS.includes(cell.raw.unit) &&
    cell.raw.value !== null &&
    cell.raw.symbol === undefined;
  const add = (members: (Working | undefined)[]) => {
    if (members.length > 1 && members.every(counted)) sums.push(members);
  };
  const rowIndex = new Map(table.rows.map((h, i) => [h.id, i]));
  const columnIndex = new Map(table.columns.map((h, i) => [h.id, i]));
  table.rows.forEach((header, r) => {
    if (header.totalOf === undefined) return;
    const parts = header.totalOf.map((id) => rowIndex.get(id));
    if (parts.some((p) => p === undefined))
      throw new DisclosureInputError(`table ${table.id}: row ${header.id} totals an unknown row`);
    table.columns.forEach((_, c) => {
      add([cells[r]?.[c], ...parts.map((p) => cells[p as number]?.[c])]);
    });
  });
  table.columns.forEach((header, c) => {
    if (header.totalOf === undefined) return;
    const parts = header.totalOf.map((id) => columnIndex.get(id));
    if (parts.some((p) => p === undefined))
      throw new DisclosureInputError(`table ${table.id}: column ${header.id} totals an unknown column`);
    table.rows.forEach((_, r) => {
      add([cells[r]?.[c], ...parts.map((p) => cells[r]?.[p as number])]);
    });
  });
  return sums;
}

/**
 * The member to hide next: smallest first, a part before a total, and a zero last of all (a reader
 * knows a hidden person count is 0 or at least 10, so a hidden zero beside small counts stays 0).
 */
function bestCandidate(members: readonly Working[]): Working | undefined {
  const shown = members.filter((c) => c.out.symbol === undefined && c.raw.value !== null);
  shown.sort(
    (a, b) =>
      Number(a.raw.value === 0) - Number(b.raw.value === 0) ||
      Number(a.isTotal) - Number(b.isTotal) ||
      (a.raw.value ?? 0) - (b.raw.value ?? 0) ||
      a.table - b.table ||
      a.row - b.row ||
      a.column - b.column,
  );
  return shown[0];
}

function publishedTable(table: RawTable, cells: readonly (readonly Working[])[]): PackTable {
  return {
    id: table.id,
    title: table.title,
    ...(table.description === undefined ? {} : { description: table.description }),
    rowHeader: table.rowHeader,
    rows: table.rows.map((h) => ({ ...h, ...(h.totalOf === undefined ? {} : { totalOf: [...h.totalOf] }) })),
    columns: table.columns.map((h) => ({
      ...h,
      ...(h.totalOf === undefined ? {} : { totalOf: [...h.totalOf] }),
    })),
    cells: cells.map((row) => row.map((c) => ({ ...c.out }))),
    ...(table.notes === undefined ? {} : { notes: [...table.notes] }),
  };
}

function suppressionOf(cell: Working, tables: readonly RawTable[]): Suppression {
  const table = tables[cell.table];
  return {
    table: table?.id ?? '',
    row: table?.rows[cell.row]?.id ?? '',
    column: table?.columns[cell.column]?.id ?? '',
    rule: cell.rule ?? 'secondary',
    detail: (cell.detail ?? '').slice(0, 500),
    ...(cell.earlierPack === undefined ? {} : { earlierPack: cell.earlierPack }),
  };
}

function startsWithAny(ref: string | undefined, prefixes: readonly string[]): boolean {
  return ref !== undefined && prefixes.some((p) => ref.startsWith(p));
}
