import {
  type ComposedSection,
  countCell,
  headerId,
  notAvailable,
  rateCell,
  type SectionFold,
  siteRateRows,
  siteRows,
  spread,
  Tally,
} from './compose-table';
import { CAPITAL_CHECK_V1, type EvidenceCheck, type PackPeriod, type SiteId } from './evidence';
import type { RawCell, RawTable } from './pack-model';

const DAY = 86_400_000;
const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY);

/** What is kept per participant while reading: three checks at most, however many they had. */
interface Participant {
  site: SiteId;
  baseline?: EvidenceCheck;
  /** The earliest check after the baseline (follow-up or exit): was it on time? */
  first?: EvidenceCheck;
  /** The latest check after the baseline: the distance travelled is measured to it. */
  last?: EvidenceCheck;
}

/**
 * Capital checks (4.3, outcomes a-f). The cohort is the people with a baseline in the period; their
 * follow-ups and exits in the period are paired with it (checks after a baseline in an earlier
 * period are not counted, so a pack depends only on its own period).
 *
 * - Repeat checks: a person's follow-up is due once the window of 90 days ± 14 after the baseline
 *   has closed before the period ends; of those, how many had a repeat check (a follow-up or exit)
 *   inside the window, outside it, or none. Drop-off is itself a finding.
 * - Distance travelled, per strength domain: the latest check's score minus the baseline's, for
 *   every person with both; the median and quartiles (no minima or maxima), and how many improved,
 *   stayed the same or got worse.
 * - Barriers and unmet needs: of the same people, how many reported each at baseline and at their
 *   latest check.
 *
 * One pass over the checks; memory is three checks per participant.
 */
export function composeCapital(
  checks: readonly EvidenceCheck[],
  period: PackPeriod,
  sites: readonly SiteId[],
): ComposedSection {
  const fold = capitalFold(period, sites);
  for (const check of checks) fold.add(check);
  return fold.finish();
}

/**
 * {@link composeCapital} one check at a time: `add` every check (in any order of participants, each
 * participant's in the order read), then `finish` once. Memory is three checks per participant.
 */
export function capitalFold(period: PackPeriod, sites: readonly SiteId[]): SectionFold<EvidenceCheck> {
  const wanted = new Set<string>(sites);
  const people = new Map<string, Participant>();
  const add = (check: EvidenceCheck): void => {
    if (!wanted.has(check.site)) return;
    const key = `${check.site}/${check.participant}`;
    let person = people.get(key);
    if (!person) people.set(key, (person = { site: check.site }));
    if (check.kind === 'baseline') {
      person.baseline = check;
      return;
    }
    if (!person.first || check.date < person.first.date) person.first = check;
    if (!person.last || check.date > person.last.date) person.last = check;
  };
  return { add, finish: () => capitalSection(people, period, sites) };
}

function capitalSection(
  people: ReadonlyMap<string, Participant>,
  period: PackPeriod,
  sites: readonly SiteId[],
): ComposedSection {
  const { afterDays, windowDays } = CAPITAL_CHECK_V1.followUp;
  const counts = new Tally<string>();
  const paired: { baseline: EvidenceCheck; last: EvidenceCheck }[] = [];
  for (const person of people.values()) {
    const { baseline } = person;
    if (!baseline) continue;
    // Checks dated before the baseline cannot be its follow-ups (they belong to an earlier record).
    const first = person.first && person.first.date > baseline.date ? person.first : undefined;
    const last = person.last && person.last.date > baseline.date ? person.last : undefined;
    const rows = [person.site, 'all-sites'];
    for (const row of rows) counts.add(`${row}/baselines`);
    if (last) paired.push({ baseline, last });
    const windowCloses = daysBetween(baseline.date, period.to) > afterDays + windowDays;
    if (!windowCloses) continue;
    const outcome = !first
      ? 'none'
      : Math.abs(daysBetween(baseline.date, first.date) - afterDays) <= windowDays
        ? 'on-time'
        : 'off-time';
    for (const row of rows) {
      counts.add(`${row}/due`);
      counts.add(`${row}/${outcome}`);
    }
  }

  const rowKeys = [...sites, 'all-sites'];
  const rowRef = (row: string) => (row === 'all-sites' ? 'all' : row);
  const followUpColumns = [
    { id: 'baselines', label: 'Baselines' },
    { id: 'due', label: 'Follow-up due', totalOf: ['on-time', 'off-time', 'none'] },
    { id: 'on-time', label: 'Repeat check within the window' },
    { id: 'off-time', label: 'Repeat check outside the window' },
    { id: 'none', label: 'No repeat check' },
  ];
  const followUps: RawTable = {
    id: 'capital-follow-ups',
    title: 'Baselines and repeat capital checks, by site',
    description: `People with a baseline in the period. A follow-up is due ${afterDays} days after the baseline, within ${windowDays} days either side; it counts here once that window closed before the end of the period.`,
    rowHeader: 'Site',
    rows: siteRows(sites),
    columns: followUpColumns,
    cells: rowKeys.map((row) =>
      followUpColumns.map((c) =>
        countCell(counts.get(`${row}/${c.id}`), 'people', `capital.${c.id}.${rowRef(row)}`),
      ),
    ),
  };
  const followUpRates: RawTable = {
    id: 'capital-follow-up-rates',
    title: 'Share of people due a follow-up who had a repeat check, and who had it on time',
    rowHeader: 'Site',
    rows: siteRateRows(sites),
    columns: [
      { id: 'repeat', label: 'Had a repeat check' },
      { id: 'on-time', label: 'Had it within the window' },
    ],
    cells: rowKeys.map((row) => {
      const due = counts.get(`${row}/due`);
      return [
        rateCell(counts.get(`${row}/on-time`) + counts.get(`${row}/off-time`), due),
        rateCell(counts.get(`${row}/on-time`), due),
      ];
    }),
  };

  const domains = CAPITAL_CHECK_V1.sections.strengths.domains;
  const distance: RawTable = {
    id: 'capital-distance-travelled',
    title: 'Distance travelled per strength domain, from the baseline to the latest check',
    description:
      'People with a baseline and a later check in the period, all sites together. Change is the latest score minus the baseline score, on the domain’s scale.',
    rowHeader: 'Strength domain',
    rows: domains.map((d) => ({ id: headerId(d.id), label: `${d.title} (outcome ${d.outcome})` })),
    columns: [
      { id: 'paired', label: 'People with two checks', totalOf: ['improved', 'same', 'worse'] },
      { id: 'improved', label: 'Improved' },
      { id: 'same', label: 'Same' },
      { id: 'worse', label: 'Worse' },
      { id: 'median', label: 'Median change' },
      { id: 'lower-quartile', label: 'Lower quartile of change' },
      { id: 'upper-quartile', label: 'Upper quartile of change' },
    ],
    cells: domains.map((d): RawCell[] => {
      const changes = paired.flatMap(({ baseline, last }) => {
        const before = baseline.strengths[d.id];
        const after = last.strengths[d.id];
        return before === undefined || after === undefined ? [] : [after - before];
      });
      const ref = (what: string) => `capital.distance.${headerId(d.id)}.${what}`;
      const s = spread(changes);
      const order = (value: number | undefined): RawCell =>
        value === undefined
          ? { ...notAvailable('median'), base: 0 }
          : { value, unit: 'median', base: changes.length };
      return [
        countCell(changes.length, 'people', ref('paired')),
        countCell(changes.filter((c) => c > 0).length, 'people', ref('improved')),
        countCell(changes.filter((c) => c === 0).length, 'people', ref('same')),
        countCell(changes.filter((c) => c < 0).length, 'people', ref('worse')),
        order(s?.median),
        order(s?.lower),
        order(s?.upper),
      ];
    }),
    notes: [
      'Quartiles describe the spread of the middle half of the changes; the smallest and largest are never shown.',
    ],
  };

  const { barriers, needs } = CAPITAL_CHECK_V1.sections;
  const items = [
    ...barriers.items.map((i) => ({ section: 'barriers' as const, ...i })),
    ...needs.items.map((i) => ({ section: 'needs' as const, ...i })),
  ];
  const yes = (check: EvidenceCheck, section: 'barriers' | 'needs', id: string) =>
    (section === 'barriers' ? check.barriers[id] : check.needs[id]) === true;
  const barriersAndNeeds: RawTable = {
    id: 'capital-barriers-needs',
    title: 'Barriers and unmet support needs at baseline and at the latest check',
    description:
      'The same people as the distance travelled: those with a baseline and a later check in the period, all sites together.',
    rowHeader: 'Barrier or unmet need',
    rows: items.map((i) => ({
      id: `${i.section}.${headerId(i.id)}`,
      label: `${i.section === 'barriers' ? 'Barrier' : 'Unmet need'}: ${i.text}`,
    })),
    columns: [
      { id: 'baseline', label: 'At baseline' },
      { id: 'latest', label: 'At the latest check' },
    ],
    cells: items.map((i) => {
      const ref = (what: string) => `capital.${i.section}.${headerId(i.id)}.${what}`;
      return [
        countCell(paired.filter((p) => yes(p.baseline, i.section, i.id)).length, 'people', ref('baseline')),
        countCell(paired.filter((p) => yes(p.last, i.section, i.id)).length, 'people', ref('latest')),
      ];
    }),
  };

  return {
    id: '4.3',
    title: 'Assessment: capital checks and distance travelled',
    outcomes: ['a', 'b', 'c', 'd', 'e', 'f'],
    paragraphs: [
      'Link workers assess each person’s social and community capital with a short strengths-based check: a baseline when they start, then a follow-up every 90 days and an exit check. The check asks about recent barriers, unmet support needs and strengths in six domains, each tied to one of the programme’s person-level outcomes.',
      'Whether follow-ups happen is itself a finding: people who stop engaging before their follow-up have no distance travelled, so the distance travelled describes those who stayed, not everyone who started.',
      'With numbers this small, differences between baseline and follow-up cannot be tested statistically; they show direction, not proof of effect.',
    ],
    tables: [followUps, followUpRates, distance, barriersAndNeeds],
    quotes: [],
  };
}
