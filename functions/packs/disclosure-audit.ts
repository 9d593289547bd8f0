import { solve, type Constraint, type Model } from 'yalps';
import type { PackDisclosurePolicy } from './disclosure-policy';
import type { Ledger, LedgerPeriod } from './ledger';
import {
  COUNT_UNITS,
  PERSON_UNITS,
  type CellUnit,
  type PackCell,
  type PackTable,
  type Suppression,
} from './pack-model';

/**
 * The solver behind the audit. yalps is pure TypeScript (MIT), solves integer programs by branch
 * and cut, runs synchronously and bundles into the builder as plain JavaScript; HiGHS would need its
 * WebAssembly file shipped and loaded beside the bundle, for problems (one table's sums at a time)
 * far below the size where it would be faster.
 */
export const AUDIT_SOLVER = 'yalps 0.6.4 (integer branch and cut)';

/**
 * The cap on a hidden count known only to be 0 or at least 10 (an integer program needs one) when
 * the published sums leave it unbounded; a range reaching past half of it is unbounded. No pack
 * counts half a million people. A count the sums do bound is capped at that bound instead (see
 * `capOf`): a loose cap made one table's audit take seconds of branch and cut, a tight one
 * milliseconds.
 */
const UNBOUNDED = 1_000_000;

/**
 * The branch-and-cut budget of one bound. A count of steps, not a time: the same pack gets the same
 * audit on any machine under any load (a time limit made the answer depend on how busy the machine
 * was). A bound the solver cannot settle within it counts as too narrow: control hides more, and a
 * pack whose final audit still has one is not published. Over the property tests' random tables, 3
 * bounds in 5,370 reach it (about 150 ms each); with four times the budget, 2 still did, after about
 * a second each.
 */
const SOLVER_ITERATIONS = 8_192;

export interface AuditOptions {
  /**
   * The pack's disclosure report, which a reader holds: a `[c]` reported as `primary` is known to
   * hold 1 to 9 people; one reported as `secondary` or `differencing` holds a count that was big
   * enough to show (0, or 10 and more). A person count shown `[c]` with no entry is read as 1 to 9.
   */
  readonly suppressed?: readonly Suppression[];
  /** The pack's period: ledger figures of the same `ref` and period are the same quantity. */
  readonly period?: LedgerPeriod;
}

export interface AuditResult {
  readonly passed: boolean;
  readonly solver: string;
  readonly cellsChecked: number;
  /** Every `[c]` cell with the range of whole numbers consistent with everything published. */
  readonly suppressed: Suppression[];
  /** The cells left too narrow (or that the solver could not decide): the pack must not be published. */
  readonly failures: Suppression[];
}

/** What a reader knows of one quantity before any sum: whole numbers in [lo, hi], maybe not 1..k-1. */
interface Knowledge {
  lo: number;
  hi: number | null;
  /** Known to be 0 or at least the policy's `minPeople` (a count that was big enough to show). */
  notSmall: boolean;
  /** Known to hold 1 to `minPeople - 1` people (a primary `[c]`). */
  small: boolean;
  /** Hidden because its difference from an earlier pack's figure is small: that difference is protected. */
  differencing: boolean;
}

interface Equation {
  /** A linear form over the variables, as coefficients per variable: total - sum(parts), say. */
  readonly terms: Map<number, number>;
  /** The form is `= 0` (a sum), or `>= 0` / `<= 0` (one side of a rate's rounding interval). */
  readonly bound?: 'min' | 'max';
}

interface SuppressedAt {
  readonly suppression: Suppression;
  readonly variable: number;
  readonly ref: string | undefined;
}

const isCount = (unit: CellUnit) => COUNT_UNITS.includes(unit);
const isPerson = (unit: CellUnit) => PERSON_UNITS.includes(unit);

/**
 * The attacker's audit: what could a reader holding this pack, its disclosure report and every
 * earlier pack work out about each hidden figure?
 *
 * Every count the pack and the ledger publish becomes a whole-number unknown: a shown exact figure is
 * fixed, a rounded one lies in its rounding interval (nearest 5: v-2 to v+2, and at least 10 since
 * smaller counts are never rounded), a primary `[c]` lies in 1 to 9, a secondary `[c]` is 0 or at
 * least 10, any other hidden count is at least 0. Cells with the same `ref` are one unknown; every
 * `totalOf` is an equation, and every shown rate two inequalities on the counts it divides (its
 * rounding interval times its base). For each `[c]` the smallest and largest feasible values are found by
 * integer programming, and reported. The pack passes when every primary `[c]` (which the reader
 * already knows to be 1 to 9) keeps a range at least `auditMinRangeSmall` wide, so the reader can
 * neither name it nor tell one or two from eight or nine, and every `differencing` `[c]` keeps a
 * range at least `auditMinRange` wide or unbounded, so its difference from the earlier pack stays
 * hidden. A secondary `[c]` holds a figure that could have been shown (0, or 10 and more): its range
 * is reported but not required, or a total of two small parts (10 to 18 from their bounds alone)
 * would make a table unpublishable while protecting nobody.
 *
 * @example
 * const audit = auditDisclosure(result.tables, ledger, policy, { suppressed: result.suppressed, period });
 * if (!audit.passed) throw new Error('the pack discloses: ' + audit.failures.map((f) => f.detail).join('; '));
 */
export function auditDisclosure(
  tables: readonly PackTable[],
  ledger: Ledger,
  policy: PackDisclosurePolicy,
  options: AuditOptions = {},
): AuditResult {
  const k = policy.minPeople;
  const reported = new Map((options.suppressed ?? []).map((s) => [cellKey(s.table, s.row, s.column), s]));
  const variables = new Map<string, number>();
  const knowledge: Knowledge[] = [];
  const variableOf = (name: string): number => {
    let index = variables.get(name);
    if (index === undefined) {
      index = knowledge.length;
      variables.set(name, index);
      knowledge.push({ lo: 0, hi: null, notSmall: false, small: false, differencing: false });
    }
    return index;
  };
  const learn = (index: number, known: Knowledge) => {
    const current = knowledge[index];
    if (current === undefined) return;
    current.lo = Math.max(current.lo, known.lo);
    current.hi =
      current.hi === null ? known.hi : known.hi === null ? current.hi : Math.min(current.hi, known.hi);
    current.notSmall ||= known.notSmall;
    current.small ||= known.small;
    current.differencing ||= known.differencing;
  };

  const hidden: SuppressedAt[] = [];
  const cellVariables: (number | undefined)[][][] = tables.map((table) =>
    table.cells.map((row, r) =>
      row.map((cell, c) => {
        if (!isCount(cell.unit) || cell.symbol === '[x]' || cell.symbol === '[z]') return undefined;
        const rowId = table.rows[r]?.id ?? `${r}`;
        const columnId = table.columns[c]?.id ?? `${c}`;
        const variable = variableOf(
          cell.ref === undefined ? `cell:${cellKey(table.id, rowId, columnId)}` : `ref:${cell.ref}`,
        );
        const report = reported.get(cellKey(table.id, rowId, columnId));
        learn(variable, knowledgeOf(cell, report?.rule, policy));
        if (cell.symbol === '[c]') {
          hidden.push({
            variable,
            ref: cell.ref,
            suppression: report ?? {
              table: table.id,
              row: rowId,
              column: columnId,
              rule: isPerson(cell.unit) ? 'primary' : 'secondary',
              detail: isPerson(cell.unit) ? 'hidden as [c], read as 1 to 9 people' : 'hidden as [c]',
            },
          });
        }
        return variable;
      }),
    ),
  );

  for (const entry of ledger) {
    if (
      options.period === undefined ||
      entry.period.from !== options.period.from ||
      entry.period.to !== options.period.to
    ) {
      continue;
    }
    for (const figure of entry.figures) {
      const variable = variables.get(`ref:${figure.ref}`);
      // A figure hidden for differencing is, by its rule, not the quantity an earlier pack showed
      // under its ref (the records changed since): binding the two would model a reader who
      // believes a contradiction. Its protection is checked against the earlier figure's own
      // uncertainty instead (`earlierWidth`).
      if (
        variable === undefined ||
        knowledge[variable]?.differencing === true ||
        !isCount(figure.unit) ||
        figure.symbol === '[x]' ||
        figure.symbol === '[z]'
      )
        continue;
      learn(variable, knowledgeOf(figure, figure.rule, policy));
    }
  }

  const rateConstraints = tables.flatMap((table) =>
    table.cells.flatMap((row) =>
      row.flatMap((cell) => [
        ...rateConstraintsOf(cell, variableOf, policy),
        ...bandConstraintsOf(cell, variableOf),
      ]),
    ),
  );
  const equations = [
    ...tables.flatMap((table, t) => equationsOf(table, cellVariables[t] ?? [])),
    ...rateConstraints,
  ];
  const components = connect(knowledge.length, equations);
  const ranges = new Map<number, { min: number; max: number | null } | string>();
  for (const { variable } of hidden) {
    if (!ranges.has(variable)) ranges.set(variable, feasibleRange(variable, knowledge, components, k));
  }

  const suppressed: Suppression[] = [];
  const failures: Suppression[] = [];
  for (const { variable, suppression, ref } of hidden) {
    const range = ranges.get(variable) ?? 'not solved';
    if (typeof range === 'string') {
      const failed = { ...suppression, detail: `${suppression.detail}; audit: ${range}`.slice(0, 500) };
      suppressed.push(failed);
      failures.push(failed);
      continue;
    }
    const audited: Suppression = { ...suppression, feasible: range };
    suppressed.push(audited);
    const known = knowledge[variable];
    // For a differencing cell what is protected is its difference from the earlier figure, which
    // is as uncertain as both figures together.
    const earlier = suppression.rule === 'differencing' ? earlierWidth(suppression, ref, ledger, policy) : 0;
    const width = range.max === null ? Infinity : range.max - range.min + earlier;
    const safe = known?.small
      ? width >= policy.auditMinRangeSmall
      : known?.differencing
        ? width >= policy.auditMinRange
        : true;
    if (!safe) {
      failures.push({
        ...audited,
        detail: `${suppression.detail}; a reader can narrow it to ${range.min} to ${range.max}`.slice(0, 500),
      });
    }
  }
  return {
    passed: failures.length === 0,
    solver: AUDIT_SOLVER,
    cellsChecked: hidden.length,
    suppressed,
    failures,
  };
}

export function cellKey(table: string, row: string, column: string): string {
  return `${table}/${row}/${column}`;
}

/** How uncertain the earlier pack's figure is that a differencing cell was compared with. */
function earlierWidth(
  suppression: Suppression,
  ref: string | undefined,
  ledger: Ledger,
  policy: PackDisclosurePolicy,
): number {
  const pack = suppression.earlierPack;
  const figure = ledger.find((e) => e.pack === pack)?.figures.find((f) => f.ref === ref);
  if (figure === undefined) return 0;
  const known = knowledgeOf(figure, figure.rule, policy);
  return known.hi === null ? Infinity : known.hi - known.lo;
}

/** What one published figure tells a reader about its quantity. */
function knowledgeOf(
  cell: Pick<PackCell, 'value' | 'symbol' | 'unit' | 'rounded' | 'band'>,
  rule: Suppression['rule'] | undefined,
  policy: PackDisclosurePolicy,
): Knowledge {
  const person = isPerson(cell.unit);
  const nothing = { notSmall: false, small: false, differencing: false };
  if (cell.symbol === '[c]' || cell.value === null) {
    // A worded count (findings from a respondent group) is hidden because it is small, as a person count.
    if (!person && cell.band === undefined && !(rule === 'primary' && cell.symbol === '[c]')) {
      return { lo: 0, hi: null, ...nothing };
    }
    if (rule === 'secondary' || rule === 'differencing') {
      return { lo: 0, hi: null, ...nothing, notSmall: true, differencing: rule === 'differencing' };
    }
    return { lo: 1, hi: policy.minPeople - 1, ...nothing, small: true };
  }
  if (cell.rounded === true) {
    // Math.round(x / r) * r = v exactly when v - r/2 <= x < v + r/2.
    const half = policy.roundTo / 2;
    const lo = Math.ceil(cell.value - half);
    const hi = Math.ceil(cell.value + half) - 1;
    return { lo: person ? Math.max(lo, policy.minPeople) : Math.max(lo, 0), hi, ...nothing };
  }
  return { lo: cell.value, hi: cell.value, ...nothing };
}

/**
 * A shown rate r (a percentage rounded to `rateDecimals`, so within h/2 of the exact share, h one
 * unit of its last decimal) of numerator n over base b, as the two constraints a reader holding the
 * base can use: n - (r - h/2) b >= 0 and n - (r + h/2) b <= 0. Numerator and base are sums of the
 * counts the rate names by `ref`.
 */
function rateConstraintsOf(
  cell: PackCell,
  variableOf: (name: string) => number,
  policy: PackDisclosurePolicy,
): Equation[] {
  if (cell.unit !== 'rate' || cell.value === null || cell.rateOf === undefined) return [];
  const halfStep = 0.5 * 10 ** -policy.rateDecimals;
  const lower = Math.max(0, (cell.value - halfStep) / 100);
  const upper = (cell.value + halfStep) / 100;
  const side = (share: number, bound: 'min' | 'max'): Equation => {
    const terms = new Map<number, number>();
    const add = (ref: string, coefficient: number) => {
      const variable = variableOf(`ref:${ref}`);
      terms.set(variable, (terms.get(variable) ?? 0) + coefficient);
    };
    for (const ref of cell.rateOf?.numerator ?? []) add(ref, 1);
    for (const ref of cell.rateOf?.base ?? []) add(ref, -share);
    return { terms, bound };
  };
  return [side(lower, 'min'), side(upper, 'max')];
}

/**
 * A count shown as a wording band, a share from `min` to `max` of another count w, as the two
 * constraints n - min w >= 0 and n - max w <= 0 (with n from 1 to 9, as any primary `[c]`).
 */
function bandConstraintsOf(cell: PackCell, variableOf: (name: string) => number): Equation[] {
  if (cell.band === undefined || cell.ref === undefined || cell.symbol !== '[c]') return [];
  const count = variableOf(`ref:${cell.ref}`);
  const whole = variableOf(`ref:${cell.band.of}`);
  const side = (share: number, bound: 'min' | 'max'): Equation => ({
    terms: new Map([
      [count, 1],
      [whole, -share],
    ]),
    bound,
  });
  return [side(cell.band.share.min, 'min'), side(cell.band.share.max, 'max')];
}

/** Every `totalOf` of a table as total - sum(parts) = 0, where every cell in it is a count. */
function equationsOf(table: PackTable, variables: readonly (readonly (number | undefined)[])[]): Equation[] {
  const equations: Equation[] = [];
  const add = (total: number | undefined, parts: readonly (number | undefined)[]) => {
    if (total === undefined || parts.length === 0 || parts.some((p) => p === undefined)) return;
    const terms = new Map<number, number>([[total, 1]]);
    for (const part of parts as number[]) terms.set(part, (terms.get(part) ?? 0) - 1);
    equations.push({ terms });
  };
  const rowIndex = new Map(table.rows.map((h, i) => [h.id, i]));
  const columnIndex = new Map(table.columns.map((h, i) => [h.id, i]));
  table.rows.forEach((header, r) => {
    const parts = (header.totalOf ?? []).map((id) => rowIndex.get(id));
    if (parts.length === 0 || parts.some((p) => p === undefined)) return;
    table.columns.forEach((_, c) => {
      add(
        variables[r]?.[c],
        parts.map((p) => variables[p as number]?.[c]),
      );
    });
  });
  table.columns.forEach((header, c) => {
    const parts = (header.totalOf ?? []).map((id) => columnIndex.get(id));
    if (parts.length === 0 || parts.some((p) => p === undefined)) return;
    table.rows.forEach((_, r) => {
      add(
        variables[r]?.[c],
        parts.map((p) => variables[r]?.[p as number]),
      );
    });
  });
  return equations;
}

interface Component {
  readonly variables: number[];
  readonly equations: Equation[];
}

/** Splits the unknowns into groups linked by sums, so each integer program is one group's. */
function connect(count: number, equations: readonly Equation[]): Map<number, Component> {
  const parent = Array.from({ length: count }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[i] !== root) {
      const next = parent[i] ?? root;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  for (const equation of equations) {
    const [first, ...rest] = [...equation.terms.keys()];
    if (first === undefined) continue;
    for (const other of rest) parent[find(other)] = find(first);
  }
  const byRoot = new Map<number, Component>();
  for (let i = 0; i < count; i++) {
    const root = find(i);
    let component = byRoot.get(root);
    if (component === undefined) {
      component = { variables: [], equations: [] };
      byRoot.set(root, component);
    }
    component.variables.push(i);
  }
  for (const equation of equations) {
    const first = equation.terms.keys().next().value;
    if (first !== undefined) byRoot.get(find(first))?.equations.push(equation);
  }
  const byVariable = new Map<number, Component>();
  for (const component of byRoot.values()) for (const v of component.variables) byVariable.set(v, component);
  return byVariable;
}

/** The smallest and largest whole number the variable can take, or why the solver could not say. */
function feasibleRange(
  target: number,
  knowledge: readonly Knowledge[],
  components: ReadonlyMap<number, Component>,
  minPeople: number,
): { min: number; max: number | null } | string {
  const component = components.get(target);
  const own = knowledge[target];
  if (component === undefined || own === undefined) return 'not modelled';
  if (component.equations.length === 0) {
    const lo = own.notSmall && own.lo >= 1 ? Math.max(own.lo, minPeople) : own.lo;
    return { min: lo, max: own.hi };
  }
  const min = optimise('minimize', target, component, knowledge, minPeople);
  if (typeof min === 'string') return min;
  const max = optimise('maximize', target, component, knowledge, minPeople);
  if (typeof max === 'string') return max;
  return { min: min ?? 0, max: max === null || max > UNBOUNDED / 2 ? null : max };
}

function optimise(
  direction: 'minimize' | 'maximize',
  target: number,
  component: Component,
  knowledge: readonly Knowledge[],
  minPeople: number,
): number | null | string {
  const constraints = new Map<string, Constraint>();
  const coefficients = new Map<string, Map<string, number>>();
  const integers = new Set<string>();
  const binaries = new Set<string>();
  const put = (variable: string, constraint: string, value: number) => {
    let entry = coefficients.get(variable);
    if (entry === undefined) {
      entry = new Map();
      coefficients.set(variable, entry);
    }
    entry.set(constraint, value);
  };
  for (const v of component.variables) {
    const known = knowledge[v];
    if (known === undefined) continue;
    const x = `x${v}`;
    integers.add(x);
    put(x, `b${v}`, 1);
    if (v === target) put(x, 'objective', 1);
    const hi = known.hi ?? (known.notSmall ? capOf(v, component, knowledge) : undefined);
    constraints.set(`b${v}`, hi === undefined ? { min: known.lo } : { min: known.lo, max: hi });
    if (known.notSmall && known.lo < minPeople && (known.hi === null || known.hi >= minPeople)) {
      if (known.lo >= 1) {
        constraints.set(`b${v}`, hi === undefined ? { min: minPeople } : { min: minPeople, max: hi });
      } else {
        // 0 or at least minPeople: x - minPeople*z >= 0 and x - M*z <= 0 with z in {0, 1}.
        const z = `z${v}`;
        binaries.add(z);
        put(x, `g${v}`, 1);
        put(z, `g${v}`, -minPeople);
        put(x, `h${v}`, 1);
        put(z, `h${v}`, -(hi ?? UNBOUNDED));
        constraints.set(`g${v}`, { min: 0 });
        constraints.set(`h${v}`, { max: 0 });
      }
    } else if (known.notSmall && known.hi !== null && known.hi < minPeople) {
      constraints.set(`b${v}`, { equal: 0 });
    }
  }
  component.equations.forEach((equation, e) => {
    for (const [v, coefficient] of equation.terms) put(`x${v}`, `e${e}`, coefficient);
    constraints.set(
      `e${e}`,
      equation.bound === 'min' ? { min: 0 } : equation.bound === 'max' ? { max: 0 } : { equal: 0 },
    );
  });
  const model: Model = {
    direction,
    objective: 'objective',
    constraints,
    variables: coefficients,
    integers,
    binaries,
  };
  const solution = solve(model, { maxIterations: SOLVER_ITERATIONS });
  if (solution.status === 'unbounded') return direction === 'maximize' ? null : 'unbounded below';
  if (solution.status === 'infeasible') return 'published figures contradict one another';
  if (solution.status !== 'optimal') return `solver ${solution.status}`;
  return Math.round(solution.result);
}

const caps = new WeakMap<Component, Map<number, number>>();

/**
 * The largest value a hidden count can take under the published sums and its own range, ignoring
 * that counts are whole and that some are 0 or at least 10: a linear program, solved in
 * milliseconds. Every whole-number answer lies within it, so capping the count there removes none,
 * and the integer program's relaxation is tight enough for branch and cut to settle quickly.
 */
function capOf(variable: number, component: Component, knowledge: readonly Knowledge[]): number {
  let known = caps.get(component);
  if (known === undefined) {
    known = new Map();
    caps.set(component, known);
  }
  const cached = known.get(variable);
  if (cached !== undefined) return cached;
  const constraints = new Map<string, Constraint>();
  const coefficients = new Map<string, Map<string, number>>();
  const put = (name: string, constraint: string, value: number) => {
    const entry = coefficients.get(name) ?? new Map<string, number>();
    entry.set(constraint, value);
    coefficients.set(name, entry);
  };
  for (const v of component.variables) {
    const own = knowledge[v];
    if (own === undefined) continue;
    put(`x${v}`, `b${v}`, 1);
    if (v === variable) put(`x${v}`, 'objective', 1);
    constraints.set(`b${v}`, own.hi === null ? { min: own.lo } : { min: own.lo, max: own.hi });
  }
  component.equations.forEach((equation, e) => {
    for (const [v, coefficient] of equation.terms) put(`x${v}`, `e${e}`, coefficient);
    constraints.set(
      `e${e}`,
      equation.bound === 'min' ? { min: 0 } : equation.bound === 'max' ? { max: 0 } : { equal: 0 },
    );
  });
  const relaxed = solve({
    direction: 'maximize',
    objective: 'objective',
    constraints,
    variables: coefficients,
  });
  // One more than the relaxed bound, so rounding in the simplex never cuts off a whole number.
  const cap =
    relaxed.status === 'optimal' && Number.isFinite(relaxed.result)
      ? Math.min(UNBOUNDED, Math.ceil(relaxed.result) + 1)
      : UNBOUNDED;
  known.set(variable, cap);
  return cap;
}
