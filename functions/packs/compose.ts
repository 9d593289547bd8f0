import { capitalFold } from './compose-capital';
import { engagementFold } from './compose-engagement';
import { findingsFold } from './compose-findings';
import { referralsFold } from './compose-referrals';
import { resourcesFold } from './compose-resources';
import { type ComposedSection, countCell, siteName } from './compose-table';
import { composeVoice } from './compose-voice';
import { wellbeingFold } from './compose-wellbeing';
import type { PackEvidence, PackPeriod, PackTheme, SiteId } from './evidence';
import type { RawTable } from './pack-model';

export type { ComposedSection } from './compose-table';

export interface ComposeOptions {
  readonly period: PackPeriod;
  readonly sites: readonly SiteId[];
  /** The codebook's themes (all of them: a theme with no finding shows as a gap). */
  readonly codebook: { readonly themes: readonly PackTheme[] };
}

/**
 * A stream of the evidence, and one record of it. The voice of people using the service (answers
 * and "you said, we did" changes, a few a month per site) is handed to `finish` whole instead.
 */
export type EvidenceStream = Exclude<keyof PackEvidence, 'feedback' | 'changes'>;
export type EvidenceRecord<K extends EvidenceStream> = PackEvidence[K][number];
export type VoiceEvidence = Pick<PackEvidence, 'feedback' | 'changes'>;

/**
 * Composes a pack from records given one at a time, from any source (arrays, a paged query, a file
 * read line by line): `add` every record of every stream, each stream in the order read, then
 * `finish` once for the sections, in reading order. Streams may be interleaved in any way.
 */
export interface PackComposer {
  add<K extends EvidenceStream>(stream: K, record: EvidenceRecord<K>): void;
  finish(voice?: VoiceEvidence): ComposedSection[];
}

/**
 * Turns a period's evidence into the pack's sections, in reading order: how to read it, the
 * evidence map, then the question areas 4.3 to 4.8. Every table holds exact figures with a stable
 * `ref` on every count (the same quantity has the same ref in every table and every pack, without
 * the period in it) and a `base` on every rate, mean and median; disclosure control decides what is
 * published. Paragraphs carry no figures from the evidence, so nothing escapes that control.
 *
 * Cost is linear in the records: each record is read once, by the section that uses it. Memory is
 * bounded by people and cells, not records: the running state is a counter per table cell, a few
 * checks per participant and a running sum per staff member and item; the only per-record state
 * kept is the publishable quotes of themes (at most 10 per finding, a handful per theme in practice).
 */
export function packComposer(options: ComposeOptions): PackComposer {
  const { period, sites } = options;
  const wanted = new Set<string>(sites);
  const zero = (): Record<EvidenceStream, number> => ({
    pulses: 0,
    barrierReports: 0,
    findings: 0,
    checks: 0,
    engagementReturns: 0,
    resources: 0,
  });
  /** Records read, of any site; and of the pack's sites. */
  const read = zero();
  const inSites = zero();
  const findings = findingsFold(options.codebook.themes, sites, (stream) => read[stream] > 0);
  const capital = capitalFold(period, sites);
  const wellbeing = wellbeingFold(sites);
  const referrals = referralsFold(sites);
  const engagement = engagementFold(sites);
  const resources = resourcesFold(sites);
  const adders: { [K in EvidenceStream]: (record: EvidenceRecord<K>) => void } = {
    pulses: wellbeing.add,
    barrierReports: referrals.add,
    findings: findings.add,
    checks: capital.add,
    engagementReturns: engagement.add,
    resources: resources.add,
  };
  return {
    add<K extends EvidenceStream>(stream: K, record: EvidenceRecord<K>): void {
      read[stream] += 1;
      if (wanted.has(record.site)) inSites[stream] += 1;
      adders[stream](record);
    },
    finish(voice: VoiceEvidence = {}): ComposedSection[] {
      const { map, interfaces } = findings.finish();
      return [
        howToRead(inSites, options),
        map,
        capital.finish(),
        wellbeing.finish(),
        referrals.finish(),
        engagement.finish(),
        composeVoice(voice.feedback ?? [], voice.changes ?? [], period, sites),
        resources.finish(),
        interfaces,
      ];
    },
  };
}

/** {@link packComposer} over records already in memory. */
export function composePack(evidence: PackEvidence, options: ComposeOptions): ComposedSection[] {
  const composer = packComposer(options);
  const feed = <K extends EvidenceStream>(stream: K, records: readonly EvidenceRecord<K>[]) => {
    for (const record of records) composer.add(stream, record);
  };
  feed('pulses', evidence.pulses);
  feed('barrierReports', evidence.barrierReports);
  feed('findings', evidence.findings);
  feed('checks', evidence.checks);
  feed('engagementReturns', evidence.engagementReturns);
  feed('resources', evidence.resources);
  return composer.finish(evidence);
}

const SOURCES = [
  {
    id: 'capital-checks',
    label: 'Capital checks of people supported (4.3)',
    stream: 'checks',
  },
  { id: 'check-ins', label: 'Staff wellbeing check-ins (4.4)', stream: 'pulses' },
  {
    id: 'barrier-reports',
    label: 'Referral barrier reports (4.5)',
    stream: 'barrierReports',
  },
  {
    id: 'engagement-returns',
    label: 'Monthly engagement returns (4.6)',
    stream: 'engagementReturns',
  },
  { id: 'resources', label: 'Community resources mapped (4.7)', stream: 'resources' },
  {
    id: 'findings',
    label: 'Coded interview and focus group findings (all areas)',
    stream: 'findings',
  },
] as const;

function howToRead(
  records: Readonly<Record<EvidenceStream, number>>,
  { period, sites }: ComposeOptions,
): ComposedSection {
  const sources: RawTable = {
    id: 'sources',
    title: 'Sources of evidence in this pack',
    description: 'How many records of each source the pack was built from, all sites together.',
    rowHeader: 'Source',
    rows: SOURCES.map(({ id, label }) => ({ id, label })),
    columns: [{ id: 'records', label: 'Records' }],
    cells: SOURCES.map(({ id, stream }) => [
      countCell(records[stream], id === 'findings' ? 'findings' : 'reports', `sources.${id}`),
    ]),
    notes: ['Check-ins and capital checks are records, not people: a person can have several.'],
  };
  const siteList = sites.map(siteName).join(', ');
  return {
    id: 'how-to-read',
    title: 'How to read this pack',
    outcomes: [],
    paragraphs: [
      `This pack covers ${period.from} to ${period.to} and the early-testing sites ${siteList}. It is organised by the evaluation’s question areas (4.3 to 4.8) and the outcomes each speaks to.`,
      'Sources: capital checks of the people supported, weekly staff wellbeing check-ins, referral barrier reports from practitioners, monthly engagement returns, the sites’ maps of community resources, and findings coded from interviews and focus groups against a shared codebook.',
      'Method: figures are counted from the records as they stood when the pack was built. Each site has two or three staff and a few dozen participants, so the numbers are far too small for statistical tests: they describe what happened at these sites, not what would happen elsewhere, and differences between sites or over time may be chance.',
      'What this pack can tell you: how the model was delivered, what helped and what stood in the way, and early signs of change. What it cannot tell you: whether the model causes better outcomes, or how it would work at other sites or at scale.',
      'Disclosure control: figures are checked before publication so that no one can be identified. Small counts of people are suppressed, other counts of people are rounded, rates and averages are shown only when enough people lie behind them, and staff figures are shown only for all sites together. Symbols: [c] confidential (suppressed to protect people), [x] not available (no data, or too few to compute), [z] not applicable.',
      'Words in the evidence map: where a respondent group gave fewer than 10 of a theme’s findings, the map says what share of the theme’s findings they were instead of the count: “a few” (under a quarter), “some” (a quarter to a half), “most” (over half). Where even the words would let a reader work out the count, it is shown as [c].',
    ],
    tables: [sources],
    quotes: [],
  };
}
