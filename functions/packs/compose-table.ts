import { quantileSorted } from 'd3-array';
import type { CellUnit, Header, PackSection, RateOf, RawCell, RawTable, SectionId } from './pack-model';
import { SITES, type SiteId } from './evidence';

/** A section before disclosure control: its tables hold exact figures. */
export interface ComposedSection {
  readonly id: SectionId;
  readonly title: string;
  readonly outcomes: readonly string[];
  readonly paragraphs: readonly string[];
  readonly tables: readonly RawTable[];
  readonly quotes: PackSection['quotes'];
}

/**
 * A section composed one record at a time: `add` each record of its stream in the order read, then
 * `finish` once. What it keeps between records is bounded by people and table cells, not records.
 */
export interface SectionFold<T, R = ComposedSection> {
  readonly add: (record: T) => void;
  readonly finish: () => R;
}

/** A count: exact, with the stable name of what it counts. */
export const countCell = (value: number, unit: CellUnit, ref: string): RawCell => ({ value, unit, ref });

/** Nothing to show: no data, or too few to compute (`[x]`). */
export const notAvailable = (unit: CellUnit, ref?: string): RawCell => ({
  value: null,
  unit,
  symbol: '[x]',
  ...(ref ? { ref } : {}),
});

/**
 * A share of `base`, exact (rounding is disclosure control's); `[x]` when the base is zero. `of`
 * names the counts it divides, so the disclosure audit can model what the rate says about them.
 */
export const rateCell = (part: number, base: number, of: RateOf): RawCell =>
  base === 0 ? { ...notAvailable('rate'), base } : { value: part / base, unit: 'rate', base, rateOf: of };

/** The median and quartiles of some values (linear interpolation between order statistics). */
export function spread(values: readonly number[]): { median: number; lower: number; upper: number } | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    median: quantileSorted(sorted, 0.5) ?? Number.NaN,
    lower: quantileSorted(sorted, 0.25) ?? Number.NaN,
    upper: quantileSorted(sorted, 0.75) ?? Number.NaN,
  };
}

/** The rows of a by-site table: one per site of the pack, then all of them as their total. */
export function siteRows(sites: readonly SiteId[]): Header[] {
  return [
    ...sites.map((site) => ({ id: site, label: siteName(site) })),
    { id: 'all-sites', label: 'All sites', totalOf: [...sites] },
  ];
}

/** The rows of a by-site table of rates: every site, then the programme (not a sum). */
export function siteRateRows(sites: readonly SiteId[]): Header[] {
  return [
    ...sites.map((site) => ({ id: site, label: siteName(site) })),
    { id: 'all-sites', label: 'All sites' },
  ];
}

export const siteName = (site: SiteId): string => SITES.find((s) => s.id === site)?.name ?? site;

/** Header ids allow lower-case letters, digits and `. : _ -`: a code such as `emotionalLoad` is turned into `emotional-load`. */
export const headerId = (code: string): string =>
  code
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9.:_-]+/g, '-');

/** Counts by key, adding `by` (default 1) each time; one pass. */
export class Tally<K> {
  private readonly counts = new Map<K, number>();
  add(key: K, by = 1): void {
    this.counts.set(key, (this.counts.get(key) ?? 0) + by);
  }
  get(key: K): number {
    return this.counts.get(key) ?? 0;
  }
}

/** Distinct members by key (people, sites, groups); one pass. */
export class DistinctTally<K> {
  private readonly sets = new Map<K, Set<string>>();
  add(key: K, member: string): void {
    let set = this.sets.get(key);
    if (!set) this.sets.set(key, (set = new Set()));
    set.add(member);
  }
  get(key: K): number {
    return this.sets.get(key)?.size ?? 0;
  }
  members(key: K): ReadonlySet<string> {
    return this.sets.get(key) ?? new Set();
  }
}
