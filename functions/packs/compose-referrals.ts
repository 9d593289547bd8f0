import {
  type ComposedSection,
  countCell,
  DistinctTally,
  headerId,
  rateCell,
  type SectionFold,
  siteRateRows,
  siteRows,
  Tally,
} from './compose-table';
import { BARRIER_CODES, ENABLER_CODES, type EvidenceBarrierReport, type SiteId } from './evidence';
import type { RawTable } from './pack-model';

const SEVERITIES = ['high', 'medium', 'low'] as const;
const SEVERITY_WEIGHT = { high: 3, medium: 2, low: 1 } as const;
/** Reporters whose own referring the share describes: those who can refer people to the service. */
const REFERRER_ROLES = new Set(['probation-practitioner', 'prison-staff']);
const ANSWERS = ['yes', 'sometimes', 'no'] as const;

/**
 * Embedding in probation and prison work (4.5): barriers ranked by how often they are reported and
 * how severe, enablers ranked by how often, and the share of practitioners referring.
 *
 * Barriers are ranked by the number of reports citing them, then by their mean severity (high 3,
 * medium 2, low 1), then in the codebook's order; every barrier code has a row, so a barrier nobody
 * reported shows as a row of zeros rather than disappearing. The share referring counts each
 * probation practitioner or member of prison staff once, by their latest report in the period.
 * One pass over the reports; memory is one entry per code and per reporter.
 */
export function composeReferrals(
  reports: readonly EvidenceBarrierReport[],
  sites: readonly SiteId[],
): ComposedSection {
  const fold = referralsFold(sites);
  for (const report of reports) fold.add(report);
  return fold.finish();
}

/** {@link composeReferrals} one report at a time. */
export function referralsFold(sites: readonly SiteId[]): SectionFold<EvidenceBarrierReport> {
  const wanted = new Set<string>(sites);
  const barrierReports = new Tally<string>();
  const barrierSeverity = new Tally<string>();
  const barrierSites = new DistinctTally<string>();
  const enablerReports = new Tally<string>();
  const enablerSites = new DistinctTally<string>();
  /** Per reporter who refers: their latest answer. */
  const latest = new Map<string, { site: SiteId; at: string; referring: (typeof ANSWERS)[number] }>();
  let total = 0;
  const add = (report: EvidenceBarrierReport): void => {
    if (!wanted.has(report.site)) return;
    total += 1;
    for (const b of report.barriers) {
      barrierReports.add(b.code);
      barrierReports.add(`${b.code}/${b.severity}`);
      barrierSeverity.add(b.code, SEVERITY_WEIGHT[b.severity]);
      barrierSites.add(b.code, report.site);
    }
    for (const e of report.enablers) {
      enablerReports.add(e);
      enablerSites.add(e, report.site);
    }
    if (REFERRER_ROLES.has(report.reporterRole)) {
      const key = `${report.site}/${report.reporter}`;
      const seen = latest.get(key);
      if (!seen || seen.at <= report.submittedAt) {
        latest.set(key, { site: report.site, at: report.submittedAt, referring: report.referring });
      }
    }
  };
  const finish = (): ComposedSection => {
    const barrierCodes = Object.keys(BARRIER_CODES);
    const meanSeverity = (code: string) =>
      barrierReports.get(code) === 0 ? 0 : barrierSeverity.get(code) / barrierReports.get(code);
    const rankedBarriers = [...barrierCodes].sort(
      (a, b) =>
        barrierReports.get(b) - barrierReports.get(a) ||
        meanSeverity(b) - meanSeverity(a) ||
        barrierCodes.indexOf(a) - barrierCodes.indexOf(b),
    );
    const barriers: RawTable = {
      id: 'referral-barriers',
      title: 'What stands in the way of referring: barriers ranked by how often and how severe',
      description: `Reports citing each barrier, by the severity the reporter gave it, over the period and all sites. Ranked by reports, then by mean severity (high 3, medium 2, low 1).`,
      rowHeader: 'Barrier',
      rows: rankedBarriers.map((code) => ({
        id: headerId(code),
        label: BARRIER_CODES[code as keyof typeof BARRIER_CODES],
      })),
      columns: [
        { id: 'reports', label: 'Reports citing it', totalOf: [...SEVERITIES] },
        ...SEVERITIES.map((s) => ({ id: s, label: `Severity ${s}` })),
        { id: 'sites', label: 'Sites where it was reported' },
      ],
      cells: rankedBarriers.map((code) => {
        const ref = (what: string) => `referrals.barrier.${headerId(code)}.${what}`;
        return [
          countCell(barrierReports.get(code), 'reports', ref('reports')),
          ...SEVERITIES.map((s) => countCell(barrierReports.get(`${code}/${s}`), 'reports', ref(s))),
          countCell(barrierSites.get(code), 'sites', ref('sites')),
        ];
      }),
      notes: [`A report can cite several barriers, so the reports add up to more than the reports received.`],
    };

    const enablerCodes = Object.keys(ENABLER_CODES);
    const rankedEnablers = [...enablerCodes].sort(
      (a, b) =>
        enablerReports.get(b) - enablerReports.get(a) || enablerCodes.indexOf(a) - enablerCodes.indexOf(b),
    );
    const enablers: RawTable = {
      id: 'referral-enablers',
      title: 'What helps practitioners refer and work together, ranked by how often it was reported',
      rowHeader: 'Enabler',
      rows: rankedEnablers.map((code) => ({
        id: headerId(code),
        label: ENABLER_CODES[code as keyof typeof ENABLER_CODES],
      })),
      columns: [
        { id: 'reports', label: 'Reports citing it' },
        { id: 'sites', label: 'Sites where it was reported' },
      ],
      cells: rankedEnablers.map((code) => [
        countCell(enablerReports.get(code), 'reports', `referrals.enabler.${headerId(code)}.reports`),
        countCell(enablerSites.get(code), 'sites', `referrals.enabler.${headerId(code)}.sites`),
      ]),
    };

    const answers = new Tally<string>();
    for (const { site, referring } of latest.values()) {
      answers.add(`${site}/${referring}`);
      answers.add(`all-sites/${referring}`);
    }
    const rowKeys = [...sites, 'all-sites'];
    const rowRef = (row: string) => (row === 'all-sites' ? 'all' : row);
    const referring: RawTable = {
      id: 'referral-referring',
      title: 'Probation practitioners and prison staff: are they referring people to the service?',
      description:
        'Each practitioner or member of prison staff who reported a barrier counts once, by their latest report in the period.',
      rowHeader: 'Site',
      rows: siteRows(sites),
      columns: [
        { id: 'reporters', label: 'Practitioners and prison staff reporting', totalOf: [...ANSWERS] },
        { id: 'yes', label: 'Referring' },
        { id: 'sometimes', label: 'Referring sometimes' },
        { id: 'no', label: 'Not referring' },
      ],
      cells: rowKeys.map((row) => {
        const of = (a: string) => answers.get(`${row}/${a}`);
        const ref = (what: string) => `referrals.referring.${what}.${rowRef(row)}`;
        return [
          countCell(
            ANSWERS.reduce((n, a) => n + of(a), 0),
            'people',
            ref('reporters'),
          ),
          ...ANSWERS.map((a) => countCell(of(a), 'people', ref(a))),
        ];
      }),
    };
    const share: RawTable = {
      id: 'referral-referring-share',
      title: 'Share of practitioners and prison staff referring (always or sometimes)',
      rowHeader: 'Site',
      rows: siteRateRows(sites),
      columns: [{ id: 'share-referring', label: 'Referring always or sometimes' }],
      cells: rowKeys.map((row) => {
        const of = (a: string) => answers.get(`${row}/${a}`);
        const ref = (what: string) => `referrals.referring.${what}.${rowRef(row)}`;
        return [
          rateCell(
            of('yes') + of('sometimes'),
            ANSWERS.reduce((n, a) => n + of(a), 0),
            { numerator: [ref('yes'), ref('sometimes')], base: [ref('reporters')] },
          ),
        ];
      }),
    };

    return {
      id: '4.5',
      title: 'Embedding in probation and prison work',
      outcomes: ['i'],
      paragraphs: [
        'Practitioners, prison staff, provider staff and commissioners give short reports of what stops or helps referrals to the service, each barrier with a severity. These are reports, not a survey of every practitioner: they show what is said to stand in the way, not how common it is across probation.',
        total === 0
          ? 'No referral barrier reports were received in the period.'
          : 'Barriers are ranked by how many reports cite them, then by how severe reporters said they were.',
      ],
      tables: [barriers, enablers, referring, share],
      quotes: [],
    };
  };
  return { add, finish };
}
