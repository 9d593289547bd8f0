/** The programme's disclosure policy: the smallest group of distinct people any figure may describe. */
export interface DisclosurePolicy {
  readonly minGroupSize: number;
}

export const DEFAULT_DISCLOSURE_POLICY: DisclosurePolicy = { minGroupSize: 5 };

export type Disclosure = { readonly shown: true } | { readonly shown: false; readonly reason: string };

export interface NestedDisclosure<K extends string> {
  readonly total: Disclosure;
  readonly parts: Readonly<Record<K, Disclosure>>;
}

/**
 * Decides which of a total and its disjoint parts (the programme and its sites) may be shown.
 *
 * - Primary suppression: a group of fewer than `minGroupSize` distinct people is never shown.
 * - Differencing: when the total is shown, the people it holds beyond the shown parts must number
 *   zero or at least `minGroupSize`; otherwise the smallest shown part is suppressed too, so nobody
 *   can subtract their way down to a small group.
 *
 * @example
 * suppressSmallGroups(9, { a: 3, b: 3, c: 3 }, { minGroupSize: 5 })
 * // total shown; a, b and c suppressed (fewer than 5 each)
 */
export function suppressSmallGroups<K extends string>(
  total: number,
  parts: Readonly<Record<K, number>>,
  policy: DisclosurePolicy,
): NestedDisclosure<K> {
  const k = policy.minGroupSize;
  const tooFew: Disclosure = { shown: false, reason: `fewer than ${k} distinct respondents` };
  const keys = Object.keys(parts) as K[];
  const decisions = {} as Record<K, Disclosure>;
  const shown = new Set<K>();
  for (const key of keys) {
    if (parts[key] >= k) shown.add(key);
    else decisions[key] = tooFew;
  }
  const totalShown = total >= k;
  if (totalShown) {
    const residual = () => total - [...shown].reduce((sum, key) => sum + parts[key], 0);
    while (residual() > 0 && residual() < k && shown.size > 0) {
      const smallest = [...shown].sort((a, b) => parts[a] - parts[b])[0] as K;
      shown.delete(smallest);
      decisions[smallest] = {
        shown: false,
        reason: `suppressed so that it cannot be worked out from the other figures (fewer than ${k} would remain)`,
      };
    }
  }
  for (const key of shown) decisions[key] = { shown: true };
  return { total: totalShown ? { shown: true } : tooFew, parts: decisions };
}
