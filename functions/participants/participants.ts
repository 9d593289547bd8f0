/**
 * Capital checks of the people supported (question area 4.3, outcomes a-f): baseline, follow-ups
 * every 90 days and exit, by the provider's own reference, and the distance travelled between them.
 * The rules read the instrument definition (`CAPITAL_CHECK_V1`); they are pure, so the API and a bulk
 * import apply exactly the same ones.
 */
import * as z from 'zod';
import { nationalIdentifierKind } from '../../shared/domain/participant-ref';
import type { ReferenceVault } from '../../shared/adapters/participant-refs';
import type { AuditEvent } from '../../shared/domain/audit';
import { type CursorSigner, decodeCursor, encodeCursor, SIGNED_CURSOR } from '../../shared/domain/cursors';
import { ConflictError, type FieldProblem, ValidationError } from '../../shared/domain/errors';
import { addDays, ukDate } from '../../shared/domain/iso-week';
import {
  CAPITAL_CHECK_V1,
  type CapitalBarrierId,
  type CapitalNeedId,
  type StrengthDomainId,
} from '../../shared/domain/questionnaires';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';

// ── Who and when ──

export const CHECK_KINDS = ['baseline', 'follow-up', 'exit'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/**
 * Age bands. The London site's cohort is young adults aged 18 to 25, and two bands cover exactly that
 * range, so the cohort rule needs no date of birth.
 */
export const AGE_BANDS = ['under-18', '18-20', '21-25', '26-35', '36-49', '50-plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Sites whose cohort is limited by age, and the bands it takes. */
export const COHORT_AGE_BANDS: Readonly<Partial<Record<SiteId, readonly AgeBand[]>>> = {
  london: ['18-20', '21-25'],
};

/** No capital check can be dated before this: early testing data starts in 2024. */
export const EARLIEST_CHECK_DATE = '2024-01-01';

const PARTICIPANT_REF = /^[A-Za-z0-9_-]+$/;

export { nationalIdentifierKind };

/** A provider's own reference for a participant, as it may appear in a path. */
export const participantRefSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(PARTICIPANT_REF, 'use only letters, digits, - and _')
  .meta({ description: "The provider's own reference for the participant (1-40 letters, digits, - or _)." });

const newParticipantRefSchema = participantRefSchema.superRefine((ref, ctx) => {
  const kind = nationalIdentifierKind(ref);
  if (kind) {
    ctx.addIssue({
      code: 'custom',
      message: `looks like ${kind}: use your service's own reference for the person, never a national identifier`,
    });
  }
});

/**
 * The reference as it is matched: references are case-insensitive, so a follow-up or a withdrawal of
 * consent typed as `clw-12` finds the person recorded as `CLW-12`.
 */
export const canonicalParticipantRef = (ref: string): string => ref.toUpperCase();

// ── The body of a capital check ──

const { barriers, needs, strengths } = CAPITAL_CHECK_V1.sections;

const yesNo = z.boolean();
const strengthScore = (domain: (typeof strengths.domains)[number]) =>
  z.int().min(domain.scale.min).max(domain.scale.max);

export const capitalCheckBodySchema = z
  .object({
    participantRef: newParticipantRefSchema,
    kind: z.enum(CHECK_KINDS),
    date: z.iso.date().meta({ description: 'The day of the check (YYYY-MM-DD), not in the future.' }),
    questionnaireVersion: z.literal(CAPITAL_CHECK_V1.version),
    ageBand: z
      .enum(AGE_BANDS)
      .optional()
      .meta({ description: "Required for a baseline; at london it must be in the cohort's 18 to 25." }),
    barriers: z
      .object(
        Object.fromEntries(barriers.items.map((item) => [item.id, yesNo])) as Record<
          CapitalBarrierId,
          typeof yesNo
        >,
      )
      .strict(),
    needs: z
      .object(
        Object.fromEntries(needs.items.map((item) => [item.id, yesNo])) as Record<
          CapitalNeedId,
          typeof yesNo
        >,
      )
      .strict(),
    strengths: z
      .object(
        Object.fromEntries(strengths.domains.map((domain) => [domain.id, strengthScore(domain)])) as Record<
          StrengthDomainId,
          z.ZodInt
        >,
      )
      .strict(),
  })
  .strict()
  .meta({ id: 'CapitalCheck' });

export type CapitalCheckBody = z.infer<typeof capitalCheckBodySchema>;

const isoDate = z.iso.date();

export const distanceTravelledSchema = z
  .object({
    since: isoDate.meta({ description: 'The baseline date.' }),
    to: isoDate.meta({ description: 'The date of the latest follow-up or exit.' }),
    strengths: z
      .record(z.string().max(40), z.int())
      .meta({ description: 'Per strength domain: the latest score minus the baseline score.' }),
    barriers: z.int().meta({ description: 'Recent barriers now minus at baseline (negative: fewer).' }),
    needs: z.int().meta({ description: 'Unmet support needs now minus at baseline (negative: fewer).' }),
  })
  .strict()
  .meta({ id: 'DistanceTravelled' });

export type DistanceTravelled = z.infer<typeof distanceTravelledSchema>;

export const capitalReceiptSchema = z
  .object({
    id: z.string().max(64),
    site: z.enum(SITE_IDS),
    kind: z.enum(CHECK_KINDS),
    date: isoDate,
    nextFollowUpDue: isoDate.nullable().meta({ description: 'Null once the participant has exited.' }),
    distanceTravelled: distanceTravelledSchema
      .nullable()
      .meta({ description: 'Derived, never entered; null for a baseline.' }),
  })
  .strict()
  .meta({ id: 'CapitalCheckReceipt' });

export type CapitalReceipt = z.infer<typeof capitalReceiptSchema>;

// ── What is stored ──

/** One capital check as stored: the participant only as a keyed pseudonym, never the reference. */
export interface StoredCheck {
  readonly id: string;
  readonly site: SiteId;
  readonly participant: string;
  readonly kind: CheckKind;
  readonly date: string;
  readonly questionnaireVersion: number;
  readonly ageBand?: AgeBand;
  readonly barriers: Readonly<Record<CapitalBarrierId, boolean>>;
  readonly needs: Readonly<Record<CapitalNeedId, boolean>>;
  readonly strengths: Readonly<Record<StrengthDomainId, number>>;
  readonly recordedAt: string;
}

/**
 * One participant's running summary at a site: what the follow-up list reads, and where the derived
 * distance travelled lives. `version` counts the checks applied, and guards concurrent writes.
 */
export interface ParticipantSummary {
  readonly site: SiteId;
  readonly participant: string;
  /** The provider's reference, sealed so only this site can read it back (`ReferenceVault`). */
  readonly reference: string;
  readonly ageBand: AgeBand;
  readonly baseline: {
    readonly id: string;
    readonly date: string;
    readonly questionnaireVersion: number;
    readonly barriers: number;
    readonly needs: number;
    readonly strengths: Readonly<Record<StrengthDomainId, number>>;
  };
  readonly lastCheck: { readonly id: string; readonly kind: CheckKind; readonly date: string };
  readonly checks: number;
  readonly nextFollowUpDue: string | null;
  readonly exited: boolean;
  readonly distanceTravelled: DistanceTravelled | null;
  readonly version: number;
  readonly updatedAt: string;
}

// ── The rules ──

export interface AppliedCheck {
  readonly summary: ParticipantSummary;
  /** Null for a baseline. */
  readonly distanceTravelled: DistanceTravelled | null;
}

const AGE_BAND_REQUIRED: FieldProblem = { pointer: '/body/ageBand', detail: 'is required for a baseline' };

const countYes = (answers: Readonly<Record<string, boolean>>): number =>
  Object.values(answers).filter(Boolean).length;

/**
 * Whether a caller may be told what is stored about a site's participants (whether a reference has
 * a baseline, the kinds and dates of its checks): only the site's own provider staff, who hold the
 * references and see them with those dates in their follow-up list. Anyone else who may submit a
 * check (an evaluator, at any site) gets one answer for every refusal that depends on what is
 * stored, so that refusals cannot be used to test which references exist.
 */
export function seesParticipantRecords(principal: Principal, site: SiteId): boolean {
  return principal.roles.includes('provider') && principal.site === site;
}

/**
 * The one answer, to a caller who may not see a site's participant records, for a check that does
 * not fit what is stored: the same for a reference with no records as for one with records.
 */
export const CHECK_DOES_NOT_FIT =
  "This check does not fit this participant's record at this site: a baseline comes first and only once, each later check is dated after the one before, and nothing follows an exit. Ask the site's provider staff to check their records.";

/**
 * Applies one check to a participant's summary (undefined before the baseline), or throws:
 * `ValidationError` for a date in the future, before 2024, or not after the last check, and for a
 * baseline without an age band or outside the site's cohort; `ConflictError` for a second baseline,
 * a follow-up or exit with no baseline, and anything after an exit. Pointers are into `/body`.
 * Unless `disclose` (see `seesParticipantRecords`), every refusal that depends on the stored summary
 * is the same `ConflictError` (`CHECK_DOES_NOT_FIT`), naming no stored date or kind.
 *
 * @param today the UK date (`ukDate`) the check is recorded on
 * @param reference the sealed provider reference, kept on a new summary (ignored after the baseline)
 * @example applyCheck(undefined, baseline, '2025-03-01', sealed).summary.nextFollowUpDue // baseline.date + 90 days
 */
export function applyCheck(
  summary: ParticipantSummary | undefined,
  check: StoredCheck,
  today: string,
  reference: string,
  disclose = true,
): AppliedCheck {
  const problems: FieldProblem[] = [];
  if (check.date > today)
    problems.push({ pointer: '/body/date', detail: `is in the future (today is ${today})` });
  if (check.date < EARLIEST_CHECK_DATE) {
    problems.push({ pointer: '/body/date', detail: `must be on or after ${EARLIEST_CHECK_DATE}` });
  }
  if (check.kind === 'baseline') {
    const cohort = COHORT_AGE_BANDS[check.site];
    if (check.ageBand === undefined) {
      problems.push(AGE_BAND_REQUIRED);
    } else if (cohort && !cohort.includes(check.ageBand)) {
      problems.push({
        pointer: '/body/ageBand',
        detail: `is outside the ${check.site} cohort: young adults aged 18 to 25 (${cohort.join(' or ')})`,
      });
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);

  // From here on a refusal depends on what is stored.
  const refuse = (error: Error): never => {
    throw disclose ? error : new ConflictError(CHECK_DOES_NOT_FIT);
  };
  if (check.kind === 'baseline') {
    if (summary) refuse(new ConflictError('This participant already has a baseline at this site.'));
    // Already refused above; checked again so the type knows.
    if (check.ageBand === undefined) throw new ValidationError([AGE_BAND_REQUIRED]);
    return { summary: startSummary(check, check.ageBand, reference), distanceTravelled: null };
  }
  if (!summary) {
    return refuse(
      new ConflictError(
        `A ${check.kind} needs a baseline first: there is none for this participant at this site.`,
      ),
    );
  }
  if (summary.exited) {
    refuse(new ConflictError('This participant has exited: no capital check can follow the exit.'));
  }
  if (check.date <= summary.lastCheck.date) {
    refuse(
      new ValidationError([
        {
          pointer: '/body/date',
          detail: `${check.kind} before ${summary.lastCheck.kind}: must be after the last check, the ${summary.lastCheck.kind} of ${summary.lastCheck.date}`,
        },
      ]),
    );
  }
  const distanceTravelled = distanceBetween(summary.baseline, check);
  const exited = check.kind === 'exit';
  return {
    summary: {
      ...summary,
      lastCheck: { id: check.id, kind: check.kind, date: check.date },
      checks: summary.checks + 1,
      nextFollowUpDue: exited ? null : addDays(check.date, CAPITAL_CHECK_V1.followUp.afterDays),
      exited,
      distanceTravelled,
      version: summary.version + 1,
      updatedAt: check.recordedAt,
    },
    distanceTravelled,
  };
}

function startSummary(check: StoredCheck, ageBand: AgeBand, reference: string): ParticipantSummary {
  return {
    site: check.site,
    participant: check.participant,
    reference,
    ageBand,
    baseline: {
      id: check.id,
      date: check.date,
      questionnaireVersion: check.questionnaireVersion,
      barriers: countYes(check.barriers),
      needs: countYes(check.needs),
      strengths: check.strengths,
    },
    lastCheck: { id: check.id, kind: check.kind, date: check.date },
    checks: 1,
    nextFollowUpDue: addDays(check.date, CAPITAL_CHECK_V1.followUp.afterDays),
    exited: false,
    distanceTravelled: null,
    version: 1,
    updatedAt: check.recordedAt,
  };
}

/** The distance travelled from the baseline to a later check: derived, never entered. */
export function distanceBetween(
  baseline: ParticipantSummary['baseline'],
  check: StoredCheck,
): DistanceTravelled {
  return {
    since: baseline.date,
    to: check.date,
    strengths: Object.fromEntries(
      strengths.domains.map(({ id }) => [id, check.strengths[id] - baseline.strengths[id]]),
    ),
    barriers: countYes(check.barriers) - baseline.barriers,
    needs: countYes(check.needs) - baseline.needs,
  };
}

export type FollowUpStatus = 'not-yet' | 'due' | 'overdue';

/**
 * When the next follow-up is due after a check on `lastCheckDate`: 90 days on, within a window of 14
 * days either side. Before the window it is `not-yet`, inside it `due`, after it `overdue`.
 *
 * @example followUpWindow('2025-01-01', '2025-03-18') // { dueFrom: '2025-03-18', dueBy: '2025-04-15', status: 'due' }
 */
export function followUpWindow(
  lastCheckDate: string,
  today: string,
): { dueFrom: string; dueBy: string; status: FollowUpStatus } {
  const { afterDays, windowDays } = CAPITAL_CHECK_V1.followUp;
  const dueFrom = addDays(lastCheckDate, afterDays - windowDays);
  const dueBy = addDays(lastCheckDate, afterDays + windowDays);
  const status = today < dueFrom ? 'not-yet' : today <= dueBy ? 'due' : 'overdue';
  return { dueFrom, dueBy, status };
}

// ── Ports ──

/**
 * A participant's entry in the follow-up list: kept for every participant who has not exited, in the
 * same transaction as each check, and removed at exit and at erasure.
 */
export interface FollowUpEntry {
  readonly participant: string;
  /** Sealed, as in the summary. */
  readonly reference: string;
  readonly lastCheck: { readonly kind: CheckKind; readonly date: string };
  readonly dueFrom: string;
  readonly dueBy: string;
}

/** The entry a summary puts in the follow-up list, or none once the participant has exited. */
export function followUpEntryOf(summary: ParticipantSummary): FollowUpEntry | undefined {
  if (summary.exited) return undefined;
  const { dueFrom, dueBy } = followUpWindow(summary.lastCheck.date, summary.lastCheck.date);
  return {
    participant: summary.participant,
    reference: summary.reference,
    lastCheck: { kind: summary.lastCheck.kind, date: summary.lastCheck.date },
    dueFrom,
    dueBy,
  };
}

export interface FollowUpRange {
  readonly dueByFrom: string;
  readonly dueByTo: string;
  readonly limit: number;
  readonly after?: string;
}

/** Everything stored about one participant at a site, as erasure needs it. */
export interface ParticipantRecords {
  readonly site: SiteId;
  readonly participant: string;
  /** The summary's version, or undefined when there is no summary. */
  readonly summaryVersion: number | undefined;
  readonly checks: number;
  /** The `Idempotency-Key` records holding copies of responses about this participant. */
  readonly idempotencyRecords: readonly string[];
  /** The sort keys of every item but the summary (checks and links), for the store to delete. */
  readonly sortKeys: readonly string[];
  /** The last check's date, which places the participant in the follow-up list; undefined without a summary. */
  readonly lastCheckDate: string | undefined;
}

/** One participant's checks and their new summary, written together or not at all. */
export interface ParticipantWrite {
  readonly site: SiteId;
  readonly participant: string;
  readonly checks: readonly StoredCheck[];
  readonly summary: ParticipantSummary;
  /** The summary version read before applying the checks; undefined when there was none. */
  readonly expectedVersion: number | undefined;
  /** The summary read before applying the checks (its follow-up entry is replaced); undefined when there was none. */
  readonly replaces: ParticipantSummary | undefined;
  /** `Idempotency-Key` records to link to the participant, so erasure can find the copies. */
  readonly idempotencyRecords: readonly string[];
}

/** The port the capital rules need from storage. */
export interface CapitalStore {
  getSummary(site: SiteId, participant: string): Promise<ParticipantSummary | undefined>;
  listSummaries(site: SiteId): Promise<ParticipantSummary[]>;
  /** The summaries of these participants (keyed pseudonyms); those without one are left out. */
  getSummaries(site: SiteId, participants: readonly string[]): Promise<ParticipantSummary[]>;
  /**
   * The site's follow-up entries whose deadline (`dueBy`) is in `[dueByFrom, dueByTo]`, soonest first
   * (then by pseudonym), at most `limit`, after the position `after`; `more` is the position of the
   * last entry returned when there are more. One Query, however many participants the site has.
   */
  listFollowUpEntries(
    site: SiteId,
    range: FollowUpRange,
  ): Promise<{ entries: FollowUpEntry[]; more?: string }>;
  /**
   * Writes the checks, the summary and the audit events in one transaction. `stale` when the summary
   * is no longer the version read (another check for the same person landed first): nothing is written.
   */
  saveChecks(write: ParticipantWrite, audit: readonly AuditEvent[]): Promise<'saved' | 'stale'>;
  findParticipantRecords(site: SiteId, participant: string): Promise<ParticipantRecords>;
  /** Deletes what was found and writes the audit event; `stale` if a check landed since it was found. */
  eraseParticipantRecords(records: ParticipantRecords, audit: AuditEvent): Promise<'erased' | 'stale'>;
}

/** Seals a provider reference so that only the same site can open it again. */
/** Removes `Idempotency-Key` copies of responses; returns how many existed. */
export interface ResponseCopies {
  forget(records: readonly string[]): Promise<number>;
}

export interface CapitalDeps {
  readonly capital: CapitalStore;
  readonly participantRefs: ReferenceVault;
  readonly idempotency: ResponseCopies;
  /** The keyed pseudonym of a participant at a site: `pseudonymiseParticipant(site, canonicalRef)`. */
  readonly pseudonymiseParticipant: (site: SiteId, ref: string) => string;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** How often a write is retried when another one for the same participant got in first. */
const ATTEMPTS = 3;

// ── Use cases ──

/**
 * Records a capital check for a participant, known by the provider's reference. Applies the rules to
 * the stored summary and writes check, summary, audit event and (with an `Idempotency-Key`) the link
 * to its response copy in one transaction.
 */
export async function recordCapitalCheck(
  deps: CapitalDeps,
  principal: Principal,
  site: SiteId,
  body: CapitalCheckBody,
  idempotencyRecord?: string,
): Promise<CapitalReceipt> {
  const at = deps.now();
  const today = ukDate(at);
  const participant = deps.pseudonymiseParticipant(site, canonicalParticipantRef(body.participantRef));
  const check: StoredCheck = {
    id: deps.newId(),
    site,
    participant,
    kind: body.kind,
    date: body.date,
    questionnaireVersion: body.questionnaireVersion,
    ...(body.ageBand ? { ageBand: body.ageBand } : {}),
    barriers: body.barriers,
    needs: body.needs,
    strengths: body.strengths,
    recordedAt: at.toISOString(),
  };
  const audit: AuditEvent = {
    id: deps.newId(),
    at: check.recordedAt,
    actor: principal.actor,
    action: 'capital-check.create',
    subjectType: 'capital-check',
    subjectId: check.id,
  };
  let sealed: string | undefined;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const current = await deps.capital.getSummary(site, participant);
    const reference = current?.reference ?? (sealed ??= deps.participantRefs.seal(site, body.participantRef));
    const applied = applyCheck(current, check, today, reference, seesParticipantRecords(principal, site));
    const outcome = await deps.capital.saveChecks(
      {
        site,
        participant,
        checks: [check],
        summary: applied.summary,
        expectedVersion: current?.version,
        replaces: current,
        idempotencyRecords: idempotencyRecord ? [idempotencyRecord] : [],
      },
      [audit],
    );
    if (outcome === 'saved') {
      return {
        id: check.id,
        site,
        kind: check.kind,
        date: check.date,
        nextFollowUpDue: applied.summary.nextFollowUpDue,
        distanceTravelled: applied.distanceTravelled,
      };
    }
    // Another check for the same person landed first: apply the rules again to what is there now
    // (a racing second baseline then fails as a conflict).
  }
  throw new ConflictError('Other checks for this participant were being saved at the same time; try again.');
}

export const FOLLOW_UPS_PAGE_DEFAULT = 100;
export const FOLLOW_UPS_PAGE_MAX = 500;

export const followUpsQuerySchema = z
  .object({
    status: z
      .enum(['due', 'overdue'])
      .optional()
      .meta({ description: 'Only participants whose follow-up is due, or overdue; both when left out.' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(FOLLOW_UPS_PAGE_MAX)
      .optional()
      .meta({
        description: `Participants per page, 1-${FOLLOW_UPS_PAGE_MAX}; default ${FOLLOW_UPS_PAGE_DEFAULT}.`,
      }),
    cursor: z
      .string()
      .max(600)
      .regex(SIGNED_CURSOR)
      .optional()
      .meta({ description: 'The `next` value of the previous page, as given (it is signed).' }),
  })
  .strict();

export type FollowUpsQuery = z.infer<typeof followUpsQuerySchema>;

const followUpSchema = z
  .object({
    participant: z.string().max(64).meta({ description: 'The keyed pseudonym of the participant.' }),
    reference: participantRefSchema.optional().meta({
      description:
        "The provider's own reference, only for provider staff of this site; evaluators see the pseudonym only.",
    }),
    lastCheck: z.object({ kind: z.enum(CHECK_KINDS), date: isoDate }).strict(),
    dueFrom: isoDate,
    dueBy: isoDate,
    status: z.enum(['due', 'overdue']),
  })
  .strict();

export const followUpListSchema = z
  .object({
    site: z.enum(SITE_IDS),
    asOf: isoDate,
    participants: z.array(followUpSchema).max(FOLLOW_UPS_PAGE_MAX),
    next: z.string().max(600).optional().meta({
      description:
        "Pass as `cursor` for the next page; absent on the last page. Every page of one listing is as of the first page's day.",
    }),
  })
  .strict()
  .meta({ id: 'FollowUps' });

export type FollowUpList = z.infer<typeof followUpListSchema>;

/** The position in the follow-up list (`<due by>#<pseudonym>`), as a cursor carries it. */
const FOLLOW_UP_POSITION = /^\d{4}-\d{2}-\d{2}#[A-Za-z0-9_-]{1,64}$/;

const followUpCursorSchema = z
  .object({
    site: z.enum(SITE_IDS),
    status: z.enum(['due', 'overdue', 'both']),
    asOf: isoDate,
    after: z.string().max(100).regex(FOLLOW_UP_POSITION),
  })
  .strict();

export interface FollowUpDeps extends Pick<CapitalDeps, 'capital' | 'participantRefs' | 'now'> {
  readonly cursors: CursorSigner;
}

/**
 * Participants at a site whose next follow-up is due or overdue, soonest deadline first, a page at a
 * time. Read from the site's follow-up entries by deadline (one Query of the wanted range), never
 * from every participant: a follow-up is due when its deadline is today or in the next 28 days (its
 * window), overdue when it has passed. Exited participants have no entry. Only provider staff of the
 * site get the provider reference back: they are the ones who arrange the follow-up; an evaluator
 * analyses, and needs no more than the pseudonym. The signed cursor keeps the day, site and status
 * of the first page, so a listing cannot shift under its reader at midnight or be pointed elsewhere.
 */
export async function listFollowUps(
  deps: FollowUpDeps,
  principal: Principal,
  site: SiteId,
  query: FollowUpsQuery,
): Promise<FollowUpList> {
  const status = query.status ?? 'both';
  const resumed =
    query.cursor === undefined ? undefined : decodeCursor(deps.cursors, followUpCursorSchema, query.cursor);
  if (resumed && (resumed.site !== site || resumed.status !== status)) {
    throw new ValidationError([
      { pointer: '/query/cursor', detail: 'belongs to another listing (site or status)' },
    ]);
  }
  const asOf = resumed?.asOf ?? ukDate(deps.now());
  const { windowDays } = CAPITAL_CHECK_V1.followUp;
  const page = await deps.capital.listFollowUpEntries(site, {
    // Overdue: the deadline has passed. Due: the window (deadline minus 28 days to deadline) holds today.
    dueByFrom: status === 'overdue' || status === 'both' ? EARLIEST_CHECK_DATE : asOf,
    dueByTo: status === 'overdue' ? addDays(asOf, -1) : addDays(asOf, 2 * windowDays),
    limit: query.limit ?? FOLLOW_UPS_PAGE_DEFAULT,
    ...(resumed ? { after: resumed.after } : {}),
  });
  const showReference = seesParticipantRecords(principal, site);
  return {
    site,
    asOf,
    participants: page.entries.map((entry) => ({
      participant: entry.participant,
      ...(showReference ? { reference: deps.participantRefs.open(site, entry.reference) } : {}),
      lastCheck: entry.lastCheck,
      dueFrom: entry.dueFrom,
      dueBy: entry.dueBy,
      status: entry.dueBy < asOf ? 'overdue' : 'due',
    })),
    ...(page.more ? { next: encodeCursor(deps.cursors, { site, status, asOf, after: page.more }) } : {}),
  };
}

export const erasureParamsSchema = z.object({ site: z.enum(SITE_IDS), ref: participantRefSchema }).strict();

export const erasureReceiptSchema = z
  .object({
    site: z.enum(SITE_IDS),
    erased: z
      .object({
        checks: z.int().min(0),
        summaries: z.int().min(0).max(1),
        idempotencyCopies: z.int().min(0),
      })
      .strict(),
  })
  .strict()
  .meta({ id: 'ParticipantErasure' });

export type ErasureReceipt = z.infer<typeof erasureReceiptSchema>;

/**
 * Erases every record of a participant at a site on withdrawal of consent: checks, the summary with
 * its derived values, and the `Idempotency-Key` copies of responses about them. Idempotent: nothing
 * found is still a success, with zero counts. The audit event keeps the fact only: its subject is a
 * fresh random id, never the pseudonym or the reference.
 */
export async function eraseParticipant(
  deps: CapitalDeps,
  principal: Principal,
  site: SiteId,
  ref: string,
): Promise<ErasureReceipt> {
  const participant = deps.pseudonymiseParticipant(site, canonicalParticipantRef(ref));
  let idempotencyCopies = 0;
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const records = await deps.capital.findParticipantRecords(site, participant);
    // Copies first: if anything fails after this, the links are still there for the retry to find.
    idempotencyCopies += await deps.idempotency.forget(records.idempotencyRecords);
    const audit: AuditEvent = {
      id: deps.newId(),
      at: deps.now().toISOString(),
      actor: principal.actor,
      action: 'participant.erase',
      subjectType: 'participant',
      subjectId: deps.newId(),
    };
    if ((await deps.capital.eraseParticipantRecords(records, audit)) === 'erased') {
      return {
        site,
        erased: {
          checks: records.checks,
          summaries: records.summaryVersion === undefined ? 0 : 1,
          idempotencyCopies,
        },
      };
    }
    // A check landed while erasing: find everything again, the new check included.
  }
  throw new ConflictError('Checks for this participant were being saved at the same time; try again.');
}
