/**
 * The voice of people using the service (question area 4.6): one-time anonymous feedback links,
 * the easy-read answers they carry, and the interest some people register in talking to an
 * evaluator. The rules are pure; the port they need is {@link VoiceStore}.
 *
 * Anonymity, by construction:
 * - A link is 192 random bits, given once to the provider and stored only as a keyed hash (HMAC
 *   with the pseudonymisation key), with its site, kind, questionnaire version and expiry. It never
 *   names the participant; it holds the provider's sealed reference only when the person may want
 *   to talk to an evaluator, and only until it is answered or expires.
 * - An answer holds its site, kind, month, questionnaire version, coded answers and redacted words:
 *   no participant, no link hash, no time finer than the month, no id shared with anything else.
 *   Whether the person would talk to an evaluator is not stored with the answer at all.
 * - The interest item holds the reference sealed afresh (a new random IV, so it does not match the
 *   link's ciphertext), the month and a random id of its own. It is not joinable to the answer: the
 *   answer does not say the person asked, so the same month's answers at that site are all equally
 *   likely to be theirs.
 * - Answering writes no audit event: there is no actor to name, and an exact time would join the
 *   answer to the link's creation. Creating a link is audited with the provider and the site only.
 */
import { randomBytes } from 'node:crypto';
import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { suppressSmallGroups, type DisclosurePolicy } from '../../shared/domain/disclosure';
import { GoneError, NotFoundError, ValidationError } from '../../shared/domain/errors';
import { ukDate } from '../../shared/domain/iso-week';
import { nationalIdentifierKind } from '../../shared/domain/participant-ref';
import type { ProgrammeStore } from '../../shared/domain/programme';
import {
  type EasyReadQuestionnaire,
  easyReadQuestionnaireSchema,
  FEEDBACK_EASY_READ_V1,
  type FeedbackQuestionId,
} from '../../shared/domain/questionnaires';
import { redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';
import { countMetric, METRIC_NAMES } from '../../shared/http/metrics';

export const FEEDBACK_KINDS = ['during-support', 'at-exit'] as const;
export type FeedbackKind = (typeof FEEDBACK_KINDS)[number];

/** A link works for 14 days: long enough to answer at a next meeting, short enough to go stale. */
export const FEEDBACK_LINK_DAYS = 14;
/** 24 random bytes: 192 bits, 32 base64url characters (at least 128 bits are needed). */
const TOKEN_BYTES = 24;
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

export const feedbackTokenSchema = z
  .string()
  .regex(TOKEN, 'is not a feedback link')
  .meta({ description: 'The one-time feedback link token (32 base64url characters).' });

/** A new link's token: random, never stored; only its keyed hash is. */
export const newFeedbackToken = (): string => randomBytes(TOKEN_BYTES).toString('base64url');

// ── Creating a link ──

export const feedbackLinkBodySchema = z
  .object({
    kind: z.enum(FEEDBACK_KINDS).meta({ description: 'During support, or at exit.' }),
    participantRef: z
      .string()
      .min(1)
      .max(40)
      .regex(/^[A-Za-z0-9_-]+$/, 'use only letters, digits, - and _')
      .superRefine((ref, ctx) => {
        const kind = nationalIdentifierKind(ref);
        if (kind) {
          ctx.addIssue({
            code: 'custom',
            message: `looks like ${kind}: use your service's own reference for the person, never a national identifier`,
          });
        }
      })
      .optional()
      .meta({
        description:
          'Your own reference for the person, only so that you can be told if they ask to talk to an evaluator. It is sealed for your site and never stored with their answer; without it, a request to talk cannot be passed on.',
      }),
  })
  .strict()
  .meta({ id: 'FeedbackLinkRequest' });

export type FeedbackLinkBody = z.infer<typeof feedbackLinkBodySchema>;

export const feedbackLinkSchema = z
  .object({
    token: feedbackTokenSchema,
    path: z.string().max(60).meta({ description: 'Where the person opens it: `/feedback/<token>`.' }),
    kind: z.enum(FEEDBACK_KINDS),
    questionnaire: z.object({ id: z.string().max(64), version: z.int() }).strict(),
    expiresAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'FeedbackLink' });

export type FeedbackLink = z.infer<typeof feedbackLinkSchema>;

/** A stored link, found by the keyed hash of its token. */
export interface StoredFeedbackLink {
  readonly site: SiteId;
  readonly kind: FeedbackKind;
  readonly questionnaireVersion: number;
  /** Seconds since the epoch: DynamoDB's TTL deletes the link after it, and no answer is taken from then. */
  readonly expiresAt: number;
  /** The provider's reference, sealed for the site; only when one was given. */
  readonly sealedReference?: string;
}

// ── Answering ──

type Question = (typeof FEEDBACK_EASY_READ_V1.questions)[number];
type ChoiceOf<Q extends FeedbackQuestionId> = Extract<Question, { id: Q }>['choices'][number]['id'];

const QUESTIONS = Object.fromEntries(FEEDBACK_EASY_READ_V1.questions.map((q) => [q.id, q])) as {
  [Q in FeedbackQuestionId]: Extract<Question, { id: Q }>;
};

const choiceIds = <Q extends FeedbackQuestionId>(id: Q) =>
  QUESTIONS[id].choices.map((c) => c.id) as [ChoiceOf<Q>, ...ChoiceOf<Q>[]];

const one = <Q extends FeedbackQuestionId>(id: Q) => z.enum(choiceIds(id)).optional();

const many = <Q extends 'keepsComing' | 'getsInTheWay'>(id: Q) =>
  z
    .object({
      choices: z
        .array(z.enum(choiceIds(id)))
        .max(QUESTIONS[id].choices.length)
        .refine((c) => new Set(c).size === c.length, 'pick each answer once'),
      words: z
        .string()
        .trim()
        .max(QUESTIONS[id].words.maxLength)
        .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
        .optional(),
    })
    .strict()
    .optional();

export const feedbackAnswerBodySchema = z
  .object({
    questionnaireVersion: z.literal(FEEDBACK_EASY_READ_V1.version),
    answers: z
      .object({
        understandsOffer: one('understandsOffer'),
        helps: one('helps'),
        keepsComing: many('keepsComing'),
        getsInTheWay: many('getsInTheWay'),
        wouldRecommend: one('wouldRecommend'),
        talkToEvaluator: one('talkToEvaluator'),
      })
      .strict()
      .meta({ description: 'Every question can be skipped.' }),
  })
  .strict()
  .meta({ id: 'FeedbackAnswer' });

export type FeedbackAnswerBody = z.infer<typeof feedbackAnswerBodySchema>;

export const feedbackReceiptSchema = z
  .object({
    thanks: z.string().max(300),
    /** Kinds of personal detail taken out of the person's words, and how many; never the text. */
    redacted: z.record(z.string(), z.int()),
    /** True when the provider will be told the person would talk to an evaluator. */
    interestPassedOn: z.boolean(),
  })
  .strict()
  .meta({ id: 'FeedbackReceipt' });

export type FeedbackReceipt = z.infer<typeof feedbackReceiptSchema>;

/** The coded answers as stored: `talkToEvaluator` is never among them. */
export interface CodedAnswers {
  readonly understandsOffer?: ChoiceOf<'understandsOffer'>;
  readonly helps?: ChoiceOf<'helps'>;
  readonly keepsComing?: readonly ChoiceOf<'keepsComing'>[];
  readonly getsInTheWay?: readonly ChoiceOf<'getsInTheWay'>[];
  readonly wouldRecommend?: ChoiceOf<'wouldRecommend'>;
}

/** One anonymous answer: see the file's note for what it may and may not hold. */
export interface StoredFeedbackAnswer {
  readonly id: string;
  readonly site: SiteId;
  readonly kind: FeedbackKind;
  /** The calendar month (YYYY-MM) it was answered in: nothing finer. */
  readonly month: string;
  readonly questionnaireVersion: number;
  readonly answers: CodedAnswers;
  /** The person's own words, redacted before they were stored. Never published unreviewed. */
  readonly words?: { readonly keepsComing?: string; readonly getsInTheWay?: string };
}

/** A request to talk to an evaluator: the sealed reference, the month and its own random id. */
export interface StoredInterest {
  readonly id: string;
  readonly site: SiteId;
  /** The month (YYYY-MM) the person asked in. */
  readonly askedIn: string;
  readonly status: InterestStatus;
  /** Sealed for the site; removed once an evaluator has recorded the outcome. */
  readonly sealedReference?: string;
  readonly attempts?: number;
}

export const INTEREST_STATUSES = ['waiting', 'reached', 'not-reached'] as const;
export type InterestStatus = (typeof INTEREST_STATUSES)[number];

/** The port the voice rules need from storage. */
export interface VoiceStore {
  /** Stores a new link under the keyed hash of its token, with the audit event of its creation. */
  saveLink(hash: string, link: StoredFeedbackLink, audit: AuditEvent): Promise<void>;
  /** The link if it exists and has not expired at `nowSeconds`. */
  findLink(hash: string, nowSeconds: number): Promise<StoredFeedbackLink | undefined>;
  /**
   * Deletes the link and stores the answer (and the interest, if any) in one transaction, on
   * condition that the link is still there and unexpired. `gone` when it was not: spent, expired
   * or never issued, which look the same.
   */
  spendLink(
    hash: string,
    nowSeconds: number,
    answer: StoredFeedbackAnswer,
    interest: StoredInterest | undefined,
  ): Promise<'spent' | 'gone'>;
  /** A site's answers from `fromMonth` to `toMonth` (YYYY-MM, inclusive). */
  listAnswers(site: SiteId, fromMonth: string, toMonth: string): Promise<StoredFeedbackAnswer[]>;
  listInterest(site: SiteId): Promise<StoredInterest[]>;
  /** Records whether the person was reached, and drops the sealed reference; false if there is no such request. */
  recordOutcome(
    site: SiteId,
    id: string,
    outcome: { readonly status: Exclude<InterestStatus, 'waiting'>; readonly attempts: number },
    audit: AuditEvent,
  ): Promise<boolean>;
}

export interface VoiceDeps {
  readonly voice: VoiceStore;
  readonly programme: ProgrammeStore;
  /** The keyed hash a link is stored under (HMAC with the pseudonymisation key). */
  readonly hashFeedbackToken: (token: string) => string;
  readonly participantRefs: {
    seal(site: SiteId, reference: string): string;
    open(site: SiteId, sealed: string): string;
  };
  readonly now: () => Date;
  readonly newId: () => string;
  readonly newToken?: () => string;
}

const DAY_SECONDS = 86_400;
const seconds = (at: Date) => Math.floor(at.getTime() / 1000);

/** A provider's new one-time link for a person at their site. */
export async function createFeedbackLink(
  deps: VoiceDeps,
  principal: Principal,
  site: SiteId,
  body: FeedbackLinkBody,
): Promise<FeedbackLink> {
  const at = deps.now();
  const token = (deps.newToken ?? newFeedbackToken)();
  const expiresAt = seconds(at) + FEEDBACK_LINK_DAYS * DAY_SECONDS;
  const link: StoredFeedbackLink = {
    site,
    kind: body.kind,
    questionnaireVersion: FEEDBACK_EASY_READ_V1.version,
    expiresAt,
    ...(body.participantRef
      ? { sealedReference: deps.participantRefs.seal(site, body.participantRef.toUpperCase()) }
      : {}),
  };
  await deps.voice.saveLink(deps.hashFeedbackToken(token), link, {
    id: deps.newId(),
    at: at.toISOString(),
    actor: principal.actor,
    action: 'feedback-link.create',
    subjectType: 'feedback-link',
    // The site only: the hash would name the link, and nothing else about it belongs in the log.
    subjectId: site,
  });
  return {
    token,
    path: `/feedback/${token}`,
    kind: body.kind,
    questionnaire: { id: FEEDBACK_EASY_READ_V1.id, version: FEEDBACK_EASY_READ_V1.version },
    expiresAt: new Date(expiresAt * 1000).toISOString(),
  };
}

const GONE = 'This feedback link has been used, or it has run out. Ask your link worker for a new one.';

export const feedbackFormSchema = z
  .object({
    kind: z.enum(FEEDBACK_KINDS),
    expiresAt: z.iso.datetime(),
    questionnaire: easyReadQuestionnaireSchema,
  })
  .strict()
  .meta({ id: 'FeedbackForm' });

export interface FeedbackForm {
  readonly kind: FeedbackKind;
  readonly expiresAt: string;
  readonly questionnaire: EasyReadQuestionnaire;
}

/**
 * What a link opens: the easy-read questionnaire and when the link runs out. Rendering is the
 * caller's: the API answers it as JSON, and a page can render the same form.
 */
export async function openFeedbackForm(deps: VoiceDeps, token: string): Promise<FeedbackForm> {
  const link = await deps.voice.findLink(deps.hashFeedbackToken(token), seconds(deps.now()));
  if (!link) throw new GoneError(GONE);
  return {
    kind: link.kind,
    expiresAt: new Date(link.expiresAt * 1000).toISOString(),
    questionnaire: FEEDBACK_EASY_READ_V1,
  };
}

/**
 * Takes one anonymous answer and spends the link, in one transaction: a replay, or a second
 * answer racing the first, finds the link gone (410). The site comes from the stored link only.
 */
export async function answerFeedback(
  deps: VoiceDeps,
  token: string,
  body: FeedbackAnswerBody,
): Promise<FeedbackReceipt> {
  const at = deps.now();
  const now = seconds(at);
  const hash = deps.hashFeedbackToken(token);
  const link = await deps.voice.findLink(hash, now);
  if (!link) throw new GoneError(GONE);
  const { talkToEvaluator, keepsComing, getsInTheWay, ...single } = body.answers;
  const redacted: Record<string, number> = {};
  const redact = (text: string | undefined): string | undefined => {
    if (!text) return undefined;
    const result = redactFreeText(text);
    for (const [kind, n] of Object.entries(result.removed)) redacted[kind] = (redacted[kind] ?? 0) + n;
    return result.text.length > 0 ? result.text : undefined;
  };
  const words = {
    ...optional('keepsComing', redact(keepsComing?.words)),
    ...optional('getsInTheWay', redact(getsInTheWay?.words)),
  };
  const month = ukDate(at).slice(0, 7);
  const answer: StoredFeedbackAnswer = {
    id: deps.newId(),
    site: link.site,
    kind: link.kind,
    month,
    questionnaireVersion: body.questionnaireVersion,
    answers: {
      ...single,
      ...(keepsComing ? { keepsComing: keepsComing.choices } : {}),
      ...(getsInTheWay ? { getsInTheWay: getsInTheWay.choices } : {}),
    },
    ...(Object.keys(words).length > 0 ? { words } : {}),
  };
  const interest: StoredInterest | undefined =
    talkToEvaluator === 'yes' && link.sealedReference
      ? {
          id: deps.newId(),
          site: link.site,
          askedIn: month,
          status: 'waiting',
          // Sealed again under a fresh IV: the interest's ciphertext matches nothing else stored.
          sealedReference: deps.participantRefs.seal(
            link.site,
            deps.participantRefs.open(link.site, link.sealedReference),
          ),
        }
      : undefined;
  if ((await deps.voice.spendLink(hash, now, answer, interest)) === 'gone') throw new GoneError(GONE);
  return { thanks: FEEDBACK_EASY_READ_V1.thanks, redacted, interestPassedOn: interest !== undefined };
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;

// ── The evaluators' summary ──

const QUARTER = /^(\d{4})-Q([1-4])$/;

export const feedbackSummaryQuerySchema = z
  .object({
    period: z
      .string()
      .regex(QUARTER, 'use a calendar quarter such as 2026-Q1')
      .optional()
      .meta({ description: 'A calendar quarter that has ended (YYYY-Qn); default the last one that has.' }),
  })
  .strict();

export type FeedbackSummaryQuery = z.infer<typeof feedbackSummaryQuerySchema>;

/** A calendar quarter's first and last day and its months. */
export function calendarQuarter(label: string): {
  from: string;
  to: string;
  months: [string, string, string];
} {
  const match = QUARTER.exec(label);
  if (!match) throw new Error(`Not a quarter: ${label}`);
  const year = Number(match[1]);
  const first = (Number(match[2]) - 1) * 3 + 1;
  const months = [0, 1, 2].map((i) => `${year}-${String(first + i).padStart(2, '0')}`) as [
    string,
    string,
    string,
  ];
  const last = new Date(Date.UTC(year, first + 2, 0)).toISOString().slice(0, 10);
  return { from: `${months[0]}-01`, to: last, months };
}

/** The last calendar quarter that has ended by `today` (YYYY-MM-DD). */
export function lastEndedQuarter(today: string): string {
  const year = Number(today.slice(0, 4));
  const quarter = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}

const countSchema = z.int().nullable().meta({
  description: '`null`: fewer people than the threshold, or hidden so that it cannot be worked out.',
});

const shownGroupSchema = z
  .object({
    scope: z.enum(['programme', 'site']),
    site: z.enum(SITE_IDS).optional(),
    status: z.literal('shown'),
    answers: z.int(),
    byKind: z.object({ 'during-support': countSchema, 'at-exit': countSchema }).strict(),
    questions: z
      .array(
        z
          .object({
            id: z.string().max(40),
            choices: z.array(z.object({ id: z.string().max(40), people: countSchema }).strict()).max(20),
            /** How many left their own words; the words themselves are never listed here. */
            withWords: countSchema.optional(),
          })
          .strict(),
      )
      .max(10),
  })
  .strict();

const suppressedGroupSchema = z
  .object({
    scope: z.enum(['programme', 'site']),
    site: z.enum(SITE_IDS).optional(),
    status: z.literal('suppressed'),
    reason: z.string().max(200),
  })
  .strict();

export const feedbackSummarySchema = z
  .object({
    period: z.string().max(7),
    from: z.iso.date(),
    to: z.iso.date(),
    questionnaire: z.object({ id: z.string().max(64), version: z.int() }).strict(),
    disclosurePolicy: z.object({ minGroupSize: z.int() }).strict(),
    groups: z.array(z.discriminatedUnion('status', [shownGroupSchema, suppressedGroupSchema])).max(10),
  })
  .strict()
  .meta({ id: 'FeedbackSummary' });

export type FeedbackSummary = z.infer<typeof feedbackSummarySchema>;
type SummaryGroup = FeedbackSummary['groups'][number];

/**
 * Counts and coded answers for a calendar quarter that has ended, under the disclosure policy:
 * fixed, non-overlapping periods, so that no two windows can be subtracted to reach a few people.
 */
export async function summariseFeedback(
  deps: VoiceDeps,
  query: FeedbackSummaryQuery,
): Promise<FeedbackSummary> {
  const today = ukDate(deps.now());
  const period = query.period ?? lastEndedQuarter(today);
  const { from, to, months } = calendarQuarter(period);
  if (to >= today) {
    throw new ValidationError([
      { pointer: '/query/period', detail: 'must be a calendar quarter that has ended' },
    ]);
  }
  const programme = await deps.programme.getProgramme();
  const perSite = await Promise.all(
    SITE_IDS.map((site) => deps.voice.listAnswers(site, months[0], months[2])),
  );
  const groups = summariseAnswers(perSite.flat(), programme.disclosurePolicy);
  countMetric(METRIC_NAMES.groupsSuppressed, groups.filter((g) => g.status === 'suppressed').length);
  return {
    period,
    from,
    to,
    questionnaire: { id: FEEDBACK_EASY_READ_V1.id, version: FEEDBACK_EASY_READ_V1.version },
    disclosurePolicy: programme.disclosurePolicy,
    groups,
  };
}

/**
 * Hides counts of 1 to k-1 people. When the counts add up to a figure that is shown (`complete`),
 * the hidden ones together could be worked out from it, so while they add up to fewer than k the
 * smallest shown count is hidden too. Zero is shown: it describes nobody.
 *
 * @example protectCounts([6, 2, 9], 5, true) // [null, null, 9]
 */
export function protectCounts(counts: readonly number[], k: number, complete: boolean): (number | null)[] {
  const hidden = counts.map((n) => n > 0 && n < k);
  if (complete) {
    const hiddenSum = () => counts.reduce((sum, n, i) => sum + (hidden[i] ? n : 0), 0);
    while (hiddenSum() > 0 && hiddenSum() < k) {
      const shown = counts
        .map((n, i) => ({ n, i }))
        .filter(({ n, i }) => n > 0 && !hidden[i])
        .sort((a, b) => a.n - b.n)[0];
      if (!shown) break;
      hidden[shown.i] = true;
    }
  }
  return counts.map((n, i) => (hidden[i] ? null : n));
}

/** The programme group and one group per site, each shown only as the disclosure policy allows. */
export function summariseAnswers(
  answers: readonly StoredFeedbackAnswer[],
  policy: DisclosurePolicy,
): SummaryGroup[] {
  const k = policy.minGroupSize;
  const bySite = Object.fromEntries(SITE_IDS.map((s) => [s, answers.filter((a) => a.site === s)])) as Record<
    SiteId,
    StoredFeedbackAnswer[]
  >;
  // Each answer is one person's, through one link: a person may answer once during support and once at exit.
  const decision = suppressSmallGroups(
    answers.length,
    Object.fromEntries(SITE_IDS.map((s) => [s, bySite[s].length])) as Record<SiteId, number>,
    policy,
  );
  const describe = (
    scope: 'programme' | 'site',
    group: readonly StoredFeedbackAnswer[],
    site?: SiteId,
  ): SummaryGroup => {
    const verdict = scope === 'programme' ? decision.total : decision.parts[site as SiteId];
    const where = site ? { site } : {};
    if (!verdict.shown) return { scope, ...where, status: 'suppressed', reason: verdict.reason };
    const [during, exit] = protectCounts(
      FEEDBACK_KINDS.map((kind) => group.filter((a) => a.kind === kind).length),
      k,
      true,
    );
    return {
      scope,
      ...where,
      status: 'shown',
      answers: group.length,
      byKind: { 'during-support': during ?? null, 'at-exit': exit ?? null },
      questions: FEEDBACK_EASY_READ_V1.questions
        .filter((q) => q.id !== 'talkToEvaluator')
        .map((q) => {
          const picked = (a: StoredFeedbackAnswer, choice: string): boolean => {
            const value = a.answers[q.id];
            return Array.isArray(value) ? value.includes(choice) : value === choice;
          };
          const counts = q.choices.map((c) => group.filter((a) => picked(a, c.id)).length);
          const people = protectCounts(counts, k, q.pick === 'one');
          const withWords =
            q.pick === 'many'
              ? protectCounts([group.filter((a) => a.words?.[q.id] !== undefined).length], k, false)[0]
              : undefined;
          return {
            id: q.id,
            choices: q.choices.map((c, i) => ({ id: c.id, people: people[i] ?? null })),
            ...(withWords === undefined ? {} : { withWords }),
          };
        }),
    };
  };
  return [describe('programme', answers), ...SITE_IDS.map((site) => describe('site', bySite[site], site))];
}

// ── Interest in talking to an evaluator ──

export const interestParamsSchema = z.object({ site: z.enum(SITE_IDS), id: z.uuid() }).strict();

export const interestOutcomeBodySchema = z
  .object({
    reached: z.boolean().meta({ description: 'Whether the person was reached and spoke to an evaluator.' }),
    attempts: z
      .int()
      .min(1)
      .max(50)
      .meta({ description: 'How many times they were tried, by text or phone.' }),
  })
  .strict()
  .meta({ id: 'InterestOutcome' });

export type InterestOutcomeBody = z.infer<typeof interestOutcomeBodySchema>;

const interestCountsShape = {
  waiting: z.int(),
  reached: z.int(),
  notReached: z.int(),
  attempts: z.int().meta({ description: 'Attempts made in all, over the requests with an outcome.' }),
};

export const involvementInterestSchema = z
  .discriminatedUnion('view', [
    z
      .object({
        site: z.enum(SITE_IDS),
        view: z.literal('provider'),
        ...interestCountsShape,
        waitingRequests: z
          .array(
            z
              .object({
                id: z.uuid(),
                askedIn: z.string().max(7),
                reference: z.string().max(40).meta({ description: 'Your own reference for the person.' }),
              })
              .strict(),
          )
          .max(1000),
      })
      .strict(),
    z
      .object({
        site: z.enum(SITE_IDS),
        view: z.literal('evaluator'),
        ...interestCountsShape,
        queue: z
          .array(
            z
              .object({
                id: z.uuid(),
                askedIn: z.string().max(7),
                status: z.enum(INTEREST_STATUSES),
                attempts: z.int().optional(),
              })
              .strict(),
          )
          .max(1000),
      })
      .strict(),
  ])
  .meta({ id: 'InvolvementInterest' });

export type InvolvementInterest = z.infer<typeof involvementInterestSchema>;

/**
 * The people at a site who asked to talk to an evaluator. The site's providers see their own
 * references of those still waiting, so they can pass the request on; evaluators see counts and
 * the queue (ids, months, outcomes), never a reference.
 */
export async function listInvolvementInterest(
  deps: VoiceDeps,
  principal: Principal,
  site: SiteId,
): Promise<InvolvementInterest> {
  const items = (await deps.voice.listInterest(site)).sort(
    (a, b) => a.askedIn.localeCompare(b.askedIn) || a.id.localeCompare(b.id),
  );
  const counts = {
    waiting: items.filter((i) => i.status === 'waiting').length,
    reached: items.filter((i) => i.status === 'reached').length,
    notReached: items.filter((i) => i.status === 'not-reached').length,
    attempts: items.reduce((n, i) => n + (i.attempts ?? 0), 0),
  };
  // A provider of the site sees references; an evaluator who is also a provider elsewhere does not.
  if (principal.roles.includes('provider') && principal.site === site) {
    return {
      site,
      view: 'provider',
      ...counts,
      waitingRequests: items
        .filter((i) => i.status === 'waiting' && i.sealedReference !== undefined)
        .map((i) => ({
          id: i.id,
          askedIn: i.askedIn,
          reference: deps.participantRefs.open(site, i.sealedReference ?? ''),
        })),
    };
  }
  return {
    site,
    view: 'evaluator',
    ...counts,
    queue: items.map((i) => ({
      id: i.id,
      askedIn: i.askedIn,
      status: i.status,
      ...(i.attempts === undefined ? {} : { attempts: i.attempts }),
    })),
  };
}

export const interestReceiptSchema = z
  .object({
    id: z.uuid(),
    site: z.enum(SITE_IDS),
    status: z.enum(['reached', 'not-reached']),
    attempts: z.int(),
  })
  .strict()
  .meta({ id: 'InterestOutcomeReceipt' });

/**
 * An evaluator records whether a person who asked to talk was reached, and after how many attempts.
 * The sealed reference is deleted then: the provider has nothing more to pass on.
 */
export async function recordInterestOutcome(
  deps: VoiceDeps,
  principal: Principal,
  site: SiteId,
  id: string,
  body: InterestOutcomeBody,
): Promise<z.infer<typeof interestReceiptSchema>> {
  const status = body.reached ? 'reached' : 'not-reached';
  const found = await deps.voice.recordOutcome(
    site,
    id,
    { status, attempts: body.attempts },
    {
      id: deps.newId(),
      at: deps.now().toISOString(),
      actor: principal.actor,
      action: 'involvement-interest.outcome',
      subjectType: 'involvement-interest',
      subjectId: `${site}/${id}`,
    },
  );
  if (!found) throw new NotFoundError('There is no such request to talk at this site.');
  return { id, site, status, attempts: body.attempts };
}
