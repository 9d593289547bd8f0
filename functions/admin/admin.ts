import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { type CursorSigner, decodeCursor, encodeCursor, SIGNED_CURSOR } from '../../shared/domain/cursors';
import { ValidationError } from '../../shared/domain/errors';
import { addDays, toIsoDate } from '../../shared/domain/iso-week';
import type { Programme, ProgrammeWriter } from '../../shared/domain/programme';
import { redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

// ── Programme: pause for bidding, resume ──

export const programmeChangeSchema = z
  .object({
    state: z.enum(['active', 'paused']),
    reason: z.string().trim().min(1).max(500).regex(WELL_FORMED_TEXT, NOT_WELL_FORMED).optional().meta({
      description:
        'Required when pausing: shown to everyone whose submission is refused, e.g. "Paused while the competition is open (until 30 May)."',
    }),
  })
  .strict()
  .meta({ id: 'ProgrammeChange' });

export type ProgrammeChange = z.infer<typeof programmeChangeSchema>;

export interface AdminDeps {
  readonly programme: ProgrammeWriter;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * Pauses early testing (e.g. while the competition is open, so every bidder sees the same evidence)
 * or resumes it. While paused, data submissions answer 423 with the reason; reads and downloads work.
 */
export async function changeProgramme(
  deps: AdminDeps,
  principal: Principal,
  change: ProgrammeChange,
): Promise<Programme> {
  if (change.state === 'paused' && change.reason === undefined) {
    throw new ValidationError([
      { pointer: '/body/reason', detail: 'say why the programme is paused: everyone refused will see it' },
    ]);
  }
  if (change.state === 'active' && change.reason !== undefined) {
    throw new ValidationError([{ pointer: '/body/reason', detail: 'is only taken when pausing' }]);
  }
  const current = await deps.programme.getProgramme();
  const at = deps.now().toISOString();
  const next: Programme = {
    state: change.state,
    ...(change.reason === undefined ? {} : { pausedReason: redactFreeText(change.reason).text }),
    disclosurePolicy: current.disclosurePolicy,
    updatedAt: at,
  };
  await deps.programme.saveProgramme(next, {
    id: deps.newId(),
    at,
    actor: principal.actor,
    action: change.state === 'paused' ? 'programme.pause' : 'programme.resume',
    subjectType: 'programme',
    subjectId: 'programme',
  });
  return next;
}

// ── Audit log: append-only, read by admins, newest first ──

const isoDate = z.iso.date();
export const AUDIT_PAGE_MAX = 200;
const MAX_SPAN_DAYS = 366;
/**
 * Days read in one request at most. The audit log has one partition per day, so a quiet period costs
 * a read per empty day: a request stops after this many and hands back a `next` cursor, however
 * few events it found, rather than walk a whole year in one go.
 */
export const AUDIT_DAYS_PER_PAGE = 31;

export const auditQuerySchema = z
  .object({
    from: isoDate.optional().meta({ description: 'First day (YYYY-MM-DD); default 30 days before `to`.' }),
    to: isoDate.optional().meta({ description: 'Last day (YYYY-MM-DD); default today.' }),
    limit: z.coerce
      .number()
      .int()
      .min(1)
      .max(AUDIT_PAGE_MAX)
      .optional()
      .meta({ description: `Events per page, 1-${AUDIT_PAGE_MAX}; default 50.` }),
    cursor: z
      .string()
      .max(600)
      .regex(SIGNED_CURSOR)
      .optional()
      .meta({ description: 'The `next` value of the previous page, as given (it is signed).' }),
  })
  .strict();

export type AuditQuery = z.infer<typeof auditQuerySchema>;

export const auditEventSchema = z
  .object({
    id: z.string().max(64),
    at: z.iso.datetime(),
    actor: z.string().max(64).meta({ description: 'A keyed pseudonym of who did it' }),
    action: z.string().max(64),
    subjectType: z.string().max(64),
    subjectId: z.string().max(200),
  })
  .strict()
  .meta({ id: 'AuditEvent' });

export const auditPageSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    events: z.array(auditEventSchema).max(AUDIT_PAGE_MAX),
    next: z
      .string()
      .max(600)
      .optional()
      .meta({
        description: `Pass as \`cursor\` for the next page. A page reads at most ${AUDIT_DAYS_PER_PAGE} days, so it can be short, even empty, and still have a \`next\`: the log is read to the end when there is no \`next\`.`,
      }),
  })
  .strict()
  .meta({ id: 'AuditPage' });

export type AuditPage = z.infer<typeof auditPageSchema>;

/** Where a page stopped: the day being read and the last event returned from it. */
export interface AuditPosition {
  readonly day: string;
  readonly after?: string;
}

/** The port for reading the audit log, one day at a time, newest first. */
export interface AuditReader {
  /** Up to `limit` events of `day`, newest first, after the `after` position; and where to resume. */
  readDay(day: string, limit: number, after?: string): Promise<{ events: AuditEvent[]; after?: string }>;
}

/**
 * A page of the audit log, newest first, walking back day by day from `to` to `from`, reading at most
 * `AUDIT_DAYS_PER_PAGE` days. The cursor carries the period and is signed, so a caller can neither
 * change the period halfway through nor point a cursor outside it.
 */
export async function readAuditLog(
  deps: { readonly audit: AuditReader; readonly cursors: CursorSigner; readonly now: () => Date },
  query: AuditQuery,
): Promise<AuditPage> {
  const limit = query.limit ?? 50;
  const resumed = query.cursor === undefined ? undefined : readCursor(deps.cursors, query.cursor);
  const to = resumed?.to ?? query.to ?? toIsoDate(deps.now());
  const from = resumed?.from ?? query.from ?? addDays(to, -30);
  if (from > to) throw new ValidationError([{ pointer: '/query/from', detail: 'must be on or before `to`' }]);
  if (Date.parse(to) - Date.parse(from) > MAX_SPAN_DAYS * 86_400_000) {
    throw new ValidationError([
      { pointer: '/query/to', detail: `the period can be at most ${MAX_SPAN_DAYS} days` },
    ]);
  }
  const events: AuditEvent[] = [];
  let position: AuditPosition | undefined = resumed?.position ?? { day: to };
  for (let days = 0; position && events.length < limit && days < AUDIT_DAYS_PER_PAGE; days++) {
    const page = await deps.audit.readDay(position.day, limit - events.length, position.after);
    events.push(...page.events);
    if (page.after !== undefined) position = { day: position.day, after: page.after };
    else position = position.day > from ? { day: addDays(position.day, -1) } : undefined;
  }
  return {
    from,
    to,
    events: events.map(({ id, at, actor, action, subjectType, subjectId }) => ({
      id,
      at,
      actor,
      action,
      subjectType,
      subjectId,
    })),
    ...(position ? { next: encodeCursor(deps.cursors, { from, to, position }) } : {}),
  };
}

const cursorSchema = z
  .object({
    from: isoDate,
    to: isoDate,
    position: z.object({ day: isoDate, after: z.string().max(200).optional() }).strict(),
  })
  .strict();

type Cursor = z.infer<typeof cursorSchema>;

/** A signed cursor's content, which must also lie within its own period. */
function readCursor(signer: CursorSigner, raw: string): Cursor {
  const cursor = decodeCursor(signer, cursorSchema, raw);
  if (cursor.position.day < cursor.from || cursor.position.day > cursor.to) {
    throw new ValidationError([{ pointer: '/query/cursor', detail: 'is not a cursor this API gave out' }]);
  }
  return cursor;
}
