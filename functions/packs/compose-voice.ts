import { type ComposedSection, countCell, headerId, siteName, siteRows, Tally } from './compose-table';
import {
  type EvidenceChange,
  type EvidenceFeedback,
  FEEDBACK_EASY_READ_V1,
  type PackPeriod,
  redactFreeText,
  type SiteId,
} from './evidence';
import type { Header, RawTable } from './pack-model';

const KINDS = [
  { id: 'during-support', label: 'During support' },
  { id: 'at-exit', label: 'At exit' },
] as const;

/**
 * Below this many answers at any site of the pack, no figure is split by site: the answers of a
 * site of a few dozen participants are few, and a site's row would point at very few people even
 * where rounding hides the exact count.
 */
export const SITE_SPLIT_MIN_ANSWERS = 10;

/** The questions a pack reports: whether a person would talk to an evaluator is not an answer kept. */
const QUESTIONS = FEEDBACK_EASY_READ_V1.questions.filter((q) => q.id !== 'talkToEvaluator');

/**
 * What people using the service said (4.6): who the voices come from (during support or at exit),
 * and how they answered each easy-read question, as counts of people for disclosure control to
 * round or suppress. Answers are split by site only when every site of the pack has at least
 * {@link SITE_SPLIT_MIN_ANSWERS}; otherwise all sites are one group. People's own words are not
 * published: nobody has reviewed them for publication. The "you said, we did" changes of the
 * period, at the pack's sites, are given as paragraphs, redacted again at build time.
 *
 * Each answer is one person's answer through one link: someone can answer once during support and
 * once at exit, and is then counted in both. One pass over the answers; memory is one counter per
 * table cell.
 */
export function composeVoice(
  answers: readonly EvidenceFeedback[],
  changes: readonly EvidenceChange[],
  period: PackPeriod,
  sites: readonly SiteId[],
): ComposedSection {
  const wanted = new Set<string>(sites);
  const tally = new Tally<string>();
  let total = 0;
  for (const answer of answers) {
    if (!wanted.has(answer.site)) continue;
    total += 1;
    tally.add(`${answer.site}/answers`);
    tally.add(`${answer.site}/${answer.kind}`);
    tally.add(`all/${answer.kind}`);
    for (const question of QUESTIONS) {
      const value = answer.answers[question.id];
      if (value === undefined) continue;
      tally.add(`${question.id}/answered`);
      for (const choice of typeof value === 'string' ? [value] : value) tally.add(`${question.id}/${choice}`);
    }
  }
  const split =
    sites.length > 1 && sites.every((site) => tally.get(`${site}/answers`) >= SITE_SPLIT_MIN_ANSWERS);
  const rows: Header[] = split ? siteRows(sites) : [{ id: 'all-sites', label: 'All sites' }];
  const rowKeys: string[] = split ? [...sites, 'all'] : ['all'];
  const of = (row: string, what: string) =>
    row === 'all' ? (what === 'answers' ? total : tally.get(`all/${what}`)) : tally.get(`${row}/${what}`);
  const who: RawTable = {
    id: 'voice-who',
    title: 'Who answered: people using the service, during support and at exit',
    description: `Answers to the easy-read questions from ${period.from} to ${period.to}. Each answer came through its own one-time link.`,
    rowHeader: 'Site',
    rows,
    columns: [
      { id: 'answers', label: 'People who answered', totalOf: KINDS.map((k) => k.id) },
      ...KINDS.map(({ id, label }) => ({ id, label })),
    ],
    cells: rowKeys.map((row) => [
      countCell(of(row, 'answers'), 'people', `voice.answers.${row}`),
      ...KINDS.map((k) => countCell(of(row, k.id), 'people', `voice.${k.id}.${row}`)),
    ]),
    notes: [
      'A person who answered during support and again at exit is counted in both.',
      ...(split ? [] : ['Sites are not shown separately: at least one site had too few answers.']),
    ],
  };
  const questionTables = QUESTIONS.map((question): RawTable => {
    const ref = (what: string) => `voice.${headerId(question.id)}.${what}`;
    const choices = question.choices.map((c) => ({ id: headerId(c.id), label: c.text }));
    const one = question.pick === 'one';
    return {
      id: `voice-${headerId(question.id)}`,
      title: question.text,
      description: one
        ? 'People who answered the question, by their answer, all sites together.'
        : 'People who picked each answer, all sites together. A person could pick several.',
      rowHeader: 'Answer',
      rows: one
        ? [{ id: 'answered', label: 'Answered', totalOf: choices.map((c) => c.id) }, ...choices]
        : choices,
      columns: [{ id: 'people', label: 'People' }],
      cells: [
        ...(one ? [[countCell(tally.get(`${question.id}/answered`), 'people', ref('answered'))]] : []),
        ...question.choices.map((c) => [
          countCell(tally.get(`${question.id}/${c.id}`), 'people', ref(headerId(c.id))),
        ]),
      ],
    };
  });
  const heard = changes
    .filter((c) => c.when >= period.from && c.when <= period.to && c.sites.some((s) => wanted.has(s)))
    .sort((a, b) => a.when.localeCompare(b.when) || a.heard.localeCompare(b.heard))
    .map((c) => {
      const at = c.sites
        .filter((s) => wanted.has(s))
        .map(siteName)
        .join(', ');
      return `You said: ${redactFreeText(c.heard).text} We did: ${redactFreeText(c.changed).text} (${c.when}, ${at}.)`;
    });
  return {
    id: '4.6-voice',
    title: 'What people using the service said',
    outcomes: [],
    paragraphs: [
      'People supported by a link worker were offered a one-time link to five short easy-read questions, during their support or when it ended: whether they know what the service offers, whether it helps, what helps them keep coming, what gets in the way, and whether they would recommend it. Answers are anonymous: they are not linked to the person or their records.',
      'These are the views of the people who chose to answer, not of everyone supported: people in crisis, or who distrust services, are less likely to answer.',
      'People’s own words are not published in this pack: they have not been reviewed for publication.',
      total === 0
        ? 'No answers were received in the period.'
        : 'Counts of people are rounded or suppressed under the disclosure rules, like every count of people in this pack.',
      ...(heard.length === 0
        ? ['You said, we did: no change was recorded in the period.']
        : ['You said, we did: changes made because of what people said.', ...heard]),
    ],
    tables: [who, ...questionTables],
    quotes: [],
  };
}
