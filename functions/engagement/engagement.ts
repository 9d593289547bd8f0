import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import {
  type FieldProblem,
  issuesAsProblems,
  MISSING_IS_REQUIRED,
  ValidationError,
} from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';

/**
 * The earliest month a return can be for. Early testing began in November 2024; the months before
 * are accepted so a site can give a baseline from the services the model absorbs (PWB, D&R). A
 * month before 2024 is far more likely a typing slip than real data.
 */
export const EARLIEST_ENGAGEMENT_MONTH = '2024-01';

/**
 * The largest count accepted in any field. A site has two or three link workers; even a whole
 * region after recommissioning would not see ten thousand referrals or sessions in a month, so a
 * bigger number is a slip (an extra digit, a pasted total) rather than data.
 */
export const MAX_ENGAGEMENT_COUNT = 10_000;

const MONTH = /^\d{4}-(?:0[1-9]|1[0-2])$/;

export const engagementMonthSchema = z
  .string()
  .regex(MONTH, 'must be a month as YYYY-MM')
  .meta({ description: 'The month the figures are for, as YYYY-MM.', example: '2025-01' });

export const engagementParamsSchema = z
  .object({ site: z.enum(SITE_IDS), month: engagementMonthSchema })
  .strict();

const count = (description: string) => z.int().min(0).max(MAX_ENGAGEMENT_COUNT).meta({ description });

const appointmentsSchema = (what: string) =>
  z
    .object({
      booked: count(
        `${what} due to take place this month, counting every booking (a person booked twice counts twice).`,
      ),
      attended: count('Of those booked, how many were attended.'),
      notAttended: count('Of those booked, how many the person did not attend (DNA).'),
      cancelled: count('Of those booked, how many were cancelled (by anyone) before they took place.'),
    })
    .strict()
    .meta({
      description: `${what}. Each booked appointment has at most one outcome, so attended + notAttended + cancelled is at most booked (the rest are not yet recorded).`,
    });

export const engagementFiguresSchema = z
  .object({
    referralsReceived: count('Referrals received during the month.'),
    initialAppointments: appointmentsSchema('Initial appointments (first assessments)'),
    sessions: appointmentsSchema('One-to-one sessions after the initial appointment'),
    caseload: count('Cases open on the last day of the month.'),
    completions: count('Cases closed during the month because the person completed.'),
    withdrawals: count(
      'Cases closed during the month for any other reason (withdrew, disengaged, found unsuitable, moved, recalled).',
    ),
  })
  .strict()
  .meta({
    id: 'EngagementReturn',
    description:
      "A site's figures for one month (question area 4.6). Every field is a whole number from 0 to 10000.",
  });

export type EngagementFigures = z.infer<typeof engagementFiguresSchema>;

const percent = z.int().min(0).max(100);

const outcomeRates = z
  .object({
    attended: percent.meta({ description: 'attended ÷ booked, in whole percent.' }),
    notAttended: percent.meta({ description: 'not attended ÷ booked, in whole percent.' }),
    cancelled: percent.meta({ description: 'cancelled ÷ booked, in whole percent.' }),
  })
  .strict()
  .nullable()
  .meta({
    description:
      'The three rates providers report, each a share of booked, rounded to whole percent as a learning pack shows them; null when nothing was booked.',
  });

export const engagementRatesSchema = z
  .object({ initialAppointments: outcomeRates, sessions: outcomeRates })
  .strict()
  .meta({ id: 'EngagementRates' });

export type EngagementRates = z.infer<typeof engagementRatesSchema>;

export const engagementReceiptSchema = z
  .object({
    site: z.enum(SITE_IDS),
    month: z.string().max(7),
    replaced: z.boolean().meta({ description: "True when this replaced the month's earlier return." }),
    rates: engagementRatesSchema,
  })
  .strict()
  .meta({ id: 'EngagementReturnReceipt' });

export type EngagementReceipt = z.infer<typeof engagementReceiptSchema>;

/** A stored return. Who submitted it is in the audit log only: the figures are the site's, not a person's. */
export interface StoredEngagementReturn extends EngagementFigures {
  readonly site: SiteId;
  readonly month: string;
  readonly submittedAt: string;
}

/** The port the engagement rules need from storage. */
export interface EngagementReturnStore {
  /**
   * Writes the return and its audit event together. Returns `replaced: true` when the site already
   * had a return for that month (it is overwritten, never counted twice).
   */
  saveEngagementReturn(
    record: StoredEngagementReturn,
    audit: (replaced: boolean) => AuditEvent,
  ): Promise<{ replaced: boolean }>;
  /** A site's returns for the months `fromMonth` to `toMonth` (YYYY-MM, inclusive), oldest first. */
  listEngagementReturns(site: SiteId, fromMonth: string, toMonth: string): Promise<StoredEngagementReturn[]>;
}

export interface EngagementDeps {
  readonly engagementReturns: EngagementReturnStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** `YYYY-MM` of a moment, in UTC. */
export const monthOf = (at: Date): string => at.toISOString().slice(0, 7);

/**
 * The month's problems, if any: not a month, in the future (after the month of `now`), or before
 * {@link EARLIEST_ENGAGEMENT_MONTH}. The current month is allowed, so a site can send figures so far.
 */
export function checkEngagementMonth(month: string, now: Date, pointer = '/path/month'): FieldProblem[] {
  if (!MONTH.test(month)) return [{ pointer, detail: 'must be a month as YYYY-MM' }];
  if (month > monthOf(now))
    return [{ pointer, detail: `must not be in the future (this month is ${monthOf(now)})` }];
  if (month < EARLIEST_ENGAGEMENT_MONTH) {
    return [{ pointer, detail: `must be ${EARLIEST_ENGAGEMENT_MONTH} or later` }];
  }
  return [];
}

/**
 * The consistency rules of a return, each broken rule one problem whose pointer is the field that
 * breaks it and whose detail names the others. Only rules honest figures always satisfy are here:
 *
 * 1. For initial appointments and for sessions, `attended + notAttended + cancelled ≤ booked`:
 *    every booked appointment has at most one outcome (pointer: `booked`).
 * 2. Appointments attended mean someone was on the books that month: if any initial appointment or
 *    session was attended, `referralsReceived + caseload + completions + withdrawals ≥ 1`
 *    (pointer: `caseload`). A person who attended was either referred this month, still open at the
 *    end of it, or closed during it, and a closure is a completion or a withdrawal.
 *
 * Rules deliberately left out, because honest data breaks them:
 * - `initialAppointments.booked ≤ referralsReceived + caseload`: bookings count appointments, not
 *   people, so one person rebooked after two DNAs counts three times; and a case closed during the
 *   month can still have had an appointment booked in it.
 * - Any bound on sessions by caseload: one person has many sessions.
 * - Closures (`completions + withdrawals`) against last month's caseload plus referrals: it would tie
 *   one month's return to another's, so correcting an earlier month could invalidate later ones.
 *
 * @param prefix where the figures sit in the request, e.g. `/body`, or a row's prefix in an import.
 * @example checkEngagementFigures(figures, '/body') // [{ pointer: '/body/sessions/booked', detail: '…' }]
 */
export function checkEngagementFigures(figures: EngagementFigures, prefix = '/body'): FieldProblem[] {
  const problems: FieldProblem[] = [];
  for (const group of ['initialAppointments', 'sessions'] as const) {
    const { booked, attended, notAttended, cancelled } = figures[group];
    const outcomes = attended + notAttended + cancelled;
    if (outcomes > booked) {
      problems.push({
        pointer: `${prefix}/${group}/booked`,
        detail: `must be at least ${group}.attended + ${group}.notAttended + ${group}.cancelled (${attended} + ${notAttended} + ${cancelled} = ${outcomes}): each booked appointment has at most one outcome`,
      });
    }
  }
  const attended = figures.initialAppointments.attended + figures.sessions.attended;
  const people = figures.referralsReceived + figures.caseload + figures.completions + figures.withdrawals;
  if (attended > 0 && people === 0) {
    problems.push({
      pointer: `${prefix}/caseload`,
      detail: `caseload, referralsReceived, completions and withdrawals are all 0, but ${attended} appointment(s) were attended (initialAppointments.attended + sessions.attended): whoever attended was referred this month, is still open, or was closed this month`,
    });
  }
  return problems;
}

/**
 * For each group, attended, not attended and cancelled as shares of booked, in whole percent: the
 * rates providers already report, and the ones a learning pack shows (1,456 booked, 1,023 attended,
 * 270 not attended, 163 cancelled give 70, 19 and 11). Each is rounded on its own, so the three may
 * not add up to 100. Null when nothing was booked.
 */
export function engagementRates(figures: EngagementFigures): EngagementRates {
  const share = (part: number, booked: number) => Math.round((part * 100) / booked);
  const of = ({ booked, attended, notAttended, cancelled }: EngagementFigures['sessions']) =>
    booked === 0
      ? null
      : {
          attended: share(attended, booked),
          notAttended: share(notAttended, booked),
          cancelled: share(cancelled, booked),
        };
  return { initialAppointments: of(figures.initialAppointments), sessions: of(figures.sessions) };
}

/** Where a return's problems point: the HTTP route's by default, or an import row's columns. */
export interface EngagementPointers {
  readonly month: string;
  /** Prefix of the figures' fields, e.g. `/body` gives `/body/sessions/booked`. */
  readonly figures: string;
}

const HTTP_POINTERS: EngagementPointers = { month: '/path/month', figures: '/body' };

export type PreparedEngagementReturn =
  | { readonly ok: true; readonly record: StoredEngagementReturn; readonly rates: EngagementRates }
  | { readonly ok: false; readonly problems: readonly FieldProblem[] };

/**
 * Validates one return (shape, month and consistency rules) and builds what is stored, without
 * throwing: the HTTP route and a bulk import share it, the import calling it once per row and
 * writing the good rows in batches. `figures` may be anything; it is parsed strictly here.
 * @example
 * const prepared = prepareEngagementReturn('london', '2025-01', row, now, { month: '/rows/3/month', figures: '/rows/3' });
 * if (!prepared.ok) report(prepared.problems);
 */
export function prepareEngagementReturn(
  site: SiteId,
  month: string,
  figures: unknown,
  now: Date,
  pointers: EngagementPointers = HTTP_POINTERS,
): PreparedEngagementReturn {
  const problems = checkEngagementMonth(month, now, pointers.month);
  const parsed = engagementFiguresSchema.safeParse(figures, MISSING_IS_REQUIRED);
  if (!parsed.success)
    problems.push(
      ...issuesAsProblems(parsed.error.issues, pointers.figures, 'is not a field of this return'),
    );
  else problems.push(...checkEngagementFigures(parsed.data, pointers.figures));
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  const record: StoredEngagementReturn = { ...parsed.data, site, month, submittedAt: now.toISOString() };
  return { ok: true, record, rates: engagementRates(parsed.data) };
}

/**
 * Records a site's return for a month (question area 4.6), replacing any earlier return for that
 * month, with its audit event (`engagement-return.create` or `.replace`).
 */
export async function submitEngagementReturn(
  deps: EngagementDeps,
  principal: Principal,
  site: SiteId,
  month: string,
  figures: EngagementFigures,
): Promise<EngagementReceipt> {
  const prepared = prepareEngagementReturn(site, month, figures, deps.now());
  if (!prepared.ok) throw new ValidationError(prepared.problems);
  const { record, rates } = prepared;
  const { replaced } = await deps.engagementReturns.saveEngagementReturn(record, (replaced) => ({
    id: deps.newId(),
    at: record.submittedAt,
    actor: principal.actor,
    action: replaced ? 'engagement-return.replace' : 'engagement-return.create',
    subjectType: 'engagement-return',
    subjectId: `${site}/${month}`,
  }));
  return { site, month, replaced, rates };
}

/**
 * The most returns one listing holds: one a month from {@link EARLIEST_ENGAGEMENT_MONTH}, so fifty
 * years of returns. A site's returns are read whole (one Query of its partition, a few hundred bytes
 * a month) rather than paged.
 */
export const MAX_LISTED_RETURNS = 600;

export const engagementReturnListSchema = z
  .object({
    site: z.enum(SITE_IDS),
    returns: z
      .array(
        z
          .object({
            month: z.string().max(7),
            submittedAt: z.iso.datetime().meta({ description: 'When the figures now held were sent.' }),
            figures: engagementFiguresSchema,
            rates: engagementRatesSchema,
          })
          .strict(),
      )
      .max(MAX_LISTED_RETURNS)
      .meta({ description: 'Every month with a return, newest month first.' }),
  })
  .strict()
  .meta({ id: 'EngagementReturns' });

export type EngagementReturnList = z.infer<typeof engagementReturnListSchema>;

/**
 * A site's monthly returns, newest month first: the figures as last sent for each month and the
 * rates its receipt showed. Who sent them is not shown: the audit log holds that.
 */
export async function listEngagementReturns(
  deps: Pick<EngagementDeps, 'engagementReturns' | 'now'>,
  site: SiteId,
): Promise<EngagementReturnList> {
  const stored = await deps.engagementReturns.listEngagementReturns(
    site,
    EARLIEST_ENGAGEMENT_MONTH,
    monthOf(deps.now()),
  );
  return {
    site,
    returns: stored.reverse().map((record) => {
      const figures: EngagementFigures = {
        referralsReceived: record.referralsReceived,
        initialAppointments: record.initialAppointments,
        sessions: record.sessions,
        caseload: record.caseload,
        completions: record.completions,
        withdrawals: record.withdrawals,
      };
      return {
        month: record.month,
        submittedAt: record.submittedAt,
        figures,
        rates: engagementRates(figures),
      };
    }),
  };
}
