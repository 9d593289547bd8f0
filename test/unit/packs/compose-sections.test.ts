import { describe, expect, it } from 'vitest';
import { composePack } from '../../../functions/packs/compose';
import { composeCapital } from '../../../functions/packs/compose-capital';
import { composeFindings } from '../../../functions/packs/compose-findings';
import { composeReferrals } from '../../../functions/packs/compose-referrals';
import { composeResources } from '../../../functions/packs/compose-resources';
import { composeWellbeing } from '../../../functions/packs/compose-wellbeing';
import type {
  EvidenceBarrierReport,
  EvidenceCheck,
  EvidenceFinding,
  EvidencePulse,
  EvidenceResource,
  PackEvidence,
  PackTheme,
} from '../../../functions/packs/evidence';
import {
  COUNT_UNITS,
  headerSchema,
  type RawCell,
  type RawTable,
  SECTION_IDS,
} from '../../../functions/packs/pack-model';

const cell = (table: RawTable | undefined, row: string, column: string): RawCell => {
  const r = table?.rows.findIndex((h) => h.id === row) ?? -1;
  const c = table?.columns.findIndex((h) => h.id === column) ?? -1;
  const found = table?.cells[r]?.[c];
  if (!found) throw new Error(`no cell ${row} × ${column} in ${table?.id ?? 'no table'}`);
  return found;
};
const tableOf = (tables: readonly RawTable[], id: string) => tables.find((t) => t.id === id);

const EMPTY: PackEvidence = {
  pulses: [],
  barrierReports: [],
  findings: [],
  checks: [],
  engagementReturns: [],
  resources: [],
};

// ── Wellbeing ──

const ITEMS = [
  'supported',
  'supervision',
  'training',
  'caseload',
  'safety',
  'emotionalLoad',
  'remitClarity',
  'intentionToStay',
];
const pulse = (
  respondent: string,
  monday: string,
  score: number,
  site: EvidencePulse['site'] = 'london',
  overrides: Record<string, number> = {},
): EvidencePulse => ({
  site,
  monday,
  respondent,
  answers: { ...Object.fromEntries(ITEMS.map((id) => [id, score])), ...overrides },
});

describe('composeWellbeing', () => {
  it('counts each member of staff once, in the band of their average, with the mean of averages', () => {
    const pulses = [
      pulse('a', '2025-01-06', 5, 'london', { safety: 1 }),
      pulse('a', '2025-01-13', 4, 'london', { safety: 2 }), // a: safety 1.5, supported 4.5
      pulse('b', '2025-01-06', 3, 'north-east', { safety: 3 }),
      pulse('c', '2025-01-06', 2, 'yorkshire-humber', { safety: 5 }),
    ];
    const section = composeWellbeing(pulses, ['london', 'north-east', 'yorkshire-humber']);
    const items = tableOf(section.tables, 'wellbeing-items');

    expect(section.id).toBe('4.4');
    expect(cell(items, 'safety', 'staff')).toEqual({
      value: 3,
      unit: 'staff',
      ref: 'wellbeing.safety.staff',
    });
    expect(cell(items, 'safety', 'disagree').value).toBe(1);
    expect(cell(items, 'safety', 'neither').value).toBe(1);
    expect(cell(items, 'safety', 'agree').value).toBe(1);
    expect(cell(items, 'supported', 'agree').value).toBe(1);
    expect(cell(items, 'supported', 'disagree').value).toBe(1);
    expect(cell(items, 'supported', 'mean')).toMatchObject({ unit: 'mean', base: 3 });
    expect(cell(items, 'supported', 'mean').value).toBeCloseTo((4.5 + 3 + 2) / 3, 12);
    expect(cell(items, 'emotional-load', 'mean').value).toBeCloseTo((4.5 + 3 + 2) / 3, 12);
    const who = tableOf(section.tables, 'wellbeing-respondents');
    expect(cell(who, 'staff', 'all-sites').value).toBe(3);
    expect(cell(who, 'check-ins', 'all-sites').value).toBe(4);
  });

  it('never shows a site: no row, column or ref names one', () => {
    const section = composeWellbeing(
      [pulse('a', '2025-01-06', 4), pulse('b', '2025-01-06', 2, 'north-east')],
      ['london', 'north-east'],
    );
    const text = JSON.stringify(section);

    expect(text).not.toMatch(/london|north-east|yorkshire/);
  });

  it('shows no mean for any statement when everyone gave one of them the same answer', () => {
    const pulses = [
      pulse('a', '2025-01-06', 4, 'london', { safety: 5 }),
      pulse('b', '2025-01-06', 2, 'north-east', { safety: 5 }),
    ];
    const both: EvidencePulse['site'][] = ['london', 'north-east'];
    const items = tableOf(composeWellbeing(pulses, both).tables, 'wellbeing-items');

    for (const row of items?.rows ?? []) {
      expect(cell(items, row.id, 'mean')).toEqual({ value: null, unit: 'mean', symbol: '[x]', base: 2 });
    }
    // Without the unanimous statement the means come back.
    const varied = tableOf(
      composeWellbeing(
        pulses.map((p, i) => ({ ...p, answers: { ...p.answers, safety: 4 + i } })),
        both,
      ).tables,
      'wellbeing-items',
    );
    expect(cell(varied, 'safety', 'mean').value).toBe(4.5);
  });

  it('shows nothing in a pack of one site, whose all sites would be that site', () => {
    const pulses = [pulse('a', '2025-01-06', 4), pulse('b', '2025-01-06', 2)];
    const section = composeWellbeing(pulses, ['london']);
    const cells = section.tables.flatMap((t) => t.cells.flat());

    expect(cells.length).toBeGreaterThan(0);
    expect(cells.every((c) => c.value === null && c.symbol === '[x]')).toBe(true);
    expect(cell(tableOf(section.tables, 'wellbeing-respondents'), 'staff', 'all-sites').ref).toBe(
      'wellbeing.respondents',
    );
    expect(
      cell(
        tableOf(composeWellbeing(pulses, ['london', 'north-east']).tables, 'wellbeing-respondents'),
        'staff',
        'all-sites',
      ).value,
    ).toBe(2);
  });
});

// ── Referrals ──

const report = (reporter: string, overrides: Partial<EvidenceBarrierReport> = {}): EvidenceBarrierReport => ({
  site: 'london',
  reporter,
  reporterRole: 'probation-practitioner',
  source: 'self-report',
  referring: 'no',
  barriers: [],
  enablers: [],
  submittedAt: '2025-02-01T10:00:00.000Z',
  ...overrides,
});

describe('composeReferrals', () => {
  it('ranks barriers by reports, then by severity, and keeps unreported ones as rows of zeros', () => {
    const reports = [
      report('p1', {
        barriers: [
          { code: 'workload', severity: 'low' },
          { code: 'unclear-offer', severity: 'high' },
        ],
      }),
      report('p2', { site: 'north-east', barriers: [{ code: 'workload', severity: 'medium' }] }),
      report('p3', { barriers: [{ code: 'referral-process', severity: 'low' }] }),
    ];
    const section = composeReferrals(reports, ['london', 'north-east']);
    const barriers = tableOf(section.tables, 'referral-barriers');

    expect(barriers?.rows.slice(0, 3).map((r) => r.id)).toEqual([
      'workload',
      'unclear-offer',
      'referral-process',
    ]);
    expect(barriers?.rows).toHaveLength(8);
    expect(cell(barriers, 'workload', 'reports')).toEqual({
      value: 2,
      unit: 'reports',
      ref: 'referrals.barrier.workload.reports',
    });
    expect(cell(barriers, 'workload', 'medium').value).toBe(1);
    expect(cell(barriers, 'workload', 'sites')).toMatchObject({ value: 2, unit: 'sites' });
    expect(cell(barriers, 'not-aware-of-service', 'reports').value).toBe(0);
  });

  it('counts each practitioner once by their latest answer, and gives the share referring', () => {
    const reports = [
      report('p1', { referring: 'no', submittedAt: '2025-02-01T10:00:00.000Z' }),
      report('p1', { referring: 'yes', submittedAt: '2025-03-01T10:00:00.000Z' }),
      report('p2', { referring: 'sometimes' }),
      report('p3', { referring: 'no', site: 'north-east', reporterRole: 'prison-staff' }),
      report('p4', { referring: 'no', reporterRole: 'provider-staff' }),
    ];
    const section = composeReferrals(reports, ['london', 'north-east']);
    const referring = tableOf(section.tables, 'referral-referring');

    expect(cell(referring, 'london', 'reporters')).toEqual({
      value: 2,
      unit: 'people',
      ref: 'referrals.referring.reporters.london',
    });
    expect(cell(referring, 'london', 'yes').value).toBe(1);
    expect(cell(referring, 'london', 'no').value).toBe(0);
    expect(cell(referring, 'all-sites', 'reporters').value).toBe(3);
    expect(cell(tableOf(section.tables, 'referral-referring-share'), 'all-sites', 'share-referring')).toEqual(
      {
        value: 2 / 3,
        unit: 'rate',
        base: 3,
        rateOf: {
          numerator: ['referrals.referring.yes.all', 'referrals.referring.sometimes.all'],
          base: ['referrals.referring.reporters.all'],
        },
      },
    );
  });
});

// ── Capital checks ──

const check = (
  participant: string,
  kind: EvidenceCheck['kind'],
  date: string,
  score: number,
  site: EvidenceCheck['site'] = 'london',
  housing = true,
): EvidenceCheck => ({
  site,
  participant,
  kind,
  date,
  barriers: { unsettledHome: housing, drinkOrDrugs: false },
  needs: { housing, mentalHealth: true },
  strengths: {
    housingStability: score,
    finance: score,
    workLearningVolunteering: 3,
    recovery: 3,
    relationships: 3,
    communityInvolvement: 3,
  },
});

describe('composeCapital', () => {
  const period = { from: '2025-01-01', to: '2025-12-31' };

  it('counts baselines and, of those due, repeat checks inside and outside the window and none', () => {
    const checks = [
      check('on-time', 'baseline', '2025-01-10', 2),
      check('on-time', 'follow-up', '2025-04-10', 4), // 90 days
      check('late', 'baseline', '2025-02-01', 2, 'north-east'),
      check('late', 'follow-up', '2025-06-30', 2, 'north-east'), // 149 days
      check('none', 'baseline', '2025-03-01', 3),
      check('not-due', 'baseline', '2025-12-01', 3), // window closes in 2026
      check('orphan', 'follow-up', '2025-05-01', 3), // baseline before the period: not counted
    ];
    const section = composeCapital(checks, period, ['london', 'north-east']);
    const followUps = tableOf(section.tables, 'capital-follow-ups');

    expect(cell(followUps, 'london', 'baselines')).toEqual({
      value: 3,
      unit: 'people',
      ref: 'capital.baselines.london',
    });
    expect(cell(followUps, 'all-sites', 'baselines').value).toBe(4);
    expect(cell(followUps, 'all-sites', 'due').value).toBe(3);
    expect(cell(followUps, 'all-sites', 'on-time').value).toBe(1);
    expect(cell(followUps, 'all-sites', 'off-time').value).toBe(1);
    expect(cell(followUps, 'all-sites', 'none').value).toBe(1);
    const rates = tableOf(section.tables, 'capital-follow-up-rates');
    expect(cell(rates, 'all-sites', 'repeat')).toEqual({
      value: 2 / 3,
      unit: 'rate',
      base: 3,
      rateOf: { numerator: ['capital.on-time.all', 'capital.off-time.all'], base: ['capital.due.all'] },
    });
    expect(cell(rates, 'london', 'on-time')).toEqual({
      value: 1 / 2,
      unit: 'rate',
      base: 2,
      rateOf: { numerator: ['capital.on-time.london'], base: ['capital.due.london'] },
    });
  });

  it('measures distance travelled to the latest check: median, quartiles, improved, same and worse', () => {
    const checks = [
      check('a', 'baseline', '2025-01-10', 1),
      check('a', 'exit', '2025-09-01', 5), // +4, the latest
      check('a', 'follow-up', '2025-04-10', 2),
      check('b', 'baseline', '2025-01-10', 3),
      check('b', 'follow-up', '2025-04-10', 3), // 0
      check('c', 'baseline', '2025-01-10', 4),
      check('c', 'follow-up', '2025-04-10', 2, 'london', false), // -2
      check('d', 'baseline', '2025-01-10', 2),
      check('d', 'follow-up', '2025-04-10', 3), // +1
    ];
    const section = composeCapital(checks, period, ['london']);
    const distance = tableOf(section.tables, 'capital-distance-travelled');

    expect(cell(distance, 'housing-stability', 'paired').value).toBe(4);
    expect(cell(distance, 'housing-stability', 'improved').value).toBe(2);
    expect(cell(distance, 'housing-stability', 'same').value).toBe(1);
    expect(cell(distance, 'housing-stability', 'worse').value).toBe(1);
    // Changes -2, 0, 1, 4: median 0.5, quartiles -0.5 and 1.75 (linear interpolation).
    expect(cell(distance, 'housing-stability', 'median')).toEqual({ value: 0.5, unit: 'median', base: 4 });
    expect(cell(distance, 'housing-stability', 'lower-quartile').value).toBe(-0.5);
    expect(cell(distance, 'housing-stability', 'upper-quartile').value).toBe(1.75);
    expect(cell(distance, 'recovery', 'same').value).toBe(4);
    const needs = tableOf(section.tables, 'capital-barriers-needs');
    expect(cell(needs, 'barriers.unsettled-home', 'baseline').value).toBe(4);
    expect(cell(needs, 'barriers.unsettled-home', 'latest').value).toBe(3);
    expect(cell(needs, 'needs.mental-health', 'latest')).toEqual({
      value: 4,
      unit: 'people',
      ref: 'capital.needs.mental-health.latest',
    });
  });

  it('shows the distance travelled as not available when nobody has two checks', () => {
    const section = composeCapital([check('a', 'baseline', '2025-01-10', 1)], period, ['london']);
    const distance = tableOf(section.tables, 'capital-distance-travelled');

    expect(cell(distance, 'finance', 'paired').value).toBe(0);
    expect(cell(distance, 'finance', 'median')).toEqual({
      value: null,
      unit: 'median',
      symbol: '[x]',
      base: 0,
    });
  });
});

// ── Community resources ──

const resource = (overrides: Partial<EvidenceResource> = {}): EvidenceResource => ({
  site: 'london',
  type: 'mutual-aid-group',
  status: 'existing',
  seedFunded: false,
  openAccess: true,
  suits: [],
  recordedAt: '2025-02-01T10:00:00.000Z',
  ...overrides,
});

describe('composeResources', () => {
  it('counts linked and newly generated resources by type and site, seed funded, open access and who they suit', () => {
    const resources = [
      resource(),
      resource({
        status: 'new',
        seedFunded: true,
        seedFundingPounds: 500,
        openAccess: false,
        suits: ['age', 'faith'],
      }),
      resource({ site: 'north-east', type: 'grassroots-organisation', status: 'new', suits: ['age'] }),
    ];
    const section = composeResources(resources, ['london', 'north-east']);
    const byType = tableOf(section.tables, 'resources-by-type');

    expect(cell(byType, 'mutual-aid-group', 'resources').value).toBe(2);
    expect(cell(byType, 'mutual-aid-group', 'new').value).toBe(1);
    expect(cell(byType, 'all-types', 'new')).toEqual({
      value: 2,
      unit: 'resources',
      ref: 'resources.all.new',
    });
    expect(cell(byType, 'all-types', 'seed-funded').value).toBe(1);
    expect(cell(byType, 'all-types', 'open-access').value).toBe(2);
    const bySite = tableOf(section.tables, 'resources-by-site');
    expect(cell(bySite, 'all-sites', 'new')).toEqual(cell(byType, 'all-types', 'new'));
    expect(cell(bySite, 'north-east', 'existing').value).toBe(0);
    const suits = tableOf(section.tables, 'resources-suits');
    expect(cell(suits, 'age', 'resources').value).toBe(2);
    expect(cell(suits, 'anyone', 'existing').value).toBe(1);
    expect(JSON.stringify(section)).not.toContain('500');
  });
});

// ── Evidence map and quotes ──

const THEMES: PackTheme[] = [
  { id: '0f3c3a52-1111-4000-8000-000000000001', area: '4.5', name: 'Unclear offer' },
  { id: '0f3c3a52-1111-4000-8000-000000000002', area: '4.5', name: 'Co-location helps' },
  { id: '0f3c3a52-1111-4000-8000-000000000003', area: '4.6', name: 'First contact' },
];
const [UNCLEAR, COLOCATION, FIRST] = THEMES.map((t) => t.id) as [string, string, string];
const finding = (theme: string, overrides: Partial<EvidenceFinding> = {}): EvidenceFinding => ({
  site: 'london',
  interview: 'i1',
  respondentGroup: 'probation-practitioner',
  method: 'interview',
  date: '2025-02-01',
  area: '4.5',
  theme,
  outcomes: [],
  stance: 'barrier',
  quotes: [],
  ...overrides,
});

describe('composeFindings', () => {
  const findings = [
    finding(UNCLEAR, { quotes: ['Nobody told me what they actually do. Call Sarah Jones on 07700 900123.'] }),
    finding(UNCLEAR, {
      site: 'north-east',
      respondentGroup: 'prison-staff',
      stance: 'neutral',
      quotes: ['It was explained at a briefing.'],
    }),
    finding(COLOCATION, { stance: 'enabler', quotes: ['Having them in the office changed everything.'] }),
    finding(FIRST, { area: '4.6', stance: 'enabler', respondentGroup: 'person-using-service' }),
  ];
  const evidence: PackEvidence = {
    ...EMPTY,
    findings,
    barrierReports: [report('p1')],
  };

  it('maps findings per theme: stances, sites, respondent groups and independent sources; gaps as [x]', () => {
    const { map } = composeFindings(evidence, THEMES, ['london', 'north-east']);
    const table = tableOf(map.tables, 'evidence-map-4.5');
    const row = `theme:${UNCLEAR}`;

    expect(cell(table, row, 'findings')).toEqual({
      value: 2,
      unit: 'findings',
      ref: `evidence.${UNCLEAR}.findings`,
    });
    expect(cell(table, row, 'barrier').value).toBe(1);
    expect(cell(table, row, 'neutral').value).toBe(1);
    expect(cell(table, row, 'enabler').value).toBe(0);
    expect(cell(table, row, 'sites').value).toBe(2);
    // A group's findings may be worded as a share of the theme's: they name the count they share.
    expect(cell(table, row, 'group:prison-staff')).toEqual({
      value: 1,
      unit: 'findings',
      ref: `evidence.${UNCLEAR}.group:prison-staff`,
      bandOf: `evidence.${UNCLEAR}.findings`,
    });
    expect(cell(table, row, 'barrier').bandOf).toBeUndefined();
    // Two respondent groups, and the barrier reports on the same question area (4.5).
    expect(cell(table, row, 'sources').value).toBe(3);
    // 4.6 has no engagement returns here: one group only.
    expect(cell(tableOf(map.tables, 'evidence-map-4.6'), `theme:${FIRST}`, 'sources').value).toBe(1);
    // 4.3, 4.4, 4.7 and 4.8 have no themes: each is one row of gaps.
    expect(map.tables.map((t) => t.rows.filter((r) => r.id.startsWith('area:')).map((r) => r.id))).toEqual([
      ['area:4.3'],
      ['area:4.4'],
      [],
      [],
      ['area:4.7'],
      ['area:4.8'],
    ]);
    expect(cell(tableOf(map.tables, 'evidence-map-4.8'), 'area:4.8', 'findings')).toEqual({
      value: null,
      unit: 'findings',
      symbol: '[x]',
      ref: 'evidence.area-4.8.findings',
    });
  });

  it('shows a theme nobody raised as a row of gaps', () => {
    const { map } = composeFindings({ ...EMPTY, findings: [finding(UNCLEAR)] }, THEMES, ['london']);
    const table = tableOf(map.tables, 'evidence-map-4.5');

    expect(cell(table, `theme:${COLOCATION}`, 'findings')).toMatchObject({ value: null, symbol: '[x]' });
    expect(cell(table, `theme:${UNCLEAR}`, 'findings').value).toBe(1);
  });

  it('quotes only themes raised at two or more sites, redacted again, attributed by respondent group only', () => {
    const { map } = composeFindings(evidence, THEMES, ['london', 'north-east']);

    expect(map.quotes.map(({ theme, respondentGroup }) => [theme, respondentGroup])).toEqual([
      ['Unclear offer', 'Prison staff'],
      ['Unclear offer', 'Probation practitioner'],
    ]);
    expect(map.quotes[0]?.text).toBe('It was explained at a briefing.');
    expect(map.quotes[1]?.text).toContain('Nobody told me what they actually do.');
    expect(map.quotes[1]?.text).not.toMatch(/Sarah|07700/);
    // Co-location was raised at one site only: its quote is not shown.
    expect(JSON.stringify(map.quotes)).not.toContain('office');
  });
});

// ── The whole pack ──

describe('composePack', () => {
  it('gives every section in order, every count a ref, every shown rate, mean and median a base, and valid headers', () => {
    const sections = composePack(
      {
        ...EMPTY,
        pulses: [pulse('a', '2025-01-06', 4), pulse('b', '2025-01-06', 3)],
        checks: [check('a', 'baseline', '2025-01-10', 1), check('a', 'follow-up', '2025-04-10', 3)],
        resources: [resource()],
      },
      { period: { from: '2025-01-01', to: '2025-12-31' }, sites: ['london'], codebook: { themes: THEMES } },
    );

    expect(sections.map((s) => s.id)).toEqual(SECTION_IDS);
    const tables = sections.flatMap((s) => s.tables);
    expect(new Set(tables.map((t) => t.id)).size).toBe(tables.length);
    const refs = new Map<string, number | null>();
    for (const table of tables) {
      for (const header of [...table.rows, ...table.columns])
        expect(headerSchema.safeParse(header).success).toBe(true);
      expect(table.cells).toHaveLength(table.rows.length);
      for (const row of table.cells) {
        expect(row).toHaveLength(table.columns.length);
        for (const c of row) {
          if (COUNT_UNITS.includes(c.unit)) expect(c.ref).toMatch(/^[a-z]/);
          else if (c.value !== null) expect(c.base).toBeTypeOf('number');
          expect(c.ref ?? '').not.toMatch(/2025/);
          // One ref, one quantity: wherever a ref appears, it holds the same figure.
          if (c.ref) {
            if (refs.has(c.ref)) expect(refs.get(c.ref)).toBe(c.value);
            refs.set(c.ref, c.value);
          }
        }
      }
    }
    const howTo = sections[0];
    expect(howTo?.paragraphs[0]).toContain('2025-01-01 to 2025-12-31');
    expect(howTo?.paragraphs.join(' ')).toMatch(
      /“a few” \(under a quarter\), “some” \(a quarter to a half\), “most” \(over half\)/,
    );
    expect(cell(tableOf(howTo?.tables ?? [], 'sources'), 'check-ins', 'records').value).toBe(2);
  });

  it('puts no figure from the evidence in any paragraph', () => {
    const sections = composePack(
      { ...EMPTY, resources: Array.from({ length: 37 }, () => resource()) },
      { period: { from: '2025-01-01', to: '2025-06-30' }, sites: ['london'], codebook: { themes: [] } },
    );

    expect(sections.flatMap((s) => s.paragraphs).join(' ')).not.toContain('37');
  });
});
