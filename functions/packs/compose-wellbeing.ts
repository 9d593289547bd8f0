import { type ComposedSection, countCell, headerId, notAvailable, type SectionFold } from './compose-table';
import { type EvidencePulse, type SiteId, WELLBEING_PULSE_V1 } from './evidence';
import type { Header, RawCell, RawTable } from './pack-model';

/** Bands of a person's average answer over the period, on the 1 to 5 agreement scale. */
const BANDS = [
  { id: 'disagree', label: 'Mostly disagree (below 2.5)', test: (mean: number) => mean < 2.5 },
  { id: 'neither', label: 'Neither (2.5 to 3.5)', test: (mean: number) => mean >= 2.5 && mean <= 3.5 },
  { id: 'agree', label: 'Mostly agree (above 3.5)', test: (mean: number) => mean > 3.5 },
] as const;

/**
 * Staff experience and wellbeing (4.4, outcome j), for the programme only: never by site, since a
 * site has two or three staff, and never a comment (the evidence does not even carry them). A pack
 * of a single site shows no wellbeing figure at all (every cell `[x]`), as its "programme" would be
 * that site.
 *
 * Each staff member counts once: their answers to an item are averaged over their check-ins in the
 * period, so someone who checks in every week weighs no more than someone who checks in twice. The
 * table gives, per item, how many staff fall in each agreement band (counts of staff, so disclosure
 * control applies) and the mean of their averages.
 *
 * No figure may show that everyone gave the same answer: when every check-in answered some item
 * alike, no mean is shown (`[x]`) for any item, so the gap does not point at the item. Bands are
 * shown, since a band holds several answers. One pass over the check-ins; memory is one running
 * sum per person and item.
 */
export function composeWellbeing(
  pulses: readonly EvidencePulse[],
  sites: readonly SiteId[],
): ComposedSection {
  const fold = wellbeingFold(sites);
  for (const pulse of pulses) fold.add(pulse);
  return fold.finish();
}

/** {@link composeWellbeing} one check-in at a time. */
export function wellbeingFold(sites: readonly SiteId[]): SectionFold<EvidencePulse> {
  const wanted = new Set<string>(sites);
  const items = WELLBEING_PULSE_V1.items.map((i) => i.id);
  /** Per person: per item, sum and count of answers. */
  const people = new Map<string, Map<string, { sum: number; n: number }>>();
  /** Per item: the answers seen (to know whether everyone answered alike). */
  const answersSeen = new Map<string, Set<number>>(items.map((id) => [id, new Set()]));
  let checkIns = 0;
  const add = (pulse: EvidencePulse): void => {
    if (!wanted.has(pulse.site)) return;
    checkIns += 1;
    // The same person at two sites is two pseudonyms already; keyed by site as well to be sure.
    const key = `${pulse.site}/${pulse.respondent}`;
    let person = people.get(key);
    if (!person) people.set(key, (person = new Map<string, { sum: number; n: number }>()));
    for (const id of items) {
      const answer = pulse.answers[id];
      if (answer === undefined) continue;
      const running = person.get(id);
      if (running) {
        running.sum += answer;
        running.n += 1;
      } else person.set(id, { sum: answer, n: 1 });
      answersSeen.get(id)?.add(answer);
    }
  };
  return { add, finish: () => wellbeingSection(people, answersSeen, checkIns, sites) };
}

function wellbeingSection(
  people: ReadonlyMap<string, ReadonlyMap<string, { sum: number; n: number }>>,
  answersSeen: ReadonlyMap<string, ReadonlySet<number>>,
  checkIns: number,
  sites: readonly SiteId[],
): ComposedSection {
  const items = WELLBEING_PULSE_V1.items.map((i) => i.id);
  const columns: Header[] = [
    { id: 'staff', label: 'Staff who answered', totalOf: BANDS.map((b) => b.id) },
    ...BANDS.map(({ id, label }) => ({ id, label })),
    { id: 'mean', label: 'Mean of staff averages (1 to 5)' },
  ];
  // If any item was answered alike by every check-in, no mean is shown for any item: a gap in one
  // row only would itself say which statement everyone answered the same way.
  const unanimous = items.some((item) => (answersSeen.get(item)?.size ?? 0) === 1);
  const cells = items.map((item): RawCell[] => {
    const averages = [...people.values()].flatMap((person) => {
      const a = person.get(item);
      return a ? [a.sum / a.n] : [];
    });
    const ref = (what: string) => `wellbeing.${headerId(item)}.${what}`;
    return [
      countCell(averages.length, 'staff', ref('staff')),
      ...BANDS.map((band) =>
        countCell(averages.filter((mean) => band.test(mean)).length, 'staff', ref(band.id)),
      ),
      averages.length === 0 || unanimous
        ? { ...notAvailable('mean'), base: averages.length }
        : {
            value: averages.reduce((a, b) => a + b, 0) / averages.length,
            unit: 'mean',
            base: averages.length,
          },
    ];
  });

  const table: RawTable = {
    id: 'wellbeing-items',
    title: 'Staff wellbeing check-ins: how staff answered each statement, all sites together',
    description:
      'Each staff member counts once: their answers over the period are averaged, then placed in a band. Sites are never shown separately.',
    rowHeader: 'Statement',
    rows: WELLBEING_PULSE_V1.items.map((i) => ({ id: headerId(i.id), label: i.text })),
    columns,
    cells,
    notes: [
      'Means are not shown for any statement when showing them would reveal that every check-in gave the same answer to one of them.',
    ],
  };
  const who: RawTable = {
    id: 'wellbeing-respondents',
    title: 'Staff wellbeing check-ins: who took part, all sites together',
    rowHeader: 'Measure',
    rows: [
      { id: 'staff', label: 'Staff who checked in' },
      { id: 'check-ins', label: 'Check-ins' },
    ],
    columns: [{ id: 'all-sites', label: 'All sites' }],
    cells: [
      [countCell(people.size, 'staff', 'wellbeing.respondents')],
      [countCell(checkIns, 'reports', 'wellbeing.check-ins')],
    ],
  };
  // A pack of one site would show that site's two or three staff as "all sites": nothing is shown.
  const oneSite = sites.length < 2;
  const withheld = (t: RawTable): RawTable =>
    oneSite ? { ...t, cells: t.cells.map((row) => row.map((c) => notAvailable(c.unit, c.ref))) } : t;
  return {
    id: '4.4',
    title: 'Staff experience, skills and wellbeing',
    outcomes: ['j'],
    paragraphs: [
      'Link workers answer a short weekly check-in: eight statements about support, supervision, training, caseload, safety, emotional load, clarity of role and whether they see themselves in the role in a year, each from 1 (strongly disagree) to 5 (strongly agree).',
      'Results are for all sites together and never for one site, because each site has only two or three staff. Comments are never published. A figure that would show every member of staff gave the same answer is withheld.',
      ...(oneSite ? ['This pack covers one site only, so no wellbeing results are shown.'] : []),
    ],
    tables: [withheld(who), withheld(table)],
    quotes: [],
  };
}
