import { composeCapital } from './compose-capital';
import { composeEngagement } from './compose-engagement';
import { composeFindings } from './compose-findings';
import { composeReferrals } from './compose-referrals';
import { composeResources } from './compose-resources';
import { type ComposedSection, countCell, siteName } from './compose-table';
import { composeVoice } from './compose-voice';
import { composeWellbeing } from './compose-wellbeing';
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
 * Turns a period's evidence into the pack's sections, in reading order: how to read it, the
 * evidence map, then the question areas 4.3 to 4.8. Every table holds exact figures with a stable
 * `ref` on every count (the same quantity has the same ref in every table and every pack, without
 * the period in it) and a `base` on every rate, mean and median; disclosure control decides what is
 * published. Paragraphs carry no figures from the evidence, so nothing escapes that control.
 *
 * Cost is linear in the records: each stream is read once by the section that uses it. Memory is
 * bounded by people and cells, not records: the running state is a counter per table cell, a few
 * checks per participant and a running sum per staff member and item; the only per-record state
 * kept is the publishable quotes of themes (at most 10 per finding, a handful per theme in practice).
 */
export function composePack(evidence: PackEvidence, options: ComposeOptions): ComposedSection[] {
  const { period, sites } = options;
  const { map, interfaces } = composeFindings(evidence, options.codebook.themes, sites);
  return [
    howToRead(evidence, options),
    map,
    composeCapital(evidence.checks, period, sites),
    composeWellbeing(evidence.pulses, sites),
    composeReferrals(evidence.barrierReports, sites),
    composeEngagement(evidence.engagementReturns, sites),
    composeVoice(evidence.feedback ?? [], evidence.changes ?? [], period, sites),
    composeResources(evidence.resources, sites),
    interfaces,
  ];
}

const SOURCES = [
  {
    id: 'capital-checks',
    label: 'Capital checks of people supported (4.3)',
    pick: (e: PackEvidence) => e.checks,
  },
  { id: 'check-ins', label: 'Staff wellbeing check-ins (4.4)', pick: (e: PackEvidence) => e.pulses },
  {
    id: 'barrier-reports',
    label: 'Referral barrier reports (4.5)',
    pick: (e: PackEvidence) => e.barrierReports,
  },
  {
    id: 'engagement-returns',
    label: 'Monthly engagement returns (4.6)',
    pick: (e: PackEvidence) => e.engagementReturns,
  },
  { id: 'resources', label: 'Community resources mapped (4.7)', pick: (e: PackEvidence) => e.resources },
  {
    id: 'findings',
    label: 'Coded interview and focus group findings (all areas)',
    pick: (e: PackEvidence) => e.findings,
  },
] as const;

function howToRead(evidence: PackEvidence, { period, sites }: ComposeOptions): ComposedSection {
  const wanted = new Set<string>(sites);
  const sources: RawTable = {
    id: 'sources',
    title: 'Sources of evidence in this pack',
    description: 'How many records of each source the pack was built from, all sites together.',
    rowHeader: 'Source',
    rows: SOURCES.map(({ id, label }) => ({ id, label })),
    columns: [{ id: 'records', label: 'Records' }],
    cells: SOURCES.map(({ id, pick }) => {
      let n = 0;
      for (const record of pick(evidence)) if (wanted.has(record.site)) n += 1;
      return [countCell(n, id === 'findings' ? 'findings' : 'reports', `sources.${id}`)];
    }),
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
    ],
    tables: [sources],
    quotes: [],
  };
}
