/**
 * The pack's tables computed a second way, for `npm run bench:packs`: DuckDB reads the same NDJSON
 * files and computes every count, sum, median and quartile of the composed tables with SQL
 * (GROUP BY), keyed as `table/row/column` like {@link flattenSections}, so the two can be checked
 * figure by figure and timed against each other. Used only by the benchmark.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { ComposedSection } from '../functions/packs/compose';
import { headerId } from '../functions/packs/compose-table';
import {
  CAPITAL_CHECK_V1,
  type PackTheme,
  QUESTION_AREAS,
  RESPONDENT_GROUPS,
  WELLBEING_PULSE_V1,
} from '../functions/packs/evidence';
import { ndjsonPath, PERIOD } from './packs-data';

export type Figures = Map<string, number | null>;

/** Every cell of the composed tables as `table/row/column` → exact value (null when not shown). */
export function flattenSections(sections: readonly ComposedSection[]): Figures {
  const figures: Figures = new Map();
  for (const section of sections) {
    for (const table of section.tables) {
      table.rows.forEach((row, r) => {
        table.columns.forEach((column, c) => {
          figures.set(`${table.id}/${row.id}/${column.id}`, table.cells[r]?.[c]?.value ?? null);
        });
      });
    }
  }
  return figures;
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** `table/row/column` keys and values from one row per group: a key expression and its values. */
const keyed = (columns: readonly [key: string, value: string][]) =>
  `unnest([${columns.map(([k]) => k).join(', ')}]) AS k, unnest([${columns.map(([, v]) => `(${v})::DOUBLE`).join(', ')}]) AS v`;

/** The queries: each answers rows of `k` (a `table/row/column` key) and `v` (its value). */
function queries(sites: readonly string[], themes: readonly PackTheme[]): string[] {
  const { barriers, needs, strengths } = CAPITAL_CHECK_V1.sections;
  const { afterDays, windowDays } = CAPITAL_CHECK_V1.followUp;
  const inSites = `site IN (${sites.map(quote).join(', ')})`;
  const siteKey = (table: string, column: string) =>
    `'${table}/' || coalesce(site, 'all-sites') || '/${column}'`;
  const themeValues = themes.map((t) => `(${quote(t.id)}, ${quote(t.area)})`).join(', ');
  const items = WELLBEING_PULSE_V1.items.map((i) => i.id);

  const people = `
    WITH people AS (
      SELECT site, participant,
        max(date) FILTER (WHERE kind = 'baseline') AS b_date,
        arg_max(struct_pack(barriers, needs, strengths), date) FILTER (WHERE kind = 'baseline') AS b,
        min(date) FILTER (WHERE kind <> 'baseline') AS first_date,
        max(date) FILTER (WHERE kind <> 'baseline') AS last_date,
        arg_max(struct_pack(barriers, needs, strengths), date) FILTER (WHERE kind <> 'baseline') AS l
      FROM checks WHERE ${inSites} GROUP BY site, participant
    ), cohort AS (
      SELECT site, b, b_date,
        CASE WHEN first_date > b_date THEN first_date END AS first_date,
        CASE WHEN last_date > b_date THEN l END AS l
      FROM people WHERE b_date IS NOT NULL
    )`;
  const outcome = `CASE WHEN first_date IS NULL THEN 'none'
      WHEN abs(date_diff('day', b_date::DATE, first_date::DATE) - ${afterDays}) <= ${windowDays} THEN 'on-time'
      ELSE 'off-time' END`;
  const due = `date_diff('day', b_date::DATE, DATE '${PERIOD.to}') > ${afterDays + windowDays}`;

  return [
    // How to read: records of each source.
    ...(
      [
        ['capital-checks', 'checks'],
        ['check-ins', 'pulses'],
        ['barrier-reports', 'barrierReports'],
        ['engagement-returns', 'engagementReturns'],
        ['resources', 'resources'],
        ['findings', 'findings'],
      ] as const
    ).map(
      ([id, table]) =>
        `SELECT 'sources/${id}/records' AS k, count(*)::DOUBLE AS v FROM ${table} WHERE ${inSites}`,
    ),

    // 4.3 capital checks: baselines and repeat checks, by site and all sites.
    `${people}
    SELECT ${keyed([
      [siteKey('capital-follow-ups', 'baselines'), 'count(*)'],
      [siteKey('capital-follow-ups', 'due'), `count(*) FILTER (WHERE ${due})`],
      ...(['on-time', 'off-time', 'none'] as const).map((o): [string, string] => [
        siteKey('capital-follow-ups', o),
        `count(*) FILTER (WHERE ${due} AND ${outcome} = '${o}')`,
      ]),
    ])}
    FROM cohort GROUP BY GROUPING SETS ((site), ())`,

    // Distance travelled per domain, and barriers and needs at baseline and latest, of the paired.
    `${people}, paired AS (SELECT b, l FROM cohort WHERE l IS NOT NULL)
    SELECT ${keyed([
      ...strengths.domains.flatMap((d): [string, string][] => {
        const change = `(l.strengths.${d.id} - b.strengths.${d.id})`;
        const key = (c: string) => quote(`capital-distance-travelled/${headerId(d.id)}/${c}`);
        return [
          [key('paired'), `count(${change})`],
          [key('improved'), `count(*) FILTER (WHERE ${change} > 0)`],
          [key('same'), `count(*) FILTER (WHERE ${change} = 0)`],
          [key('worse'), `count(*) FILTER (WHERE ${change} < 0)`],
          [key('median'), `quantile_cont(${change}, 0.5)`],
          [key('lower-quartile'), `quantile_cont(${change}, 0.25)`],
          [key('upper-quartile'), `quantile_cont(${change}, 0.75)`],
        ];
      }),
      ...(
        [
          ['barriers', barriers.items],
          ['needs', needs.items],
        ] as const
      ).flatMap(([section, sectionItems]) =>
        sectionItems.flatMap((i): [string, string][] => [
          [
            quote(`capital-barriers-needs/${section}.${headerId(i.id)}/baseline`),
            `count(*) FILTER (WHERE b.${section}.${i.id})`,
          ],
          [
            quote(`capital-barriers-needs/${section}.${headerId(i.id)}/latest`),
            `count(*) FILTER (WHERE l.${section}.${i.id})`,
          ],
        ]),
      ),
    ])}
    FROM paired`,

    // 4.4 wellbeing: each person's average per item, in bands, and the mean of the averages.
    `WITH people AS (
      SELECT site, respondent, ${items.map((i) => `avg(answers.${i}) AS ${i}`).join(', ')}
      FROM pulses WHERE ${inSites} GROUP BY site, respondent
    )
    SELECT ${keyed([
      ["'wellbeing-respondents/staff/all-sites'", 'count(*)'],
      ...items.flatMap((i): [string, string][] => {
        const key = (c: string) => quote(`wellbeing-items/${headerId(i)}/${c}`);
        return [
          [key('staff'), `count(${i})`],
          [key('disagree'), `count(*) FILTER (WHERE ${i} < 2.5)`],
          [key('neither'), `count(*) FILTER (WHERE ${i} >= 2.5 AND ${i} <= 3.5)`],
          [key('agree'), `count(*) FILTER (WHERE ${i} > 3.5)`],
          [key('mean'), `avg(${i})`],
        ];
      }),
    ])}
    FROM people`,
    `SELECT 'wellbeing-respondents/check-ins/all-sites' AS k, count(*)::DOUBLE AS v FROM pulses WHERE ${inSites}`,

    // 4.5 referrals: barriers by severity and sites, enablers, and who is referring.
    `WITH cited AS (SELECT site, unnest(barriers, recursive := true) FROM barrierReports WHERE ${inSites})
    SELECT ${keyed([
      ["'referral-barriers/' || code || '/reports'", 'count(*)'],
      ...['high', 'medium', 'low'].map((s): [string, string] => [
        `'referral-barriers/' || code || '/${s}'`,
        `count(*) FILTER (WHERE severity = '${s}')`,
      ]),
      ["'referral-barriers/' || code || '/sites'", 'count(DISTINCT site)'],
    ])}
    FROM cited GROUP BY code`,
    `WITH cited AS (SELECT site, unnest(enablers) AS code FROM barrierReports WHERE ${inSites})
    SELECT ${keyed([
      ["'referral-enablers/' || code || '/reports'", 'count(*)'],
      ["'referral-enablers/' || code || '/sites'", 'count(DISTINCT site)'],
    ])}
    FROM cited GROUP BY code`,
    `WITH latest AS (
      SELECT site, reporter, arg_max(referring, submittedAt) AS referring FROM barrierReports
      WHERE ${inSites} AND reporterRole IN ('probation-practitioner', 'prison-staff') GROUP BY site, reporter
    )
    SELECT ${keyed([
      [siteKey('referral-referring', 'reporters'), 'count(*)'],
      ...['yes', 'sometimes', 'no'].map((a): [string, string] => [
        siteKey('referral-referring', a),
        `count(*) FILTER (WHERE referring = '${a}')`,
      ]),
    ])}
    FROM latest GROUP BY GROUPING SETS ((site), ())`,

    // 4.6 engagement: the returns summed, by site and all sites.
    `SELECT ${keyed([
      [siteKey('engagement-referrals', 'referrals'), 'sum(referralsReceived)'],
      [siteKey('engagement-referrals', 'completions'), 'sum(completions)'],
      [siteKey('engagement-referrals', 'withdrawals'), 'sum(withdrawals)'],
      ...(
        [
          ['initial', 'initialAppointments'],
          ['sessions', 'sessions'],
        ] as const
      ).flatMap(([id, field]): [string, string][] => [
        [siteKey(`engagement-${id}`, 'booked'), `sum(${field}.booked)`],
        [siteKey(`engagement-${id}`, 'attended'), `sum(${field}.attended)`],
        [siteKey(`engagement-${id}`, 'not-attended'), `sum(${field}.notAttended)`],
        [siteKey(`engagement-${id}`, 'cancelled'), `sum(${field}.cancelled)`],
        [
          siteKey(`engagement-${id}`, 'not-recorded'),
          `sum(${field}.booked - ${field}.attended - ${field}.notAttended - ${field}.cancelled)`,
        ],
      ]),
    ])}
    FROM engagementReturns WHERE ${inSites} GROUP BY GROUPING SETS ((site), ())`,

    // 4.7 resources: by type, by site, and the groups they suit.
    ...(
      [
        ['resources-by-type', 'type', 'all-types'],
        ['resources-by-site', 'site', 'all-sites'],
      ] as const
    ).map(
      ([table, by, all]) => `
    SELECT ${keyed(
      (
        [
          ['resources', 'count(*)'],
          ['existing', "count(*) FILTER (WHERE status = 'existing')"],
          ['new', "count(*) FILTER (WHERE status = 'new')"],
          ['seed-funded', 'count(*) FILTER (WHERE seedFunded)'],
          ['open-access', 'count(*) FILTER (WHERE openAccess)'],
        ] as const
      ).map(([c, v]): [string, string] => [`'${table}/' || coalesce(${by}, '${all}') || '/${c}'`, v]),
    )}
    FROM resources WHERE ${inSites} GROUP BY GROUPING SETS ((${by}), ())`,
    ),
    `WITH suited AS (
      SELECT status, unnest(CASE WHEN len(suits) = 0 THEN ['anyone'] ELSE suits END) AS suit FROM resources WHERE ${inSites}
    )
    SELECT ${keyed([
      ["'resources-suits/' || suit || '/resources'", 'count(*)'],
      ["'resources-suits/' || suit || '/existing'", "count(*) FILTER (WHERE status = 'existing')"],
      ["'resources-suits/' || suit || '/new'", "count(*) FILTER (WHERE status = 'new')"],
    ])}
    FROM suited GROUP BY suit`,

    // Evidence map: per theme, findings by stance and group, sites; sources without the streams.
    `WITH themes(id, area) AS (VALUES ${themeValues})
    SELECT ${keyed([
      ...(['findings', 'enabler', 'barrier', 'neutral'] as const).map((c): [string, string] => [
        `'evidence-map-' || t.area || '/theme:' || lower(t.id) || '/${c}'`,
        c === 'findings' ? 'count(*)' : `count(*) FILTER (WHERE f.stance = '${c}')`,
      ]),
      ["'evidence-map-' || t.area || '/theme:' || lower(t.id) || '/sites'", 'count(DISTINCT f.site)'],
      ...RESPONDENT_GROUPS.map((g): [string, string] => [
        `'evidence-map-' || t.area || '/theme:' || lower(t.id) || '/group:${g}'`,
        `count(*) FILTER (WHERE f.respondentGroup = '${g}')`,
      ]),
      ["'groups/' || t.area || '/theme:' || lower(t.id)", 'count(DISTINCT f.respondentGroup)'],
    ])}
    FROM findings f JOIN themes t ON f.theme = t.id WHERE f.${inSites} GROUP BY t.area, t.id`,
    `SELECT ${keyed(
      (
        [
          ['4.3', 'checks'],
          ['4.4', 'pulses'],
          ['4.5', 'barrierReports'],
          ['4.6', 'engagementReturns'],
          ['4.7', 'resources'],
        ] as const
      ).map(([area, table]): [string, string] => [
        `'streams/${area}'`,
        `(SELECT count(*) > 0 FROM ${table})::INT`,
      ]),
    )}`,
  ];
}

/**
 * Loads the NDJSON files into DuckDB tables and runs the queries; returns the figures keyed as
 * {@link flattenSections} keys them (the evidence map's triangulation column completed from the
 * respondent groups and the streams present, as the pack defines it).
 */
export async function duckdbFigures(
  dir: string,
  sites: readonly string[],
  themes: readonly PackTheme[],
): Promise<Figures> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    for (const table of [
      'checks',
      'pulses',
      'barrierReports',
      'findings',
      'engagementReturns',
      'resources',
    ] as const) {
      await db.run(
        `CREATE TABLE ${table} AS SELECT * FROM read_ndjson(${quote(ndjsonPath(dir, table))}, sample_size = 20000)`,
      );
    }
    const figures: Figures = new Map();
    for (const sql of queries(sites, themes)) {
      const reader = await db.runAndReadAll(sql);
      for (const row of reader.getRowObjectsJS()) {
        if (typeof row.k !== 'string') throw new Error(`a query answered a key that is not text: ${sql}`);
        figures.set(row.k, row.v === null ? null : Number(row.v));
      }
    }
    // The triangulation column: distinct respondent groups plus the structured streams on the area.
    for (const area of QUESTION_AREAS) {
      const streams = figures.get(`streams/${area.code}`) ?? 0;
      for (const theme of themes.filter((t) => t.area === area.code)) {
        const groups = figures.get(`groups/${area.code}/theme:${theme.id.toLowerCase()}`);
        if (groups === undefined || groups === null) continue;
        figures.set(`evidence-map-${area.code}/theme:${theme.id.toLowerCase()}/sources`, groups + streams);
      }
    }
    for (const key of [...figures.keys()]) {
      if (key.startsWith('groups/') || key.startsWith('streams/')) figures.delete(key);
    }
    return figures;
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

/** Figures that differ between the two (beyond floating-point noise), and how many were compared. */
export function compareFigures(ours: Figures, theirs: Figures): { compared: number; differences: string[] } {
  const differences: string[] = [];
  let compared = 0;
  for (const [key, value] of theirs) {
    const mine = ours.get(key);
    if (mine === undefined) {
      differences.push(`${key}: DuckDB ${value}, not in the pack`);
      continue;
    }
    compared += 1;
    if (mine === null && value === null) continue;
    if (mine === null || value === null || Math.abs(mine - value) > 1e-9 * Math.max(1, Math.abs(value))) {
      differences.push(`${key}: ours ${mine}, DuckDB ${value}`);
    }
  }
  return { compared, differences };
}
