import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { suppressSmallGroups, type DisclosurePolicy } from '../../shared/domain/disclosure';
import { ValidationError } from '../../shared/domain/errors';
import { addDays, isoWeekOf, toIsoDate } from '../../shared/domain/iso-week';
import type { ProgrammeStore } from '../../shared/domain/programme';
import { WELLBEING_PULSE_V1, type WellbeingItemId } from '../../shared/domain/questionnaires';
import { redactFreeText } from '../../shared/domain/redaction';
import { countMetric, METRIC_NAMES } from '../../shared/http/metrics';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

const score = z.int().min(WELLBEING_PULSE_V1.scale.min).max(WELLBEING_PULSE_V1.scale.max);

export const pulseBodySchema = z
  .object({
    questionnaireVersion: z.literal(WELLBEING_PULSE_V1.version),
    answers: z
      .object(
        Object.fromEntries(WELLBEING_PULSE_V1.items.map((item) => [item.id, score])) as Record<
          WellbeingItemId,
          typeof score
        >,
      )
      .strict(),
    comment: z
      .string()
      .trim()
      .max(WELLBEING_PULSE_V1.comment.maxLength)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      .optional(),
  })
  .strict()
  .meta({ id: 'WellbeingPulse' });

export type PulseBody = z.infer<typeof pulseBodySchema>;

export const pulseReceiptSchema = z
  .object({
    site: z.enum(SITE_IDS),
    week: z.string().max(8),
    replaced: z.boolean(),
    redacted: z.record(z.string(), z.int()),
  })
  .strict()
  .meta({ id: 'WellbeingPulseReceipt' });

export type PulseReceipt = z.infer<typeof pulseReceiptSchema>;

/** A stored check-in: the staff member is only ever a keyed pseudonym, the comment already redacted. */
export interface StoredPulse {
  readonly site: SiteId;
  readonly week: string;
  readonly monday: string;
  readonly respondent: string;
  readonly questionnaireVersion: number;
  readonly answers: Readonly<Record<WellbeingItemId, number>>;
  readonly comment?: string;
  readonly submittedAt: string;
}

/** The port the wellbeing rules need from storage. */
export interface PulseStore {
  /**
   * Writes the check-in and its audit event together. Returns `replaced: true` when the same person
   * had already checked in that week (the earlier one is overwritten, never counted twice).
   */
  savePulse(pulse: StoredPulse, audit: (replaced: boolean) => AuditEvent): Promise<{ replaced: boolean }>;
  /** Check-ins at a site for weeks starting on or after `fromMonday` and on or before `toDate`. */
  listPulses(site: SiteId, fromMonday: string, toDate: string): Promise<StoredPulse[]>;
  /**
   * When `respondent` checked in at `site` in the week starting `monday`, or undefined when they
   * have not: only the time is read, never the answers or the comment.
   */
  findPulseTime(site: SiteId, monday: string, respondent: string): Promise<string | undefined>;
}

export interface WellbeingDeps {
  readonly pulses: PulseStore;
  readonly programme: ProgrammeStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Records this week's check-in for the calling staff member (question area 4.4, outcome j). */
export async function submitPulse(
  deps: WellbeingDeps,
  principal: Principal,
  site: SiteId,
  body: PulseBody,
): Promise<PulseReceipt> {
  const at = deps.now();
  const week = isoWeekOf(at);
  const comment = body.comment ? redactFreeText(body.comment) : undefined;
  const pulse: StoredPulse = {
    site,
    week: week.label,
    monday: week.monday,
    respondent: principal.actor,
    questionnaireVersion: body.questionnaireVersion,
    answers: body.answers,
    ...(comment && comment.text.length > 0 ? { comment: comment.text } : {}),
    submittedAt: at.toISOString(),
  };
  const { replaced } = await deps.pulses.savePulse(pulse, (replaced) => ({
    id: deps.newId(),
    at: pulse.submittedAt,
    actor: principal.actor,
    action: replaced ? 'wellbeing-pulse.replace' : 'wellbeing-pulse.create',
    subjectType: 'wellbeing-pulse',
    subjectId: `${site}/${week.label}`,
  }));
  return { site, week: week.label, replaced, redacted: comment?.removed ?? {} };
}

const isoDate = z.iso.date();

export const pulseThisWeekSchema = z
  .object({
    site: z.enum(SITE_IDS),
    week: z.string().max(8).meta({ description: 'This ISO week (UTC), e.g. 2026-W49.' }),
    monday: isoDate,
    checkedIn: z.boolean().meta({ description: "Whether you have made this week's check-in." }),
    submittedAt: z.iso.datetime().optional().meta({
      description: 'When you made it (the latest, if you replaced it); absent when you have not.',
    }),
  })
  .strict()
  .meta({
    id: 'WellbeingPulseThisWeek',
    description:
      'About the calling staff member only, never anyone else, and never the answers: a new check-in this week replaces the one made.',
  });

export type PulseThisWeek = z.infer<typeof pulseThisWeekSchema>;

/**
 * Whether the calling staff member has checked in at `site` this ISO week (the week `submitPulse`
 * files a check-in under), and when. The lookup is by their own pseudonym, so nobody can learn
 * whether a colleague has checked in.
 */
export async function readPulseThisWeek(
  deps: Pick<WellbeingDeps, 'pulses' | 'now'>,
  principal: Principal,
  site: SiteId,
): Promise<PulseThisWeek> {
  const week = isoWeekOf(deps.now());
  const submittedAt = await deps.pulses.findPulseTime(site, week.monday, principal.actor);
  return {
    site,
    week: week.label,
    monday: week.monday,
    checkedIn: submittedAt !== undefined,
    ...(submittedAt === undefined ? {} : { submittedAt }),
  };
}

export const summaryQuerySchema = z
  .object({
    from: isoDate.optional().meta({ description: 'First day (YYYY-MM-DD); default 12 weeks before `to`.' }),
    to: isoDate.optional().meta({ description: 'Last day (YYYY-MM-DD); default today.' }),
  })
  .strict();

export type SummaryQuery = z.infer<typeof summaryQuerySchema>;

const itemMeanSchema = z.object({ id: z.string().max(40), mean: z.number() }).strict();

const groupSchema = z.discriminatedUnion('status', [
  z
    .object({
      scope: z.enum(['programme', 'site']),
      site: z.enum(SITE_IDS).optional(),
      status: z.literal('shown'),
      respondents: z.int(),
      checkIns: z.int(),
      comments: z.int().meta({ description: 'How many check-ins had a comment; comments are never listed.' }),
      items: z.array(itemMeanSchema).max(20),
    })
    .strict(),
  z
    .object({
      scope: z.enum(['programme', 'site']),
      site: z.enum(SITE_IDS).optional(),
      status: z.literal('suppressed'),
      reason: z.string().max(200),
    })
    .strict(),
]);

export const wellbeingSummarySchema = z
  .object({
    from: isoDate,
    to: isoDate,
    questionnaire: z.object({ id: z.string().max(40), version: z.int() }).strict(),
    disclosurePolicy: z.object({ minGroupSize: z.int() }).strict(),
    groups: z.array(groupSchema).max(10),
  })
  .strict()
  .meta({ id: 'WellbeingSummary' });

export type WellbeingSummary = z.infer<typeof wellbeingSummarySchema>;
type Group = WellbeingSummary['groups'][number];

const DEFAULT_SPAN_DAYS = 12 * 7 - 1;
const MAX_SPAN_DAYS = 366;

/** Programme- and site-level wellbeing for evaluators, under the programme's disclosure policy. */
export async function summariseWellbeing(
  deps: WellbeingDeps,
  query: SummaryQuery,
): Promise<WellbeingSummary> {
  const to = query.to ?? toIsoDate(deps.now());
  const from = query.from ?? addDays(to, -DEFAULT_SPAN_DAYS);
  if (from > to) throw new ValidationError([{ pointer: '/query/from', detail: 'must be on or before `to`' }]);
  if (Date.parse(to) - Date.parse(from) > MAX_SPAN_DAYS * 86_400_000) {
    throw new ValidationError([
      { pointer: '/query/to', detail: `the period can be at most ${MAX_SPAN_DAYS} days` },
    ]);
  }
  const fromMonday = isoWeekOf(new Date(`${from}T00:00:00Z`)).monday;
  const programme = await deps.programme.getProgramme();
  const perSite = await Promise.all(SITE_IDS.map((site) => deps.pulses.listPulses(site, fromMonday, to)));
  const groups = summarisePulses(perSite.flat(), programme.disclosurePolicy);
  countMetric(METRIC_NAMES.groupsSuppressed, groups.filter((g) => g.status === 'suppressed').length);
  return {
    from,
    to,
    questionnaire: { id: WELLBEING_PULSE_V1.id, version: WELLBEING_PULSE_V1.version },
    disclosurePolicy: programme.disclosurePolicy,
    groups,
  };
}

/**
 * Aggregates check-ins into the programme group and one group per site. Means are over check-ins,
 * to one decimal place; a group is shown only as the disclosure policy allows.
 */
export function summarisePulses(pulses: readonly StoredPulse[], policy: DisclosurePolicy): Group[] {
  const bySite = Object.fromEntries(
    SITE_IDS.map((site) => [site, pulses.filter((p) => p.site === site)]),
  ) as Record<SiteId, StoredPulse[]>;
  const respondents = (ps: readonly StoredPulse[]) => new Set(ps.map((p) => p.respondent)).size;
  const decision = suppressSmallGroups(
    respondents(pulses),
    Object.fromEntries(SITE_IDS.map((site) => [site, respondents(bySite[site])])) as Record<SiteId, number>,
    policy,
  );
  const describe = (scope: 'programme' | 'site', ps: readonly StoredPulse[], site?: SiteId): Group => {
    const verdict = scope === 'programme' ? decision.total : decision.parts[site as SiteId];
    const where = site ? { site } : {};
    if (!verdict.shown) return { scope, ...where, status: 'suppressed', reason: verdict.reason };
    return {
      scope,
      ...where,
      status: 'shown',
      respondents: respondents(ps),
      checkIns: ps.length,
      comments: ps.filter((p) => p.comment !== undefined).length,
      items: WELLBEING_PULSE_V1.items.map(({ id }) => ({
        id,
        mean: Math.round((ps.reduce((sum, p) => sum + p.answers[id], 0) / ps.length) * 10) / 10,
      })),
    };
  };
  return [describe('programme', pulses), ...SITE_IDS.map((site) => describe('site', bySite[site], site))];
}
