import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import {
  BARRIER_CODES,
  type BarrierCode,
  BARRIER_NOTE_MAX_LENGTH,
  BARRIER_SEVERITIES,
  BARRIER_SOURCES,
  ENABLER_CODES,
  type EnablerCode,
  REFERRING_ANSWERS,
  REPORTER_ROLES,
} from '../../shared/domain/referral-codes';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

export {
  BARRIER_CODES,
  type BarrierCode,
  BARRIER_NOTE_MAX_LENGTH,
  BARRIER_SEVERITIES,
  BARRIER_SOURCES,
  ENABLER_CODES,
  type EnablerCode,
  REFERRING_ANSWERS,
  REPORTER_ROLES,
};

const codes = <T extends Record<string, string>>(labels: T) =>
  Object.keys(labels) as [keyof T & string, ...(keyof T & string)[]];

/**
 * A zod check that reports the second and later occurrence of the same key at `[index, ...field]`,
 * so the pointer names the duplicate rather than the whole list.
 */
function noRepeats<T>(keyOf: (item: T) => string, field: readonly string[], what: string) {
  return (list: T[], ctx: z.RefinementCtx<T[]>): void => {
    const seen = new Set<string>();
    list.forEach((item, index) => {
      const key = keyOf(item);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          message: `${what} \`${key}\` is already in the list`,
          path: [index, ...field],
        });
      }
      seen.add(key);
    });
  };
}

const barrierSchema = z
  .object({
    code: z.enum(codes(BARRIER_CODES)),
    severity: z.enum(BARRIER_SEVERITIES).meta({ description: 'How much this barrier holds referrals back.' }),
  })
  .strict();

export const referralBarrierBodySchema = z
  .object({
    reporterRole: z.enum(codes(REPORTER_ROLES)).meta({ description: 'Who is reporting.' }),
    source: z.enum(codes(BARRIER_SOURCES)).meta({ description: 'Where the report comes from.' }),
    referring: z
      .enum(REFERRING_ANSWERS)
      .meta({ description: 'Is the reporter (or the team they speak for) referring people to the service?' }),
    barriers: z
      .array(barrierSchema)
      .max(Object.keys(BARRIER_CODES).length)
      .superRefine(noRepeats((b: z.infer<typeof barrierSchema>) => b.code, ['code'], 'barrier'))
      .optional()
      .meta({
        description:
          'Optional: what holds referrals back, each code at most once. May be empty, even when not referring.',
      }),
    enablers: z
      .array(z.enum(codes(ENABLER_CODES)))
      .max(Object.keys(ENABLER_CODES).length)
      .superRefine(noRepeats((e: string) => e, [], 'enabler'))
      .optional()
      .meta({ description: 'Optional: what helps referrals, each code at most once.' }),
    note: z
      .string()
      .trim()
      .max(BARRIER_NOTE_MAX_LENGTH)
      .regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)
      .optional()
      .meta({ description: 'Optional, a sentence or two. Identifiers are removed before it is stored.' }),
  })
  .strict()
  .meta({
    id: 'ReferralBarrierReport',
    description:
      'A short report, under a minute to give: only `reporterRole`, `source` and `referring` are required.',
  });

export type ReferralBarrierBody = z.infer<typeof referralBarrierBodySchema>;

export const referralBarrierReceiptSchema = z
  .object({
    id: z.string().max(64),
    site: z.enum(SITE_IDS),
    recordedAt: z.iso.datetime(),
    redacted: z
      .record(z.string(), z.int())
      .meta({ description: 'What was removed from the note, by kind and count.' }),
  })
  .strict()
  .meta({ id: 'ReferralBarrierReceipt' });

export type ReferralBarrierReceipt = z.infer<typeof referralBarrierReceiptSchema>;

/** A stored report: the reporter is only ever a keyed pseudonym, the note already redacted. */
export interface StoredReferralBarrier {
  readonly id: string;
  readonly site: SiteId;
  readonly reporter: string;
  readonly reporterRole: ReferralBarrierBody['reporterRole'];
  readonly source: ReferralBarrierBody['source'];
  readonly referring: ReferralBarrierBody['referring'];
  readonly barriers: NonNullable<ReferralBarrierBody['barriers']>;
  readonly enablers: NonNullable<ReferralBarrierBody['enablers']>;
  readonly note?: string;
  readonly submittedAt: string;
}

/** The port the referral barrier rules need from storage. */
export interface ReferralBarrierStore {
  /** Writes the report and its audit event together, or neither. */
  saveReferralBarrier(report: StoredReferralBarrier, audit: AuditEvent): Promise<void>;
  /** A site's reports submitted from `fromIso` to `toIso` (ISO timestamps or dates, inclusive), oldest first. */
  listReferralBarriers(site: SiteId, fromIso: string, toIso: string): Promise<StoredReferralBarrier[]>;
}

export interface ReferralBarrierDeps {
  readonly referralBarriers: ReferralBarrierStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * Builds the stored report from a validated body: the note redacted (and dropped when nothing is
 * left), missing lists made empty, the reporter recorded as the caller's pseudonym only.
 */
export function buildReferralBarrier(
  principal: Principal,
  site: SiteId,
  body: ReferralBarrierBody,
  at: Date,
  id: string,
): { report: StoredReferralBarrier; redacted: Partial<Record<string, number>> } {
  const note = body.note ? redactFreeText(body.note) : undefined;
  const report: StoredReferralBarrier = {
    id,
    site,
    reporter: principal.actor,
    reporterRole: body.reporterRole,
    source: body.source,
    referring: body.referring,
    barriers: body.barriers ?? [],
    enablers: body.enablers ?? [],
    ...(note && note.text.trim().length > 0 ? { note: note.text } : {}),
    submittedAt: at.toISOString(),
  };
  return { report, redacted: note?.removed ?? {} };
}

/** Records a referral barrier report (question area 4.5) with its audit event. */
export async function submitReferralBarrier(
  deps: ReferralBarrierDeps,
  principal: Principal,
  site: SiteId,
  body: ReferralBarrierBody,
): Promise<ReferralBarrierReceipt> {
  const { report, redacted } = buildReferralBarrier(principal, site, body, deps.now(), deps.newId());
  await deps.referralBarriers.saveReferralBarrier(report, {
    id: deps.newId(),
    at: report.submittedAt,
    actor: principal.actor,
    action: 'referral-barrier.create',
    subjectType: 'referral-barrier',
    subjectId: report.id,
  });
  return { id: report.id, site, recordedAt: report.submittedAt, redacted: countsOnly(redacted) };
}

function countsOnly(removed: Partial<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(removed).filter((entry): entry is [string, number] => (entry[1] ?? 0) > 0),
  );
}
