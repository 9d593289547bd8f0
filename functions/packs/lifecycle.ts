import { createHash } from 'node:crypto';
import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/roles';
import { type SiteId, siteIdSchema } from '../../shared/domain/sites';
import type { Ledger, LedgerEntry } from './ledger';
import { disclosureReportSchema, type Pack } from './pack-model';
import type { DisclosurePolicyVersion } from './policy';

/**
 * The life of a learning pack, from a build request to its withdrawal:
 *
 * building → draft (or failed, with the reason) → approved (by an evaluator other than the builder)
 * → published (copied, immutable, to the published bucket; visible to the market from its release
 * time) → withdrawn (kept on record, with the reason).
 *
 * These are the rules; the storage and the build launcher are ports, wired in `pack-services.ts`.
 */

export const PACK_STATUSES = ['building', 'failed', 'draft', 'approved', 'published', 'withdrawn'] as const;
export type PackStatus = (typeof PACK_STATUSES)[number];

/** Every format a pack is rendered in; `csv` is one zip of one CSV file per table. */
export const PACK_FORMATS = ['html', 'json', 'csv', 'ods'] as const;
export type PackFormat = (typeof PACK_FORMATS)[number];
export const PREVIEW_FORMATS = ['html', 'json', 'csv'] as const;

export const FORMAT_FILES: Readonly<Record<PackFormat, { name: string; contentType: string }>> = {
  html: { name: 'pack.html', contentType: 'text/html; charset=utf-8' },
  json: { name: 'pack.json', contentType: 'application/json' },
  csv: { name: 'pack-csv.zip', contentType: 'application/zip' },
  ods: { name: 'pack.ods', contentType: 'application/vnd.oasis.opendocument.spreadsheet' },
};

/**
 * A release is announced at least this long ahead, so that a market team hears of it before any
 * competitor can read it, and a slip noticed after publishing can still be withdrawn before release.
 */
export const MIN_RELEASE_NOTICE_MINUTES = 15;
/** A release further ahead than this is more likely a typo (a year) than a plan. */
export const MAX_RELEASE_NOTICE_DAYS = 90;
/** Download links expire within five minutes, so a forwarded link soon stops working. */
export const DOWNLOAD_URL_SECONDS = 300;
/**
 * A build still "building" this long after it was asked for has been given up by Lambda (the
 * builder's timeout, two retries a minute or two apart): it is shown as failed.
 */
export const BUILD_GIVE_UP_MINUTES = 15;
/** The longest period one pack may cover: the early testing runs for about a year. */
export const MAX_PERIOD_DAYS = 731;

const isoDate = z.iso.date();
const packId = z.uuid();

export const packBuildBodySchema = z
  .object({
    from: isoDate.meta({ description: 'First day of the period (inclusive).' }),
    to: isoDate.meta({ description: 'Last day of the period (inclusive).' }),
    sites: z
      .array(siteIdSchema)
      .min(1)
      .max(3)
      .refine((list) => new Set(list).size === list.length, 'lists a site twice'),
    title: z.string().trim().min(1).max(300).optional(),
    series: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,63}$/)
      .optional()
      .meta({
        description:
          'A pack series: a corrected pack is a new version of the same series. Defaults to a new series.',
      }),
    changes: z.string().trim().min(1).max(2000).optional().meta({
      description: 'What changed since the last published version; required for a new version of a series.',
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.from > body.to) ctx.addIssue({ code: 'custom', path: ['to'], message: 'is before from' });
  })
  .meta({ id: 'PackBuildRequest' });
export type PackBuildBody = z.infer<typeof packBuildBodySchema>;

export const packParamsSchema = z.object({ id: packId }).strict();
export const previewQuerySchema = z.object({ format: z.enum(PREVIEW_FORMATS) }).strict();
export const downloadQuerySchema = z.object({ format: z.enum(PACK_FORMATS) }).strict();

export const publishBodySchema = z
  .object({
    releaseAt: z.iso.datetime({ offset: true }).meta({
      description: `When the market may see the pack, announced at least ${MIN_RELEASE_NOTICE_MINUTES} minutes ahead, e.g. 2026-03-02T09:30:00Z.`,
    }),
  })
  .strict()
  .meta({ id: 'PackPublishRequest' });

export const withdrawBodySchema = z
  .object({ reason: z.string().trim().min(10).max(1000) })
  .strict()
  .meta({ id: 'PackWithdrawRequest' });

const fileSchema = z.object({ sha256: z.string().length(64), bytes: z.int().min(0) }).strict();
const filesSchema = z
  .object({ html: fileSchema, json: fileSchema, csv: fileSchema, ods: fileSchema })
  .strict();

const periodSchema = z.object({ from: isoDate, to: isoDate }).strict();

const disclosureSummarySchema = z
  .object({
    policyVersion: z.int().min(1),
    threshold: z.int().min(1),
    passed: z.boolean(),
    suppressedCells: z.int().min(0),
    failures: z.int().min(0),
  })
  .strict();

/** A pack as kept on record. Actors are keyed pseudonyms, never names or token subjects. */
export interface PackRecord {
  readonly id: string;
  readonly series: string;
  readonly version: number;
  readonly title: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly sites: readonly SiteId[];
  readonly changes?: string;
  readonly status: PackStatus;
  readonly builder: string;
  readonly requestedAt: string;
  readonly builtAt?: string;
  readonly failure?: string;
  readonly policyVersion?: number;
  /** SHA-256 of the JSON file, the one every figure is in: the pack's content hash. */
  readonly sha256?: string;
  readonly files?: z.infer<typeof filesSchema>;
  readonly disclosure?: z.infer<typeof disclosureSummarySchema>;
  readonly approver?: string;
  readonly approvedAt?: string;
  readonly publisher?: string;
  readonly publishedAt?: string;
  readonly releaseAt?: string;
  readonly withdrawn?: { readonly by: string; readonly at: string; readonly reason: string };
}

export const packViewSchema = z
  .object({
    id: packId,
    series: z.string().max(64),
    version: z.int().min(1),
    title: z.string().max(300),
    period: periodSchema,
    sites: z.array(siteIdSchema).max(3),
    changes: z.string().max(2000).optional(),
    status: z.enum(PACK_STATUSES),
    builder: z.string().max(100).meta({ description: "The builder's pseudonym." }),
    requestedAt: z.iso.datetime(),
    builtAt: z.iso.datetime().optional(),
    failure: z.string().max(500).optional(),
    policyVersion: z.int().optional(),
    sha256: z.string().length(64).optional(),
    files: filesSchema.optional(),
    disclosure: disclosureSummarySchema.optional(),
    approver: z.string().max(100).optional().meta({ description: "The approver's pseudonym." }),
    approvedAt: z.iso.datetime().optional(),
    publisher: z.string().max(100).optional(),
    publishedAt: z.iso.datetime().optional(),
    releaseAt: z.iso.datetime().optional(),
    withdrawn: z
      .object({ by: z.string().max(100), at: z.iso.datetime(), reason: z.string().max(1000) })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'PackState' });

export const packDetailSchema = packViewSchema
  .extend({
    report: disclosureReportSchema.optional().meta({
      description: 'The full disclosure report of the built pack: each suppressed cell, its rule, its range.',
    }),
  })
  .strict()
  .meta({ id: 'PackDetail' });

export const packListSchema = z
  .object({ packs: z.array(packViewSchema).max(10_000) })
  .strict()
  .meta({ id: 'PackList' });

export const buildAcceptedSchema = z
  .object({ id: packId, status: z.literal('building') })
  .strict()
  .meta({ id: 'PackBuildAccepted' });

export const publishedPackSchema = z
  .object({
    id: packId,
    title: z.string().max(300),
    period: periodSchema,
    sites: z.array(siteIdSchema).max(3),
    series: z.string().max(64),
    version: z.int().min(1),
    changes: z.string().max(2000).optional(),
    publishedAt: z.iso
      .datetime()
      .meta({ description: 'The release time: from then every market user sees it.' }),
    sha256: z
      .string()
      .length(64)
      .meta({ description: 'SHA-256 of the JSON file, which holds every figure.' }),
    files: filesSchema,
    withdrawn: z
      .object({ at: z.iso.datetime(), reason: z.string().max(1000) })
      .strict()
      .optional(),
  })
  .strict()
  .meta({ id: 'PublishedPack' });

export const publishedPackListSchema = z
  .object({ packs: z.array(publishedPackSchema).max(10_000) })
  .strict()
  .meta({ id: 'PublishedPackList' });

export const downloadLinkSchema = z
  .object({
    url: z.url(),
    expiresInSeconds: z.int().max(DOWNLOAD_URL_SECONDS),
    sha256: z.string().length(64).meta({ description: "The file's SHA-256, to check what was downloaded." }),
  })
  .strict()
  .meta({ id: 'PackDownloadLink' });

/** What the build pipeline is handed: the pack's identity, the policy in force and the ledger. */
export interface PackBuildInput {
  readonly id: string;
  readonly title: string;
  readonly period: { readonly from: string; readonly to: string };
  readonly sites: readonly SiteId[];
  readonly series: string;
  readonly version: number;
  readonly changes?: string;
  readonly policy: DisclosurePolicyVersion;
  /** Every pack published so far, with the exact figures behind what each showed. */
  readonly ledger: Ledger;
  /** Epoch milliseconds by which the pipeline must have returned; it is aborted then. */
  readonly deadline: number;
  readonly signal: AbortSignal;
}

export interface PackBuildOutput {
  readonly pack: Pack;
  readonly files: Readonly<Record<PackFormat, Uint8Array | string>>;
  /**
   * What this pack would add to the ledger if published: each figure it shows by `ref`, with the
   * exact figure behind it. PRIVATE: it holds exact values of suppressed and rounded cells, so it
   * goes only into the pack's own ledger item (never the pack record, a file, a log or an answer).
   */
  readonly ledger: LedgerEntry;
}

/**
 * The build pipeline port: evidence → composed tables → disclosure control and its audit → the four
 * renderings. It must give byte-identical files for the same records and policy.
 */
export type BuildPackFiles = (input: PackBuildInput) => Promise<PackBuildOutput>;

/** A refusal the pipeline means the evaluator to read (its message is kept as the failure reason). */
export class PackBuildRefusedError extends Error {
  override readonly name = 'PackBuildRefusedError';
}

export interface StoredFile {
  readonly sha256: string;
  readonly bytes: number;
}

/** The storage port for pack records, the series, the ledger and download audit events. */
export interface PackStore {
  createPack(pack: PackRecord, audit: AuditEvent): Promise<void>;
  getPack(id: string): Promise<PackRecord | undefined>;
  listPacks(): Promise<PackRecord[]>;
  /**
   * Moves a building pack to draft or failed; false if it was not building (a retried build). A
   * draft's private ledger entry is stored with it, not yet counted in the ledger.
   */
  finishBuild(
    id: string,
    outcome: Partial<PackRecord>,
    audit: AuditEvent,
    ledger?: LedgerEntry,
  ): Promise<boolean>;
  approve(id: string, approver: string, at: string, audit: AuditEvent): Promise<void>;
  publish(
    pack: PackRecord,
    publication: {
      publisher: string;
      publishedAt: string;
      releaseAt: string;
    },
    audit: AuditEvent,
  ): Promise<void>;
  withdraw(id: string, withdrawn: NonNullable<PackRecord['withdrawn']>, audit: AuditEvent): Promise<void>;
  /** The series' last published version and the policy version its first published pack used. */
  getSeries(series: string): Promise<{ publishedVersion: number; policyVersion: number } | undefined>;
  /** The ledger entries of every pack published so far (withdrawn ones too), oldest first. */
  readLedger(): Promise<Ledger>;
  recordEvent(audit: AuditEvent): Promise<void>;
}

/** The files port: drafts in the packs bucket, published copies in the object-locked bucket. */
export interface PackFiles {
  putDraft(id: string, format: PackFormat, body: Uint8Array): Promise<void>;
  readDraft(id: string, format: PackFormat): Promise<Uint8Array | undefined>;
  copyToPublished(id: string, version: number, format: PackFormat): Promise<void>;
  presignPublished(
    id: string,
    version: number,
    format: PackFormat,
    expiresInSeconds: number,
  ): Promise<string>;
}

/** Starts the builder function on a pack, without waiting for it. */
export interface BuildLauncher {
  startBuild(packId: string): Promise<void>;
}

export interface PackDeps {
  readonly packs: PackStore;
  readonly packFiles: PackFiles;
  readonly builds: BuildLauncher;
  readonly now: () => Date;
  readonly newId: () => string;
  /**
   * The notice a release needs, in minutes: {@link MIN_RELEASE_NOTICE_MINUTES} unless the
   * deployment sets less (only the local stack's end-to-end test does, to release within seconds).
   */
  readonly minReleaseNoticeMinutes?: number;
}

export const sha256Hex = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

const event = (deps: Pick<PackDeps, 'now' | 'newId'>, actor: string, action: string, subjectId: string) => ({
  id: deps.newId(),
  at: deps.now().toISOString(),
  actor,
  action,
  subjectType: 'learning-pack',
  subjectId,
});

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
}

/**
 * Records a build request and starts the builder. The version is the series' last published version
 * plus one, so a pack knows its version when it is rendered; publishing checks it is still next.
 */
export async function requestBuild(
  deps: PackDeps,
  principal: Principal,
  body: PackBuildBody,
): Promise<{ id: string; status: 'building' }> {
  const today = deps.now().toISOString().slice(0, 10);
  if (body.to > today) {
    throw new ValidationError([
      { pointer: '/body/to', detail: 'is in the future: a pack reports what happened' },
    ]);
  }
  if (daysBetween(body.from, body.to) > MAX_PERIOD_DAYS) {
    throw new ValidationError([
      { pointer: '/body/from', detail: `the period can be at most ${MAX_PERIOD_DAYS} days` },
    ]);
  }
  const id = deps.newId();
  const series = body.series ?? id;
  const published = body.series === undefined ? undefined : await deps.packs.getSeries(body.series);
  if (published && body.changes === undefined) {
    throw new ValidationError([
      {
        pointer: '/body/changes',
        detail: `series ${series} has a published version ${published.publishedVersion}: say what this version changes`,
      },
    ]);
  }
  if (!published && body.changes !== undefined) {
    throw new ValidationError([
      { pointer: '/body/changes', detail: 'only goes with a new version of a published series' },
    ]);
  }
  const at = deps.now().toISOString();
  const record: PackRecord = {
    id,
    series,
    version: (published?.publishedVersion ?? 0) + 1,
    title: body.title ?? `Learning pack ${body.from} to ${body.to}`,
    period: { from: body.from, to: body.to },
    sites: body.sites,
    ...(body.changes === undefined ? {} : { changes: body.changes }),
    status: 'building',
    builder: principal.actor,
    requestedAt: at,
  };
  await deps.packs.createPack(record, event(deps, principal.actor, 'learning-pack.build', id));
  try {
    await deps.builds.startBuild(id);
  } catch (error) {
    await deps.packs.finishBuild(
      id,
      { status: 'failed', failure: 'The build could not be started; please ask again.' },
      event(deps, principal.actor, 'learning-pack.build-failed', id),
    );
    throw error;
  }
  return { id, status: 'building' };
}

/** The pack as callers should see it: a build Lambda gave up on reads as failed. */
export function asSeen(pack: PackRecord, now: Date): PackRecord {
  if (pack.status !== 'building') return pack;
  if (now.getTime() - Date.parse(pack.requestedAt) < BUILD_GIVE_UP_MINUTES * 60_000) return pack;
  return { ...pack, status: 'failed', failure: 'The build did not finish; ask again.' };
}

export async function findPack(deps: Pick<PackDeps, 'packs'>, id: string): Promise<PackRecord> {
  const pack = await deps.packs.getPack(id);
  if (!pack) throw new NotFoundError('There is no such pack.');
  return pack;
}

/** The pack's state with, once built, its full disclosure report (read from the JSON file). */
export async function describePack(deps: PackDeps, id: string): Promise<z.infer<typeof packDetailSchema>> {
  const pack = asSeen(await findPack(deps, id), deps.now());
  const json = pack.files ? await deps.packFiles.readDraft(id, 'json') : undefined;
  const report = json
    ? disclosureReportSchema.safeParse(
        (JSON.parse(Buffer.from(json).toString('utf8')) as { disclosure?: unknown }).disclosure,
      )
    : undefined;
  return { ...pack, ...(report?.success ? { report: report.data } : {}) } as z.infer<typeof packDetailSchema>;
}

/** A draft's file, as built. Only built packs have files; a failed or building one has none. */
export async function previewPack(
  deps: PackDeps,
  id: string,
  format: PackFormat,
): Promise<{ body: Uint8Array; contentType: string; fileName: string }> {
  const pack = await findPack(deps, id);
  if (!pack.files) throw new ConflictError(`The pack is ${pack.status}: there is nothing to preview yet.`);
  const body = await deps.packFiles.readDraft(id, format);
  if (!body) throw new NotFoundError('The draft file is missing.');
  return { body, contentType: FORMAT_FILES[format].contentType, fileName: FORMAT_FILES[format].name };
}

/** Four eyes: a second evaluator, not the builder, approves a draft that passed the disclosure audit. */
export async function approvePack(
  deps: PackDeps,
  principal: Principal,
  id: string,
): Promise<z.infer<typeof packViewSchema>> {
  const pack = await findPack(deps, id);
  if (pack.builder === principal.actor) {
    throw new ForbiddenError(
      'Four eyes: the evaluator who built a pack cannot approve it; ask another evaluator.',
    );
  }
  if (pack.status !== 'draft')
    throw new ConflictError(`Only a draft can be approved; this pack is ${pack.status}.`);
  if (!pack.disclosure?.passed) {
    throw new ConflictError(
      'The pack failed its disclosure audit and cannot be approved; see its disclosure report.',
    );
  }
  const at = deps.now().toISOString();
  await deps.packs.approve(
    id,
    principal.actor,
    at,
    event(deps, principal.actor, 'learning-pack.approve', id),
  );
  return { ...pack, status: 'approved', approver: principal.actor, approvedAt: at } as z.infer<
    typeof packViewSchema
  >;
}

/**
 * Publishes an approved pack: its files copied to `published/<id>/v<version>/` in the object-locked
 * bucket, the ledger entry its build stored counted in the ledger from now on, its release time
 * fixed. No market user sees it before `releaseAt`; every market user sees it from then.
 */
export async function publishPack(
  deps: PackDeps,
  principal: Principal,
  id: string,
  releaseAt: string,
): Promise<z.infer<typeof packViewSchema>> {
  const now = deps.now();
  const release = new Date(releaseAt);
  const notice = deps.minReleaseNoticeMinutes ?? MIN_RELEASE_NOTICE_MINUTES;
  if (release.getTime() < now.getTime() + notice * 60_000) {
    throw new ValidationError([
      {
        pointer: '/body/releaseAt',
        detail: `must be announced at least ${notice} minutes ahead (after ${new Date(now.getTime() + notice * 60_000).toISOString()})`,
      },
    ]);
  }
  if (release.getTime() > now.getTime() + MAX_RELEASE_NOTICE_DAYS * 86_400_000) {
    throw new ValidationError([
      { pointer: '/body/releaseAt', detail: `can be at most ${MAX_RELEASE_NOTICE_DAYS} days ahead` },
    ]);
  }
  const pack = await findPack(deps, id);
  if (pack.status !== 'approved') {
    throw new ConflictError(`Only an approved pack can be published; this pack is ${pack.status}.`);
  }
  const series = await deps.packs.getSeries(pack.series);
  if ((series?.publishedVersion ?? 0) !== pack.version - 1) {
    throw new ConflictError(
      `Version ${series?.publishedVersion ?? 0} of this series is already published since this pack was built: build it again.`,
    );
  }
  if (series && series.policyVersion !== pack.policyVersion) {
    throw new ConflictError(
      `This series is published under disclosure policy version ${series.policyVersion}; the pack was built under ${pack.policyVersion}.`,
    );
  }
  const json = await deps.packFiles.readDraft(id, 'json');
  if (!json || sha256Hex(json) !== pack.sha256) {
    throw new ConflictError('The draft no longer matches its content hash: build it again.');
  }
  for (const format of PACK_FORMATS) await deps.packFiles.copyToPublished(id, pack.version, format);
  const publishedAt = now.toISOString();
  const normalisedRelease = release.toISOString();
  await deps.packs.publish(
    pack,
    { publisher: principal.actor, publishedAt, releaseAt: normalisedRelease },
    event(deps, principal.actor, 'learning-pack.publish', id),
  );
  return {
    ...pack,
    status: 'published',
    publisher: principal.actor,
    publishedAt,
    releaseAt: normalisedRelease,
  } as z.infer<typeof packViewSchema>;
}

/** Withdraws a published pack: it stays on record, listed as withdrawn with the reason, and cannot be downloaded. */
export async function withdrawPack(
  deps: PackDeps,
  principal: Principal,
  id: string,
  reason: string,
): Promise<z.infer<typeof packViewSchema>> {
  const pack = await findPack(deps, id);
  if (pack.status !== 'published') {
    throw new ConflictError(`Only a published pack can be withdrawn; this pack is ${pack.status}.`);
  }
  const withdrawn = { by: principal.actor, at: deps.now().toISOString(), reason };
  await deps.packs.withdraw(id, withdrawn, event(deps, principal.actor, 'learning-pack.withdraw', id));
  return { ...pack, status: 'withdrawn', withdrawn } as z.infer<typeof packViewSchema>;
}

/** Whether the caller may see a published pack now: evaluators at once, everyone else from its release. */
function visibleTo(pack: PackRecord, principal: Principal, now: Date): boolean {
  if (pack.status !== 'published' && pack.status !== 'withdrawn') return false;
  if (principal.roles.includes('evaluator')) return true;
  return pack.releaseAt !== undefined && Date.parse(pack.releaseAt) <= now.getTime();
}

function asPublished(pack: PackRecord): z.infer<typeof publishedPackSchema> {
  return {
    id: pack.id,
    title: pack.title,
    period: pack.period,
    sites: [...pack.sites],
    series: pack.series,
    version: pack.version,
    ...(pack.changes === undefined ? {} : { changes: pack.changes }),
    publishedAt: pack.releaseAt ?? '',
    sha256: pack.sha256 ?? '',
    files: pack.files as z.infer<typeof filesSchema>,
    ...(pack.withdrawn ? { withdrawn: { at: pack.withdrawn.at, reason: pack.withdrawn.reason } } : {}),
  };
}

/** Published packs the caller may see now, newest release first; the clock is read on every request. */
export async function listPublished(
  deps: PackDeps,
  principal: Principal,
): Promise<z.infer<typeof publishedPackListSchema>> {
  const now = deps.now();
  const packs = (await deps.packs.listPacks())
    .filter((pack) => visibleTo(pack, principal, now))
    .sort((a, b) => (b.releaseAt ?? '').localeCompare(a.releaseAt ?? '') || a.id.localeCompare(b.id))
    .map(asPublished);
  return { packs };
}

/** A short-lived link to one published file, with the download audited (who, as a pseudonym; what). */
export async function downloadPublished(
  deps: PackDeps,
  principal: Principal,
  id: string,
  format: PackFormat,
): Promise<z.infer<typeof downloadLinkSchema>> {
  const pack = await deps.packs.getPack(id);
  // Before its release a pack does not exist for the market: the same answer as an unknown id.
  if (!pack || !visibleTo(pack, principal, deps.now()))
    throw new NotFoundError('There is no such published pack.');
  if (pack.status === 'withdrawn') {
    throw new ConflictError(`This pack was withdrawn: ${pack.withdrawn?.reason ?? 'no reason recorded'}.`);
  }
  const file = pack.files?.[format];
  if (!file) throw new NotFoundError('There is no such file.');
  const url = await deps.packFiles.presignPublished(id, pack.version, format, DOWNLOAD_URL_SECONDS);
  await deps.packs.recordEvent({
    ...event(deps, principal.actor, `learning-pack.download.${format}`, id),
  });
  return { url, expiresInSeconds: DOWNLOAD_URL_SECONDS, sha256: file.sha256 };
}

/** Newest first, so the pack just asked for is at the top. */
export async function listPacks(deps: PackDeps): Promise<z.infer<typeof packListSchema>> {
  const now = deps.now();
  const packs = (await deps.packs.listPacks()).map((pack) => asSeen(pack, now));
  packs.sort((a, b) => b.requestedAt.localeCompare(a.requestedAt) || a.id.localeCompare(b.id));
  return { packs } as z.infer<typeof packListSchema>;
}
