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

const { barriers: BARRIERS, needs: NEEDS, strengths: STRENGTHS } = CAPITAL_CHECK_V1.sections;
const DOMAINS = STRENGTHS.domains;

/**
 * What the tables need of one check, kept small because one is kept per participant: its date,
 * its strength scores in the order of the domains, and its barriers and needs as bits (bit i set
 * when item i was answered `true`).
 */
interface CheckAnswers {
  readonly date: string;
  readonly strengths: readonly (number | undefined)[];
  readonly barriers: number;
  readonly needs: number;
}

function bitsOf(
  answers: Readonly<Record<string, boolean>>,
  items: readonly { readonly id: string }[],
): number {
  let bits = 0;
  for (let i = 0; i < items.length; i++) if (answers[items[i]?.id ?? ''] === true) bits |= 1 << i;
  return bits;
}

function answersOf(check: EvidenceCheck): CheckAnswers {
  const strengths: (number | undefined)[] = [];
  for (const d of DOMAINS) strengths.push(check.strengths[d.id]);
  return {
    date: check.date,
    strengths,
    barriers: bitsOf(check.barriers, BARRIERS.items),
    needs: bitsOf(check.needs, NEEDS.items),
  };
}

/** What is kept per participant while reading: two checks' answers and a date, however many they had. */
interface Participant {
  baseline?: CheckAnswers;
  /** The date of the earliest check after the baseline (follow-up or exit): was it on time? */
  first?: string;
  /** The latest check after the baseline: the distance travelled is measured to it. */
  last?: CheckAnswers;
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
 * One pass over the checks; memory is two checks' answers per participant.
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
 * participant's in the order read), then `finish` once.
 */
export function capitalFold(period: PackPeriod, sites: readonly SiteId[]): SectionFold<EvidenceCheck> {
  /** Per site of the pack, its participants by pseudonym. */
  const bySite = new Map<string, Map<string, Participant>>(sites.map((site) => [site, new Map()]));
  const add = (check: EvidenceCheck): void => {
    const people = bySite.get(check.site);
    if (!people) return;
    let person = people.get(check.participant);
    if (!person) people.set(check.participant, (person = {}));
    if (check.kind === 'baseline') {
      person.baseline = answersOf(check);
      return;
    }
    if (person.first === undefined || check.date < person.first) person.first = check.date;
    if (!person.last || check.date > person.last.date) person.last = answersOf(check);
  };
  return {
    add,
    finish: () => capitalSection(bySite, period, sites),
  };
}

function capitalSection(
  bySite: ReadonlyMap<string, ReadonlyMap<string, Participant>>,
  period: PackPeriod,
  sites: readonly SiteId[],
): ComposedSection {
  const { afterDays, windowDays } = CAPITAL_CHECK_V1.followUp;
  const counts = new Tally<string>();
  const paired: { baseline: CheckAnswers; last: CheckAnswers }[] = [];
  // Dates are days of a period: each is parsed once.
  const parsed = new Map<string, number>();
  const time = (date: string) => {
    let ms = parsed.get(date);
    if (ms === undefined) parsed.set(date, (ms = Date.parse(date)));
    return ms;
  };
  const daysBetween = (from: string, to: string) => Math.round((time(to) - time(from)) / DAY);
  for (const [site, people] of bySite) {
    const n = { baselines: 0, due: 0, 'on-time': 0, 'off-time': 0, none: 0 };
    for (const person of people.values()) {
      const { baseline } = person;
      if (!baseline) continue;
      // Checks dated before the baseline cannot be its follow-ups (they belong to an earlier record).
      const first = person.first !== undefined && person.first > baseline.date ? person.first : undefined;
      const last = person.last && person.last.date > baseline.date ? person.last : undefined;
      n.baselines += 1;
      if (last) paired.push({ baseline, last });
      const windowCloses = daysBetween(baseline.date, period.to) > afterDays + windowDays;
      if (!windowCloses) continue;
      const outcome =
        first === undefined
          ? 'none'
          : Math.abs(daysBetween(baseline.date, first) - afterDays) <= windowDays
            ? 'on-time'
            : 'off-time';
      n.due += 1;
      n[outcome] += 1;
    }
    for (const [column, count] of Object.entries(n)) {
      counts.add(`${site}/${column}`, count);
      counts.add(`all-sites/${column}`, count);
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
      const of = (what: string) => `capital.${what}.${rowRef(row)}`;
      return [
        rateCell(counts.get(`${row}/on-time`) + counts.get(`${row}/off-time`), due, {
          numerator: [of('on-time'), of('off-time')],
          base: [of('due')],
        }),
        rateCell(counts.get(`${row}/on-time`), due, { numerator: [of('on-time')], base: [of('due')] }),
      ];
    }),
  };

  // One pass over the people with two checks: each domain's changes, each item's counts.
  const changesOf = DOMAINS.map((): number[] => []);
  const itemCounts = {
    barriers: { baseline: BARRIERS.items.map(() => 0), latest: BARRIERS.items.map(() => 0) },
    needs: { baseline: NEEDS.items.map(() => 0), latest: NEEDS.items.map(() => 0) },
  };
  for (const { baseline, last } of paired) {
    for (let d = 0; d < DOMAINS.length; d++) {
      const before = baseline.strengths[d];
      const after = last.strengths[d];
      if (before !== undefined && after !== undefined) changesOf[d]?.push(after - before);
    }
    for (const section of ['barriers', 'needs'] as const) {
      const tally = itemCounts[section];
      for (let i = 0; i < tally.baseline.length; i++) {
        if (baseline[section] & (1 << i)) tally.baseline[i] = (tally.baseline[i] ?? 0) + 1;
        if (last[section] & (1 << i)) tally.latest[i] = (tally.latest[i] ?? 0) + 1;
      }
    }
  }
  const distance: RawTable = {
    id: 'capital-distance-travelled',
    title: 'Distance travelled per strength domain, from the baseline to the latest check',
    description:
      'People with a baseline and a later check in the period, all sites together. Change is the latest score minus the baseline score, on the domain’s scale.',
    rowHeader: 'Strength domain',
    rows: DOMAINS.map((d) => ({ id: headerId(d.id), label: `${d.title} (outcome ${d.outcome})` })),
    columns: [
      { id: 'paired', label: 'People with two checks', totalOf: ['improved', 'same', 'worse'] },
      { id: 'improved', label: 'Improved' },
      { id: 'same', label: 'Same' },
      { id: 'worse', label: 'Worse' },
      { id: 'median', label: 'Median change' },
      { id: 'lower-quartile', label: 'Lower quartile of change' },
      { id: 'upper-quartile', label: 'Upper quartile of change' },
    ],
    cells: DOMAINS.map((d, index): RawCell[] => {
      const changes = changesOf[index] ?? [];
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

  const items = [
    ...BARRIERS.items.map((i, index) => ({ section: 'barriers' as const, index, ...i })),
    ...NEEDS.items.map((i, index) => ({ section: 'needs' as const, index, ...i })),
  ];
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
        countCell(itemCounts[i.section].baseline[i.index] ?? 0, 'people', ref('baseline')),
        countCell(itemCounts[i.section].latest[i.index] ?? 0, 'people', ref('latest')),
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
