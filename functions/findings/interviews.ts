import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import {
  type CodebookStore,
  OUTCOMES,
  outcomeCodeSchema,
  questionAreaCodeSchema,
  type Theme,
} from './codebook';
import {
  ConflictError,
  type FieldProblem,
  NotFoundError,
  PayloadTooLargeError,
  ValidationError,
} from '../../shared/domain/errors';
import { redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { type CursorSigner, decodeCursor, encodeCursor, SIGNED_CURSOR } from '../../shared/domain/cursors';
import { ukDate } from '../../shared/domain/iso-week';
import { SITE_IDS, type SiteId, siteIdSchema } from '../../shared/domain/sites';
import {
  attachmentKey,
  contentMatchesType,
  type FoundUpload,
  INCOMING_PREFIX,
  NO_THREATS_FOUND,
  SNIFF_BYTES,
  type UploadStore,
  uploadKey,
} from './uploads';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

/** Who was interviewed. Only the group: age, gender or underlying issue would identify people in samples this small. */
export const RESPONDENT_GROUPS = [
  'provider-staff',
  'person-using-service',
  'probation-practitioner',
  'prison-staff',
  'commissioner-contract-manager',
  'community-organisation',
] as const;

export const INTERVIEW_METHODS = ['interview', 'focus-group', 'survey-free-text'] as const;
export const STANCES = ['enabler', 'barrier', 'neutral'] as const;

/** Early testing was planned from 2024; nothing it gathered can be older. */
export const EARLIEST_INTERVIEW_DATE = '2024-01-01';
export const MAX_FINDINGS = 50;
export const MAX_QUOTES = 10;
export const SUMMARY_MAX_LENGTH = 1000;
export const QUOTE_MAX_LENGTH = 500;
export const MAX_NAMES = 20;

/**
 * Summaries and quotes together, in characters: about 10,000 words, a long write-up. Each field's
 * own limit allows 50 findings of 6,000 characters (300,000), which could not be stored (up to
 * 900 KB in UTF-8 against DynamoDB's 400 KB item limit) and would take seconds to redact.
 */
export const MAX_FREE_TEXT_CHARS = 60_000;

/** Largest accepted request body: the free text above in multi-byte characters, plus the structure. */
export const INTERVIEW_MAX_BODY_BYTES = 200 * 1024;

/**
 * The most one stored finding may take, measured as JSON once redacted: a placeholder can be longer
 * than what it replaced. Within `MAX_FREE_TEXT_CHARS` the worst case (text made only of listed
 * two-letter names) stays near 300 KB, so this is the backstop should those limits ever be raised.
 * JSON overstates DynamoDB's own size count, so it keeps a margin under the 400 KB item limit.
 */
export const MAX_STORED_INTERVIEW_BYTES = 350_000;

const dateFromProgrammeStart = z.iso
  .date()
  .refine((date) => date >= EARLIEST_INTERVIEW_DATE, `must be on or after ${EARLIEST_INTERVIEW_DATE}`);

function freeTextLength(
  findings: readonly { summary: string; quotes: readonly { text: string }[] }[],
): number {
  return findings.reduce(
    (sum, f) => sum + f.summary.length + f.quotes.reduce((n, q) => n + q.text.length, 0),
    0,
  );
}

const freeText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
    .meta({ description: 'Free text: identifying details are removed before it is stored.' });

const quoteSchema = z
  .object({
    text: freeText(QUOTE_MAX_LENGTH),
    publishable: z.boolean().meta({ description: 'Whether the quote may appear in a published pack.' }),
  })
  .strict();

const findingSchema = z
  .object({
    area: questionAreaCodeSchema,
    theme: z.uuid().meta({ description: 'The id of a theme in the same question area.' }),
    outcomes: z
      .array(outcomeCodeSchema)
      .max(OUTCOMES.length)
      .refine((codes) => new Set(codes).size === codes.length, 'must not list an outcome twice')
      .optional(),
    stance: z.enum(STANCES),
    summary: freeText(SUMMARY_MAX_LENGTH),
    quotes: z.array(quoteSchema).max(MAX_QUOTES).default([]),
  })
  .strict();

export const interviewBodySchema = z
  .object({
    respondentGroup: z.enum(RESPONDENT_GROUPS),
    method: z.enum(INTERVIEW_METHODS),
    participants: z.int().min(1).max(50),
    date: dateFromProgrammeStart.meta({ description: 'When it took place (YYYY-MM-DD); not in the future.' }),
    contactAttempts: z
      .int()
      .min(0)
      .max(100)
      .meta({ description: 'Texts, calls and rearrangements it took to reach the people interviewed.' }),
    consent: z
      .object({
        recorded: z.literal(true, {
          error: (issue) =>
            issue.input === undefined
              ? 'is required: a finding is only stored with recorded consent'
              : 'must be true: a finding is only stored with recorded consent',
        }),
        date: dateFromProgrammeStart.optional(),
      })
      .strict(),
    names: z
      .array(z.string().trim().min(2).max(80).regex(WELL_FORMED_TEXT, NOT_WELL_FORMED))
      .max(MAX_NAMES)
      .optional()
      .meta({
        description:
          "People's names to remove from this interview's free text. Used for redaction only, never stored.",
      }),
    attachment: z
      .object({ uploadId: z.uuid().meta({ description: 'From `POST /uploads`, for the same site.' }) })
      .strict()
      .optional(),
    findings: z.array(findingSchema).min(1).max(MAX_FINDINGS),
  })
  .strict()
  .refine((body) => freeTextLength(body.findings) <= MAX_FREE_TEXT_CHARS, {
    path: ['findings'],
    message: `summaries and quotes together can be at most ${MAX_FREE_TEXT_CHARS} characters`,
  })
  .meta({ id: 'InterviewFindings' });

export type InterviewBody = z.infer<typeof interviewBodySchema>;

const redactedSchema = z.record(z.string().max(40), z.int()).meta({
  description: 'How many identifying details of each kind were removed, over every free-text field.',
});

export const storedInterviewSchema = z
  .object({
    id: z.uuid(),
    site: z.enum(SITE_IDS),
    respondentGroup: z.enum(RESPONDENT_GROUPS),
    method: z.enum(INTERVIEW_METHODS),
    participants: z.int(),
    date: z.iso.date(),
    contactAttempts: z.int(),
    consent: z.object({ recorded: z.literal(true), date: z.iso.date().optional() }).strict(),
    attachment: z
      .object({
        uploadId: z.uuid(),
        contentType: z.string().max(100).optional(),
        bytes: z.int(),
        key: z.string().max(200).optional().meta({ description: 'Where the checked file is kept.' }),
        versionId: z.string().max(1024).optional(),
      })
      .strict()
      .optional(),
    findings: z
      .array(
        z
          .object({
            area: questionAreaCodeSchema,
            theme: z.uuid(),
            outcomes: z.array(outcomeCodeSchema).max(OUTCOMES.length),
            stance: z.enum(STANCES),
            summary: z.string(),
            quotes: z
              .array(z.object({ text: z.string(), publishable: z.boolean() }).strict())
              .max(MAX_QUOTES),
          })
          .strict(),
      )
      .max(MAX_FINDINGS),
    redacted: redactedSchema,
    recordedAt: z.iso.datetime(),
  })
  .strict()
  .meta({ id: 'StoredInterviewFindings' });

/** A finding as stored: free text already redacted, the names used for redaction gone. */
export type StoredInterview = z.infer<typeof storedInterviewSchema>;

export const interviewReceiptSchema = z
  .object({
    id: z.uuid(),
    site: z.enum(SITE_IDS),
    redacted: redactedSchema,
    findings: z.int(),
    quotes: z.object({ publishable: z.int(), notPublishable: z.int() }).strict(),
  })
  .strict()
  .meta({ id: 'InterviewReceipt' });

export type InterviewReceipt = z.infer<typeof interviewReceiptSchema>;

export const interviewParamsSchema = z
  .object({ site: siteIdSchema, id: z.uuid().meta({ description: 'The id the submission returned.' }) })
  .strict();

/** The port the interview rules need from storage. */
export interface InterviewStore {
  /** Writes the finding and its audit event together, or neither. */
  saveInterview(interview: StoredInterview, audit: AuditEvent): Promise<void>;
  getInterview(site: SiteId, id: string): Promise<StoredInterview | undefined>;
  /**
   * Deletes the finding (and its entry in the site's list) with its audit event, or none of them;
   * `false` when it was already gone.
   */
  deleteInterview(interview: StoredInterview, audit: AuditEvent): Promise<boolean>;
  /**
   * Up to `limit` of the site's findings as listed, newest interview date first (then newest
   * recorded), after the position `after`; `more` is the last one's position when there are more.
   */
  listInterviews(
    site: SiteId,
    limit: number,
    after?: string,
  ): Promise<{ interviews: InterviewListing[]; more?: string }>;
}

export interface InterviewDeps {
  readonly codebook: Pick<CodebookStore, 'findThemes'>;
  readonly interviews: InterviewStore;
  readonly uploads: UploadStore;
  /** Whether an attachment must carry GuardDuty's `NO_THREATS_FOUND` verdict (`UPLOAD_SCAN`). */
  readonly uploadScan: 'guardduty' | 'none';
  readonly now: () => Date;
  readonly newId: () => string;
}

/** What `prepareInterview` needs to know beyond the body; everything here is read before, not during. */
export interface InterviewContext {
  readonly site: SiteId;
  readonly id: string;
  readonly now: Date;
  /** The themes the findings refer to, by id (ids not in the codebook are absent). */
  readonly themes: ReadonlyMap<string, Pick<Theme, 'area'>>;
  /** What the uploads bucket holds for `attachment.uploadId` at this site, if anything. */
  readonly attachment?: FoundUpload | undefined;
  /**
   * Where the body sits in the request, for error pointers: `/body` for the API, a row's
   * pointer (e.g. `/rows/7`) for a bulk import.
   * @default '/body'
   */
  readonly pointer?: string;
}

export interface PreparedInterview {
  readonly interview: StoredInterview;
  readonly receipt: InterviewReceipt;
}

/**
 * Checks an interview finding against the rules that need more than its schema (dates against
 * today, themes against the codebook, the attachment against the bucket) and builds the record to
 * store: every summary and quote redacted with the listed names, the names themselves dropped.
 * Pure: the bulk CSV import builds its findings with it too, one per row.
 *
 * @throws ValidationError naming every problem at once, under `context.pointer`.
 * @throws PayloadTooLargeError when the redacted finding would not fit in one record.
 */
export function prepareInterview(body: InterviewBody, context: InterviewContext): PreparedInterview {
  const at = context.pointer ?? '/body';
  const problems: FieldProblem[] = [];
  const today = ukDate(context.now);
  if (body.date > today) problems.push({ pointer: `${at}/date`, detail: 'must not be in the future' });
  if (body.consent.date !== undefined && body.consent.date > today) {
    problems.push({ pointer: `${at}/consent/date`, detail: 'must not be in the future' });
  }
  if (body.attachment && !context.attachment) {
    problems.push({
      pointer: `${at}/attachment/uploadId`,
      detail: `no file has been uploaded under this id for ${context.site}`,
    });
  }
  body.findings.forEach((finding, i) => {
    const theme = context.themes.get(finding.theme);
    if (!theme) {
      problems.push({ pointer: `${at}/findings/${i}/theme`, detail: 'is not a theme in the codebook' });
    } else if (theme.area !== finding.area) {
      problems.push({
        pointer: `${at}/findings/${i}/theme`,
        detail: `belongs to question area ${theme.area}, not ${finding.area}`,
      });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);

  const removed: Record<string, number> = {};
  const redact = (text: string): string => {
    const result = redactFreeText(text, { names: body.names ?? [] });
    for (const [kind, count] of Object.entries(result.removed)) removed[kind] = (removed[kind] ?? 0) + count;
    return result.text;
  };
  const findings = body.findings.map((finding) => ({
    area: finding.area,
    theme: finding.theme,
    outcomes: finding.outcomes ?? [],
    stance: finding.stance,
    summary: redact(finding.summary),
    quotes: finding.quotes.map((quote) => ({ text: redact(quote.text), publishable: quote.publishable })),
  }));
  const interview: StoredInterview = {
    id: context.id,
    site: context.site,
    respondentGroup: body.respondentGroup,
    method: body.method,
    participants: body.participants,
    date: body.date,
    contactAttempts: body.contactAttempts,
    consent: { recorded: true, ...(body.consent.date ? { date: body.consent.date } : {}) },
    ...(body.attachment && context.attachment
      ? {
          attachment: {
            uploadId: body.attachment.uploadId,
            ...(context.attachment.contentType ? { contentType: context.attachment.contentType } : {}),
            bytes: context.attachment.bytes,
            key: attachmentKey(context.site, context.id),
          },
        }
      : {}),
    findings,
    redacted: removed,
    recordedAt: context.now.toISOString(),
  };
  const size = new TextEncoder().encode(JSON.stringify(interview)).byteLength;
  if (size > MAX_STORED_INTERVIEW_BYTES) {
    throw new PayloadTooLargeError(
      `Once redacted these findings take ${size} bytes, more than the ${MAX_STORED_INTERVIEW_BYTES} one record can hold: send them as two submissions.`,
    );
  }
  const quotes = findings.flatMap((f) => f.quotes);
  const publishable = quotes.filter((q) => q.publishable).length;
  return {
    interview,
    receipt: {
      id: interview.id,
      site: interview.site,
      redacted: removed,
      findings: findings.length,
      quotes: { publishable, notPublishable: quotes.length - publishable },
    },
  };
}

/**
 * Records an interview or focus group's coded findings, redacted, with its audit event. An attached
 * upload must be under `incoming/` for this site, have passed the malware scan (with
 * `uploadScan: guardduty`) and begin with the bytes its type has; it is then copied to
 * `attachments/<site>/<finding id>`, the finding stored, and the upload deleted.
 */
export async function submitInterview(
  deps: InterviewDeps,
  principal: Principal,
  site: SiteId,
  body: InterviewBody,
): Promise<InterviewReceipt> {
  const source = body.attachment ? uploadKey(site, body.attachment.uploadId) : undefined;
  const [themes, attachment] = await Promise.all([
    deps.codebook.findThemes([...new Set(body.findings.map((f) => f.theme))]),
    source ? deps.uploads.find(source) : undefined,
  ]);
  const now = deps.now();
  const { interview, receipt } = prepareInterview(body, { site, id: deps.newId(), now, themes, attachment });
  let stored = interview;
  if (source && attachment && interview.attachment) {
    await checkUpload(deps, source, attachment);
    const target = attachmentKey(site, interview.id);
    const { versionId } = await deps.uploads.copy(source, target);
    stored = { ...interview, attachment: { ...interview.attachment, ...(versionId ? { versionId } : {}) } };
  }
  try {
    await deps.interviews.saveInterview(stored, {
      id: deps.newId(),
      at: stored.recordedAt,
      actor: principal.actor,
      action: 'interview.create',
      subjectType: 'interview',
      subjectId: stored.id,
    });
  } catch (error) {
    // The upload is still there to retry with; the copy would be referenced by nothing.
    if (stored.attachment?.key) await deps.uploads.remove(stored.attachment.key, stored.attachment.versionId);
    throw error;
  }
  // Left behind only if this fails, and then the bucket expires it from incoming/ in two days.
  if (source && attachment) await deps.uploads.remove(source, attachment.versionId);
  return receipt;
}

const ATTACHMENT_POINTER = '/body/attachment/uploadId';

/**
 * The checks on an upload before a finding may hold it. A file whose bytes are not its declared type
 * is deleted (it can never be attached); one not scanned yet is left for a retry.
 */
async function checkUpload(deps: InterviewDeps, key: string, found: FoundUpload): Promise<void> {
  if (!key.startsWith(INCOMING_PREFIX)) {
    throw new ValidationError([
      { pointer: ATTACHMENT_POINTER, detail: 'is not an upload waiting to be attached' },
    ]);
  }
  if (deps.uploadScan === 'guardduty') {
    const status = await deps.uploads.scanStatus(key);
    if (status === undefined) {
      throw new ConflictError('The attachment has not been scanned for malware yet; try again in a minute.');
    }
    if (status !== NO_THREATS_FOUND) {
      await deps.uploads.remove(key, found.versionId);
      throw new ValidationError([
        {
          pointer: ATTACHMENT_POINTER,
          detail: 'the malware scan did not pass this file; it has been deleted',
        },
      ]);
    }
  }
  const start = await deps.uploads.readStart(key, SNIFF_BYTES);
  if (!found.contentType || !contentMatchesType(found.contentType, start)) {
    await deps.uploads.remove(key, found.versionId);
    throw new ValidationError([
      {
        pointer: ATTACHMENT_POINTER,
        detail: `the file's content is not ${found.contentType ?? 'a type it may be'}; it has been deleted`,
      },
    ]);
  }
}

export const interviewErasureSchema = z
  .object({
    site: z.enum(SITE_IDS),
    id: z.uuid(),
    erased: z
      .object({ findings: z.int().min(0).max(1), attachments: z.int().min(0).max(1) })
      .strict()
      .meta({ description: 'What this request removed: all zero when it was already gone.' }),
  })
  .strict()
  .meta({ id: 'InterviewErasure' });

export type InterviewErasure = z.infer<typeof interviewErasureSchema>;

/**
 * Erases an interview finding and its attached file. The file goes first (that version for good,
 * where the bucket keeps versions), then the finding with an audit event that names only the
 * finding's generated id. Idempotent: a finding already gone answers zero counts and writes nothing.
 */
export async function eraseInterview(
  deps: Pick<InterviewDeps, 'interviews' | 'uploads' | 'now' | 'newId'>,
  principal: Principal,
  site: SiteId,
  id: string,
): Promise<InterviewErasure> {
  const interview = await deps.interviews.getInterview(site, id);
  if (!interview) return { site, id, erased: { findings: 0, attachments: 0 } };
  const attachment = interview.attachment;
  if (attachment) {
    // Findings from before attachments were moved still point at their upload.
    await deps.uploads.remove(
      attachment.key ?? `uploads/${site}/${attachment.uploadId}`,
      attachment.versionId,
    );
  }
  const deleted = await deps.interviews.deleteInterview(interview, {
    id: deps.newId(),
    at: deps.now().toISOString(),
    actor: principal.actor,
    action: 'interview.erase',
    subjectType: 'interview',
    subjectId: id,
  });
  return { site, id, erased: { findings: deleted ? 1 : 0, attachments: attachment && deleted ? 1 : 0 } };
}

/** One stored (redacted) finding; 404 when the site has none with that id. */
export async function readInterview(
  deps: Pick<InterviewDeps, 'interviews'>,
  site: SiteId,
  id: string,
): Promise<StoredInterview> {
  const interview = await deps.interviews.getInterview(site, id);
  if (!interview) throw new NotFoundError(`${site} has no interview finding ${id}.`);
  return interview;
}

// ── The site's list of findings, for evaluators: what each is about, never what was said ──

export const INTERVIEWS_PAGE_DEFAULT = 50;
export const INTERVIEWS_PAGE_MAX = 200;

export const interviewListQuerySchema = z
  .object({
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(INTERVIEWS_PAGE_MAX)
      .optional()
      .meta({
        description: `Findings per page, 1-${INTERVIEWS_PAGE_MAX}; default ${INTERVIEWS_PAGE_DEFAULT}.`,
      }),
    cursor: z
      .string()
      .max(600)
      .regex(SIGNED_CURSOR)
      .optional()
      .meta({ description: 'The `next` value of the previous page, as given (it is signed).' }),
  })
  .strict();

export type InterviewListQuery = z.infer<typeof interviewListQuerySchema>;

export const interviewListingSchema = z
  .object({
    id: z.uuid(),
    date: z.iso.date().meta({ description: 'When the interview or focus group took place.' }),
    recordedAt: z.iso.datetime(),
    respondentGroup: z.enum(RESPONDENT_GROUPS),
    method: z.enum(INTERVIEW_METHODS),
    participants: z.int(),
    consent: z.object({ recorded: z.literal(true), date: z.iso.date().optional() }).strict(),
    areas: z
      .array(questionAreaCodeSchema)
      .max(MAX_FINDINGS)
      .meta({ description: 'The question areas its findings are coded under, each once, in order.' }),
    themes: z
      .array(z.uuid())
      .max(MAX_FINDINGS)
      .meta({ description: 'The ids of the themes its findings are coded with, each once.' }),
    findings: z.int(),
    quotes: z
      .object({ publishable: z.int(), notPublishable: z.int() })
      .strict()
      .meta({ description: 'How many quotes it holds; their text is only in the finding itself.' }),
    attachment: z.boolean().meta({ description: 'Whether a file is attached.' }),
  })
  .strict()
  .meta({ id: 'InterviewListing' });

/** One finding as the site's list shows it: its coding and counts, no summary or quote text. */
export type InterviewListing = z.infer<typeof interviewListingSchema>;

export const interviewListSchema = z
  .object({
    site: z.enum(SITE_IDS),
    interviews: z
      .array(interviewListingSchema)
      .max(INTERVIEWS_PAGE_MAX)
      .meta({ description: 'Newest interview date first; the same date, the most recently recorded first.' }),
    next: z
      .string()
      .max(600)
      .optional()
      .meta({ description: 'Pass as `cursor` for the next page; absent on the last page.' }),
  })
  .strict()
  .meta({ id: 'InterviewFindingsList' });

export type InterviewList = z.infer<typeof interviewListSchema>;

/** A finding's entry in its site's list: what it is about and how much it holds, none of its text. */
export function interviewListingOf(interview: StoredInterview): InterviewListing {
  const quotes = interview.findings.flatMap((finding) => finding.quotes);
  const publishable = quotes.filter((quote) => quote.publishable).length;
  return {
    id: interview.id,
    date: interview.date,
    recordedAt: interview.recordedAt,
    respondentGroup: interview.respondentGroup,
    method: interview.method,
    participants: interview.participants,
    consent: interview.consent,
    areas: [...new Set(interview.findings.map((finding) => finding.area))],
    themes: [...new Set(interview.findings.map((finding) => finding.theme))],
    findings: interview.findings.length,
    quotes: { publishable, notPublishable: quotes.length - publishable },
    attachment: interview.attachment !== undefined,
  };
}

/** A position in a site's list (`<date>#<recorded at>#<id>`), as a cursor carries it. */
const INTERVIEW_POSITION = /^\d{4}-\d{2}-\d{2}#[0-9T:.Z-]{1,30}#[0-9a-f-]{36}$/;

const interviewCursorSchema = z
  .object({ site: z.enum(SITE_IDS), after: z.string().max(100).regex(INTERVIEW_POSITION) })
  .strict();

/**
 * A page of a site's interview findings, newest first, as listed: coding and counts, never a
 * summary or a quote. Read from the site's list kept beside the findings (one Query of a key
 * range), not from the findings themselves, which can be hundreds of kilobytes each. The signed
 * cursor names its site, so it cannot be replayed against another.
 */
export async function listInterviews(
  deps: { readonly interviews: Pick<InterviewStore, 'listInterviews'>; readonly cursors: CursorSigner },
  site: SiteId,
  query: InterviewListQuery,
): Promise<InterviewList> {
  const resumed =
    query.cursor === undefined ? undefined : decodeCursor(deps.cursors, interviewCursorSchema, query.cursor);
  if (resumed && resumed.site !== site) {
    throw new ValidationError([{ pointer: '/query/cursor', detail: 'belongs to another site' }]);
  }
  const page = await deps.interviews.listInterviews(
    site,
    query.limit ?? INTERVIEWS_PAGE_DEFAULT,
    resumed?.after,
  );
  return {
    site,
    interviews: page.interviews,
    ...(page.more ? { next: encodeCursor(deps.cursors, { site, after: page.more }) } : {}),
  };
}
