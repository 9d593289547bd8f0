import {
  type ComposedSection,
  countCell,
  rateCell,
  type SectionFold,
  siteRateRows,
  siteRows,
} from './compose-table';
import type { AppointmentCounts, EvidenceEngagementReturn, SiteId } from './evidence';
import type { CellUnit, Header, RawCell, RawTable } from './pack-model';

const GROUPS = [
  { key: 'initialAppointments', id: 'initial', label: 'Initial appointments', unit: 'appointments' },
  { key: 'sessions', id: 'sessions', label: 'Sessions', unit: 'sessions' },
] as const;

const OUTCOMES = [
  { key: 'attended', label: 'attended' },
  { key: 'notAttended', label: 'not attended' },
  { key: 'cancelled', label: 'cancelled' },
] as const;

interface SiteTotals {
  referrals: number;
  completions: number;
  withdrawals: number;
  initialAppointments: AppointmentCounts;
  sessions: AppointmentCounts;
  months: number;
}

const noAppointments = (): AppointmentCounts => ({ booked: 0, attended: 0, notAttended: 0, cancelled: 0 });
const plus = (a: AppointmentCounts, b: AppointmentCounts): AppointmentCounts => ({
  booked: a.booked + b.booked,
  attended: a.attended + b.attended,
  notAttended: a.notAttended + b.notAttended,
  cancelled: a.cancelled + b.cancelled,
});

/**
 * People using the service (4.6): the monthly returns summed over the period, by site and for all
 * sites, and the three rates providers already report: attended, not attended and cancelled, each
 * as a share of booked, for initial appointments and for sessions separately. Rates are exact here
 * (`1023 / 1456`); disclosure control rounds them to whole percent. One pass over the returns.
 */
export function composeEngagement(
  returns: readonly EvidenceEngagementReturn[],
  sites: readonly SiteId[],
): ComposedSection {
  const fold = engagementFold(sites);
  for (const r of returns) fold.add(r);
  return fold.finish();
}

/** {@link composeEngagement} one return at a time. */
export function engagementFold(sites: readonly SiteId[]): SectionFold<EvidenceEngagementReturn> {
  const totals = new Map<SiteId, SiteTotals>(
    sites.map((site) => [
      site,
      {
        referrals: 0,
        completions: 0,
        withdrawals: 0,
        initialAppointments: noAppointments(),
        sessions: noAppointments(),
        months: 0,
      },
    ]),
  );
  const add = (r: EvidenceEngagementReturn): void => {
    const t = totals.get(r.site);
    if (!t) return;
    t.referrals += r.referralsReceived;
    t.completions += r.completions;
    t.withdrawals += r.withdrawals;
    t.initialAppointments = plus(t.initialAppointments, r.initialAppointments);
    t.sessions = plus(t.sessions, r.sessions);
    t.months += 1;
  };
  return { add, finish: () => engagementSection(totals, sites) };
}

function engagementSection(
  totals: ReadonlyMap<SiteId, SiteTotals>,
  sites: readonly SiteId[],
): ComposedSection {
  const all = [...totals.values()].reduce(
    (sum, t) => ({
      referrals: sum.referrals + t.referrals,
      completions: sum.completions + t.completions,
      withdrawals: sum.withdrawals + t.withdrawals,
      initialAppointments: plus(sum.initialAppointments, t.initialAppointments),
      sessions: plus(sum.sessions, t.sessions),
      months: sum.months + t.months,
    }),
    {
      referrals: 0,
      completions: 0,
      withdrawals: 0,
      initialAppointments: noAppointments(),
      sessions: noAppointments(),
      months: 0,
    },
  );
  const rowTotals = [...sites.map((site) => [site, totals.get(site)] as const), ['all-sites', all] as const];

  return {
    id: '4.6',
    title: 'People using the service',
    outcomes: [],
    paragraphs: [
      'Figures are the sites’ monthly returns, added up over the period. Appointments are counted as bookings: a person booked three times counts three times, so these are not counts of people.',
      'Attended, not attended and cancelled are each a share of the appointments booked. They need not add up to the whole: an appointment booked near the end of a month may have no outcome recorded yet, and the tables show how many.',
      'Referrals, completions and withdrawals count people; a person referred twice in the period counts twice.',
    ],
    tables: [
      flowTable(sites, rowTotals),
      ...GROUPS.map((g) => appointmentsTable(g, sites, rowTotals)),
      ratesTable(sites, rowTotals),
    ],
    quotes: [],
  };
}

type RowTotals = readonly (readonly [string, SiteTotals | undefined])[];

const ref = (what: string, row: string) => `engagement.${what}.${row === 'all-sites' ? 'all' : row}`;

function flowTable(sites: readonly SiteId[], rows: RowTotals): RawTable {
  const columns: { id: string; label: string; pick: (t: SiteTotals) => number }[] = [
    { id: 'referrals', label: 'Referrals received', pick: (t) => t.referrals },
    { id: 'completions', label: 'Closed: completed', pick: (t) => t.completions },
    { id: 'withdrawals', label: 'Closed: withdrew or other reason', pick: (t) => t.withdrawals },
  ];
  return {
    id: 'engagement-referrals',
    title: 'Referrals received and cases closed, by site',
    description:
      'Totals of the monthly returns over the period; people, counted once per referral or closure.',
    rowHeader: 'Site',
    rows: siteRows(sites),
    columns: columns.map(({ id, label }) => ({ id, label })),
    cells: rows.map(([row, t]) => columns.map((c) => countCell(t ? c.pick(t) : 0, 'people', ref(c.id, row)))),
  };
}

function appointmentsTable(
  group: (typeof GROUPS)[number],
  sites: readonly SiteId[],
  rows: RowTotals,
): RawTable {
  const columns: Header[] = [
    { id: 'booked', label: 'Booked', totalOf: ['attended', 'not-attended', 'cancelled', 'not-recorded'] },
    { id: 'attended', label: 'Attended' },
    { id: 'not-attended', label: 'Not attended' },
    { id: 'cancelled', label: 'Cancelled' },
    { id: 'not-recorded', label: 'No outcome recorded yet' },
  ];
  const unit: CellUnit = group.unit;
  return {
    id: `engagement-${group.id}`,
    title: `${group.label} booked and their outcomes, by site`,
    description: `Totals of the monthly returns over the period, in ${group.unit}.`,
    rowHeader: 'Site',
    rows: siteRows(sites),
    columns,
    cells: rows.map(([row, t]) => {
      const c = t?.[group.key] ?? noAppointments();
      const values = [
        c.booked,
        c.attended,
        c.notAttended,
        c.cancelled,
        c.booked - c.attended - c.notAttended - c.cancelled,
      ];
      return columns.map((col, i) => countCell(values[i] ?? 0, unit, ref(`${group.id}.${col.id}`, row)));
    }),
  };
}

function ratesTable(sites: readonly SiteId[], rows: RowTotals): RawTable {
  const columns = GROUPS.flatMap((g) =>
    OUTCOMES.map((o) => ({ group: g, outcome: o, id: `${g.id}.${o.key}`, label: `${g.label} ${o.label}` })),
  );
  return {
    id: 'engagement-rates',
    title: 'Attended, not attended and cancelled as a share of booked, by site',
    description:
      'Each rate is the appointments with that outcome divided by the appointments booked, over the period.',
    rowHeader: 'Site',
    rows: siteRateRows(sites),
    columns: columns.map(({ id, label }) => ({ id: id.replace(/([A-Z])/g, '-$1').toLowerCase(), label })),
    cells: rows.map(([row, t]) =>
      columns.map(({ group, outcome }): RawCell => {
        const c = t?.[group.key] ?? noAppointments();
        const numerator = ref(`${group.id}.${outcome.key.replace(/([A-Z])/g, '-$1').toLowerCase()}`, row);
        return rateCell(c[outcome.key], c.booked, {
          numerator: [numerator],
          base: [ref(`${group.id}.booked`, row)],
        });
      }),
    ),
  };
}
