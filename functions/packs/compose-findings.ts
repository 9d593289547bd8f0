import {
  type ComposedSection,
  countCell,
  DistinctTally,
  notAvailable,
  type SectionFold,
  Tally,
} from './compose-table';
import {
  type EvidenceFinding,
  type PackEvidence,
  type PackTheme,
  QUESTION_AREAS,
  type QuestionAreaCode,
  redactFreeText,
  RESPONDENT_GROUPS,
  type SiteId,
} from './evidence';
import type { CellUnit, Header, PackSection, RawCell, RawTable } from './pack-model';

const STANCES = ['enabler', 'barrier', 'neutral'] as const;

/** Respondent groups as a reader sees them. */
export const RESPONDENT_GROUP_LABELS: Readonly<Record<(typeof RESPONDENT_GROUPS)[number], string>> = {
  'provider-staff': 'Provider staff',
  'person-using-service': 'Person using the service',
  'probation-practitioner': 'Probation practitioner',
  'prison-staff': 'Prison staff',
  'commissioner-contract-manager': 'Commissioner or contract manager',
  'community-organisation': 'Community organisation',
};

const groupLabel = (group: string): string =>
  (RESPONDENT_GROUP_LABELS as Readonly<Record<string, string | undefined>>)[group] ?? 'Other';

/** The structured streams, and the question area each one holds evidence for. */
const STREAMS: readonly { area: QuestionAreaCode; stream: StructuredStream }[] = [
  { area: '4.3', stream: 'checks' },
  { area: '4.4', stream: 'pulses' },
  { area: '4.5', stream: 'barrierReports' },
  { area: '4.6', stream: 'engagementReturns' },
  { area: '4.7', stream: 'resources' },
];

/** The streams other than findings, by their name in {@link PackEvidence}. */
export type StructuredStream = Exclude<keyof PackEvidence, 'findings' | 'feedback' | 'changes'>;

/** Quotes shown per theme, and in the whole pack (the pack's own limit). */
const QUOTES_PER_THEME = 3;
const MAX_QUOTES = 100;

/** A theme's figures, gathered in one pass over the findings. */
interface ThemeFigures {
  readonly findings: Tally<string>;
  readonly sites: DistinctTally<string>;
  readonly groups: DistinctTally<string>;
  readonly quotes: Map<string, { text: string; group: string }[]>;
}

function gather(sites: readonly SiteId[]): SectionFold<EvidenceFinding, ThemeFigures> {
  const wanted = new Set<string>(sites);
  const figures: ThemeFigures = {
    findings: new Tally(),
    sites: new DistinctTally(),
    groups: new DistinctTally(),
    quotes: new Map(),
  };
  const add = (f: EvidenceFinding): void => {
    if (!wanted.has(f.site)) return;
    figures.findings.add(f.theme);
    figures.findings.add(`${f.theme}/${f.stance}`);
    figures.findings.add(`${f.theme}/group:${f.respondentGroup}`);
    figures.sites.add(f.theme, f.site);
    figures.groups.add(f.theme, f.respondentGroup);
    if (f.quotes.length > 0) {
      let list = figures.quotes.get(f.theme);
      if (!list) figures.quotes.set(f.theme, (list = []));
      for (const text of f.quotes) list.push({ text, group: f.respondentGroup });
    }
  };
  return { add, finish: () => figures };
}

const unitOf = (column: string): CellUnit =>
  column === 'sites' ? 'sites' : column === 'sources' ? 'reports' : 'findings';
const themeRowId = (theme: PackTheme) => `theme:${theme.id.toLowerCase()}`;
const areaOf = (code: QuestionAreaCode) => QUESTION_AREAS.find((a) => a.code === code);

/**
 * The rows of the map for some areas: each area's themes by name; an area with no theme yet has
 * one row of its own, all gaps, so a question nobody has evidence on is visible as such.
 */
function mapTable(
  id: string,
  title: string,
  areas: readonly QuestionAreaCode[],
  themes: readonly PackTheme[],
  figures: ThemeFigures,
  hasRecords: (stream: StructuredStream) => boolean,
): RawTable {
  const byName = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
  const columns: Header[] = [
    { id: 'findings', label: 'Findings', totalOf: [...STANCES] },
    { id: 'enabler', label: 'Enabler' },
    { id: 'barrier', label: 'Barrier' },
    { id: 'neutral', label: 'Neutral' },
    { id: 'sites', label: 'Sites it was raised at' },
    ...RESPONDENT_GROUPS.map((g) => ({
      id: `group:${g}`,
      label: `Findings from: ${RESPONDENT_GROUP_LABELS[g]}`,
    })),
    { id: 'sources', label: 'Independent sources (triangulation)' },
  ];
  const rows: Header[] = [];
  const cells: RawCell[][] = [];
  for (const code of areas) {
    const area = areaOf(code);
    const areaThemes = themes.filter((t) => t.area === code).sort((a, b) => byName.compare(a.name, b.name));
    const streams = STREAMS.filter((s) => s.area === code && hasRecords(s.stream)).length;
    if (areaThemes.length === 0) {
      rows.push({ id: `area:${code}`, label: `${code} ${area?.title ?? ''}: no themes coded yet` });
      cells.push(columns.map((c) => notAvailable(unitOf(c.id), `evidence.area-${code}.${c.id}`)));
      continue;
    }
    for (const theme of areaThemes) {
      rows.push({ id: themeRowId(theme), label: `${code} ${area?.title ?? ''}: ${theme.name}` });
      const ref = (what: string) => `evidence.${theme.id.toLowerCase()}.${what}`;
      const total = figures.findings.get(theme.id);
      if (total === 0) {
        cells.push(columns.map((c) => notAvailable(unitOf(c.id), ref(c.id))));
        continue;
      }
      cells.push([
        countCell(total, 'findings', ref('findings')),
        ...STANCES.map((s) => countCell(figures.findings.get(`${theme.id}/${s}`), 'findings', ref(s))),
        countCell(figures.sites.get(theme.id), 'sites', ref('sites')),
        ...RESPONDENT_GROUPS.map((g): RawCell => ({
          ...countCell(figures.findings.get(`${theme.id}/group:${g}`), 'findings', ref(`group:${g}`)),
          bandOf: ref('findings'),
        })),
        countCell(figures.groups.get(theme.id) + streams, 'reports', ref('sources')),
      ]);
    }
  }
  return {
    id,
    title,
    description:
      'Coded findings from interviews, focus groups and free-text survey answers in the period, per theme of the codebook. A gap ([x]) is a question or theme with no finding yet.',
    rowHeader: 'Question area and theme',
    rows,
    columns,
    cells,
    notes: [
      'Independent sources: the respondent groups whose findings support the theme, plus each structured source (capital checks, check-ins, referral barrier reports, engagement returns, community resources) holding evidence on the theme’s question area in the period. A structured source shows there is other evidence on the question, not that it points the same way.',
    ],
  };
}

/**
 * Curated quotes: only those marked publishable, redacted again now (the redaction may have learnt
 * since they were stored), attributed by respondent group only, and only for themes raised at two
 * or more sites, so no quote can be traced to the one site that raised a theme. At most three per
 * theme, in a fixed order so a rebuild gives the same pack.
 */
function curateQuotes(themes: readonly PackTheme[], figures: ThemeFigures): PackSection['quotes'] {
  const quotes: PackSection['quotes'][number][] = [];
  for (const theme of themes) {
    if (figures.sites.get(theme.id) < 2) continue;
    const candidates = [...(figures.quotes.get(theme.id) ?? [])]
      .map((q) => ({ text: redactFreeText(q.text).text.trim(), group: q.group }))
      .filter((q) => q.text.length > 0)
      .sort((a, b) => a.text.localeCompare(b.text) || a.group.localeCompare(b.group));
    for (const q of candidates.slice(0, QUOTES_PER_THEME)) {
      quotes.push({
        theme: theme.name,
        text: q.text.slice(0, 1500),
        respondentGroup: groupLabel(q.group),
      });
    }
  }
  return quotes.slice(0, MAX_QUOTES);
}

/**
 * The evidence map (question area × theme) with its curated quotes, and the section on interfaces
 * with other services (4.8), which only interviews speak to. One pass over the findings.
 */
export function composeFindings(
  evidence: PackEvidence,
  themes: readonly PackTheme[],
  sites: readonly SiteId[],
): FindingsSections {
  const fold = findingsFold(themes, sites, (stream) => evidence[stream].length > 0);
  for (const f of evidence.findings) fold.add(f);
  return fold.finish();
}

type FindingsSections = { map: ComposedSection; interfaces: ComposedSection };

/**
 * {@link composeFindings} one finding at a time. `hasRecords` says, when the fold finishes, whether
 * a structured stream had any record at all (of any site): the triangulation marker counts it.
 */
export function findingsFold(
  themes: readonly PackTheme[],
  sites: readonly SiteId[],
  hasRecords: (stream: StructuredStream) => boolean,
): SectionFold<EvidenceFinding, FindingsSections> {
  const gathering = gather(sites);
  return { add: gathering.add, finish: () => findingsSections(themes, gathering.finish(), hasRecords) };
}

function findingsSections(
  themes: readonly PackTheme[],
  figures: ThemeFigures,
  hasRecords: (stream: StructuredStream) => boolean,
): FindingsSections {
  const ordered = QUESTION_AREAS.flatMap((a) => {
    const byName = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
    return themes.filter((t) => t.area === a.code).sort((x, y) => byName.compare(x.name, y.name));
  });
  const map: ComposedSection = {
    id: 'evidence-map',
    title: 'Evidence map',
    outcomes: [],
    paragraphs: [
      'Evaluators code what interviews, focus groups and free-text survey answers say against the themes of a shared codebook, under the plan’s question areas. Each finding is marked as an enabler, a barrier or neutral.',
      'The map shows where evidence is strong (many findings, several sites and groups, other sources on the same question) and where there are gaps. Counts of findings show how often a theme came up, not how many people hold a view.',
      'Quotes are shown only for themes raised at two or more sites, only where the evaluator marked them for publication, with identifying details removed, and attributed only to the kind of person who said them.',
    ],
    // One table per question area: an area holds up to 100 themes, the whole codebook up to 600.
    tables: QUESTION_AREAS.map((a) =>
      mapTable(
        `evidence-map-${a.code}`,
        `Evidence map, ${a.code} ${a.title}: findings per theme`,
        [a.code],
        themes,
        figures,
        hasRecords,
      ),
    ),
    quotes: curateQuotes(ordered, figures),
  };
  const interfaces: ComposedSection = {
    id: '4.8',
    title: 'Interfaces with other services',
    outcomes: ['h'],
    paragraphs: [
      'How the service works with accommodation, finance, benefit and debt, and education, training and employment services, and with local authorities, comes from interviews and focus groups only.',
    ],
    tables: [
      mapTable(
        'interfaces-themes',
        'Interfaces with other services: findings per theme',
        ['4.8'],
        themes,
        figures,
        hasRecords,
      ),
    ],
    quotes: curateQuotes(
      ordered.filter((t) => t.area === '4.8'),
      figures,
    ),
  };
  return { map, interfaces };
}
