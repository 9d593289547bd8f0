/**
 * "You said, we did": changes made because of what people using the service said, recorded by
 * evaluators, shown to every role but the market, and carried by learning packs.
 */
import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { redactFreeText } from '../../shared/domain/redaction';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import { NOT_WELL_FORMED, WELL_FORMED_TEXT } from '../../shared/domain/text';

const text = (description: string) =>
  z.string().trim().min(1).max(1000).regex(WELL_FORMED_TEXT, NOT_WELL_FORMED).meta({ description });

export const changeBodySchema = z
  .object({
    heard: text('What people using the service said.'),
    changed: text('What was changed because of it.'),
    when: z.iso.date().meta({ description: 'When the change was made (YYYY-MM-DD).' }),
    sites: z
      .array(z.enum(SITE_IDS))
      .min(1)
      .max(SITE_IDS.length)
      .refine((s) => new Set(s).size === s.length, 'name each site once')
      .meta({ description: 'The sites where it changed.' }),
  })
  .strict()
  .meta({ id: 'ChangeRequest' });

export type ChangeBody = z.infer<typeof changeBodySchema>;

export const changeSchema = z
  .object({
    id: z.uuid(),
    heard: z.string().max(1000),
    changed: z.string().max(1000),
    when: z.iso.date(),
    sites: z.array(z.enum(SITE_IDS)).max(SITE_IDS.length),
  })
  .strict()
  .meta({ id: 'Change' });

export type StoredChange = z.infer<typeof changeSchema>;

export const changeReceiptSchema = changeSchema
  .extend({ redacted: z.record(z.string(), z.int()) })
  .strict()
  .meta({ id: 'ChangeReceipt' });

/** Far more than a programme of three sites records: a few changes a month. */
export const CHANGES_MAX = 2000;

export const changeListSchema = z
  .object({ changes: z.array(changeSchema).max(CHANGES_MAX) })
  .strict()
  .meta({ id: 'ChangeList' });

/** The port the changes need from storage. */
export interface ChangeStore {
  saveChange(change: StoredChange, audit: AuditEvent): Promise<void>;
  /** Every change, newest first. */
  listChanges(): Promise<StoredChange[]>;
}

export interface ChangeDeps {
  readonly changes: ChangeStore;
  readonly now: () => Date;
  readonly newId: () => string;
}

/** Records a change; both texts are redacted before they are stored. */
export async function recordChange(
  deps: ChangeDeps,
  principal: Principal,
  body: ChangeBody,
): Promise<z.infer<typeof changeReceiptSchema>> {
  const heard = redactFreeText(body.heard);
  const changed = redactFreeText(body.changed);
  const redacted: Record<string, number> = {};
  for (const removed of [heard.removed, changed.removed]) {
    for (const [kind, n] of Object.entries(removed)) redacted[kind] = (redacted[kind] ?? 0) + n;
  }
  const order = (site: SiteId) => SITE_IDS.indexOf(site);
  const change: StoredChange = {
    id: deps.newId(),
    heard: heard.text,
    changed: changed.text,
    when: body.when,
    sites: [...body.sites].sort((a, b) => order(a) - order(b)),
  };
  await deps.changes.saveChange(change, {
    id: deps.newId(),
    at: deps.now().toISOString(),
    actor: principal.actor,
    action: 'change.create',
    subjectType: 'change',
    subjectId: change.id,
  });
  return { ...change, redacted };
}

/** Every recorded change, newest first. */
export async function listChangesNewestFirst(deps: ChangeDeps): Promise<z.infer<typeof changeListSchema>> {
  return { changes: (await deps.changes.listChanges()).slice(0, CHANGES_MAX) };
}
