import * as z from 'zod';
import type { AuditEvent } from '../../shared/domain/audit';
import { type FieldProblem, NotFoundError, ConflictError } from '../../shared/domain/errors';
import { authorise, type Principal } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import { seesParticipantRecords } from '../participants/participants';
import {
  IMPORT_MAX_BODY_BYTES,
  IMPORT_STREAMS,
  type ImportStream,
  MAX_IMPORT_ROWS,
  MAX_INTERVIEW_IMPORT_ROWS,
  MAX_LISTED_PROBLEMS,
  STREAM_ROLES,
} from './imports';

/**
 * A bulk import runs as a job: `POST /imports` records it and answers 202; the import worker
 * function reads the file, validates every row, stages the records as pending and commits them all
 * at once, or refuses the file with its row report. States, in order:
 * - `awaiting-upload`: the file is to be PUT to the presigned URL; the first `GET` after it lands
 *   queues the job;
 * - `queued`, `validating`, `writing`: the worker's steps (`written` counts staged records);
 * - `committed`: every record is visible; `refused`: a row (or the file) has problems, listed in
 *   `errors`, nothing was written; `failed`: the worker could not finish, nothing is visible;
 *   `cancelled`: stopped on request, nothing is visible.
 */
export const IMPORT_JOB_STATES = [
  'awaiting-upload',
  'queued',
  'validating',
  'writing',
  'committed',
  'refused',
  'failed',
  'cancelled',
] as const;
export type ImportJobState = (typeof IMPORT_JOB_STATES)[number];

/** States a job can be cancelled in: it has not committed, been refused or failed. */
export const CANCELLABLE: readonly ImportJobState[] = ['awaiting-upload', 'queued', 'validating', 'writing'];

/** How long the presigned upload URL of a job lasts. */
export const UPLOAD_URL_SECONDS = 15 * 60;

/** Where a job's file is kept in the uploads bucket: under the job's id. */
export const importFileKey = (id: string) => `imports/${id}/file.csv`;

export const importBodySchema = z
  .object({
    stream: z.enum(IMPORT_STREAMS),
    site: z.enum(SITE_IDS).meta({ description: 'Every row is for this site; providers import their own.' }),
    csv: z
      .string()
      .min(1)
      .max(IMPORT_MAX_BODY_BYTES)
      .optional()
      .meta({
        description:
          'A small file sent inline (at most 5 MB). Without it the answer carries a presigned PUT URL for the file. ' +
          'UTF-8 CSV with a header row. Columns are the fields of the stream, nested ones with dots ' +
          '(e.g. `strengths.housing`, `sessions.booked`); yes/no for true/false; lists separated by `;`. ' +
          `At most ${MAX_IMPORT_ROWS} rows (${MAX_INTERVIEW_IMPORT_ROWS} of interview findings). ` +
          'Problems point at /body/csv/<line>/<column>, line 1 being the header.',
      }),
  })
  .strict()
  .meta({ id: 'Import' });

export type ImportBody = z.infer<typeof importBodySchema>;

export const importParamsSchema = z.object({ id: z.uuid() }).strict();

const fieldProblemSchema = z.object({ pointer: z.string().max(2000), detail: z.string().max(2000) }).strict();

export const importJobViewSchema = z
  .object({
    id: z.uuid().meta({ description: "The job's id; every record the import writes carries it." }),
    stream: z.enum(IMPORT_STREAMS),
    site: z.enum(SITE_IDS),
    state: z.enum(IMPORT_JOB_STATES),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
    rows: z.int().min(0).max(MAX_IMPORT_ROWS).optional().meta({ description: 'Data rows in the file.' }),
    validated: z.int().min(0).max(MAX_IMPORT_ROWS).meta({ description: 'Rows that passed every check.' }),
    toWrite: z.int().min(0).optional().meta({ description: 'Records the valid file writes.' }),
    written: z.int().min(0).meta({ description: 'Records written so far (pending until the job commits).' }),
    errors: z
      .array(fieldProblemSchema)
      .max(MAX_LISTED_PROBLEMS)
      .optional()
      .meta({ description: 'When refused: every bad row and column, as /body/csv/<line>/<column>.' }),
    detail: z.string().max(2000).optional(),
    redacted: z.record(z.string().max(40), z.int()).optional(),
    upload: z
      .object({
        url: z.url().max(4000),
        method: z.literal('PUT'),
        headers: z.object({ 'content-type': z.literal('text/csv') }).strict(),
        expiresAt: z.iso.datetime(),
      })
      .strict()
      .optional()
      .meta({ description: 'Where to PUT the file, when it was not sent inline.' }),
  })
  .strict()
  .meta({ id: 'ImportJob' });

export type ImportJobView = z.infer<typeof importJobViewSchema>;

/** An import job as stored. */
export interface ImportJob {
  readonly id: string;
  readonly stream: ImportStream;
  readonly site: SiteId;
  /** Who started it (pseudonym): they and evaluators may follow and cancel it. */
  readonly actor: string;
  /** Whether the starter sees participant records of the site (decides how a check that does not fit is reported). */
  readonly disclose: boolean;
  readonly state: ImportJobState;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly rows?: number;
  readonly validated: number;
  readonly toWrite?: number;
  readonly written: number;
  readonly errors?: readonly FieldProblem[];
  readonly detail?: string;
  readonly redacted?: Readonly<Record<string, number>>;
  /** Pending records may exist (staging started) and must be deleted if the job does not commit. */
  readonly staged?: boolean;
}

export type JobFields = Partial<
  Pick<ImportJob, 'rows' | 'validated' | 'toWrite' | 'written' | 'errors' | 'detail' | 'redacted' | 'staged'>
>;

/** The job's item in the records table; transitions are conditional on the state they leave. */
export interface ImportJobStore {
  create(job: ImportJob): Promise<void>;
  get(id: string): Promise<ImportJob | undefined>;
  /** Moves the job from one of `from` to `to`, setting `fields`; false when it was in no state of `from`. */
  transition(
    id: string,
    from: readonly ImportJobState[],
    to: ImportJobState,
    fields?: JobFields,
  ): Promise<boolean>;
  /** Sets `fields` while the job is in `state`; false when it is not (cancelled meanwhile). */
  update(id: string, state: ImportJobState, fields: JobFields): Promise<boolean>;
  /** `writing` to `committed` with the import's audit event, in one transaction; false when not writing. */
  commit(id: string, fields: JobFields, audit: AuditEvent): Promise<boolean>;
}

/** The job's file in the private uploads bucket. */
export interface ImportFiles {
  put(key: string, csv: string): Promise<void>;
  presignPut(key: string, expiresInSeconds: number): Promise<string>;
  exists(key: string): Promise<boolean>;
  /** The file as a stream of bytes. */
  open(key: string): Promise<AsyncIterable<Uint8Array>>;
}

/** Starts the import worker for a job, asynchronously. */
export interface ImportLauncher {
  start(id: string): Promise<void>;
}

export interface ImportJobDeps {
  readonly jobs: ImportJobStore;
  readonly importFiles: ImportFiles;
  readonly importLauncher: ImportLauncher;
  readonly now: () => Date;
  readonly newId: () => string;
}

/**
 * Starts an import job of one stream for one site. With the file inline it is stored under the
 * job's id and the worker starts at once; without, the answer carries a presigned PUT for it.
 */
export async function startImport(
  deps: ImportJobDeps,
  principal: Principal,
  body: ImportBody,
): Promise<ImportJobView> {
  // The route lets evaluators and providers in; the stream and the site in the body decide the rest.
  authorise(principal, STREAM_ROLES[body.stream], body.site, {
    role: `Only ${STREAM_ROLES[body.stream].join(' or ')} staff can import ${body.stream}.`,
    site: 'Your account can only import for its own site.',
  });
  const id = deps.newId();
  const now = deps.now();
  const job: ImportJob = {
    id,
    stream: body.stream,
    site: body.site,
    actor: principal.actor,
    disclose: seesParticipantRecords(principal, body.site),
    state: body.csv === undefined ? 'awaiting-upload' : 'queued',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    validated: 0,
    written: 0,
  };
  if (body.csv === undefined) {
    await deps.jobs.create(job);
    const url = await deps.importFiles.presignPut(importFileKey(id), UPLOAD_URL_SECONDS);
    return {
      ...viewOf(job),
      upload: {
        url,
        method: 'PUT',
        headers: { 'content-type': 'text/csv' },
        expiresAt: new Date(now.getTime() + UPLOAD_URL_SECONDS * 1000).toISOString(),
      },
    };
  }
  await deps.importFiles.put(importFileKey(id), body.csv);
  await deps.jobs.create(job);
  await deps.importLauncher.start(id);
  return viewOf(job);
}

/**
 * A job's state and progress, for whoever started it and evaluators (anyone else is told there is
 * no such job). A job awaiting its upload is queued by the first look after the file has landed.
 */
export async function getImport(
  deps: ImportJobDeps,
  principal: Principal,
  id: string,
): Promise<ImportJobView> {
  const job = await visibleJob(deps, principal, id);
  if (job.state === 'awaiting-upload' && (await deps.importFiles.exists(importFileKey(id)))) {
    // Conditional: of two looks at once, one queues the job and starts the worker.
    if (await deps.jobs.transition(id, ['awaiting-upload'], 'queued')) await deps.importLauncher.start(id);
    return viewOf((await deps.jobs.get(id)) ?? job);
  }
  return viewOf(job);
}

/**
 * Cancels a job that has not finished: nothing of it becomes visible. A running worker notices at
 * its next batch and deletes what it staged; the worker is also started once more, so pending
 * records are deleted even if the run that wrote them was lost. A finished job answers 409.
 */
export async function cancelImport(
  deps: ImportJobDeps,
  principal: Principal,
  id: string,
): Promise<ImportJobView> {
  const job = await visibleJob(deps, principal, id);
  if (!(await deps.jobs.transition(id, CANCELLABLE, 'cancelled', { detail: 'Cancelled on request.' }))) {
    throw new ConflictError(
      `The import is ${(await deps.jobs.get(id))?.state ?? job.state} and can no longer be cancelled.`,
    );
  }
  const cancelled = (await deps.jobs.get(id)) ?? job;
  if (cancelled.staged === true || job.state !== 'awaiting-upload') await deps.importLauncher.start(id);
  return viewOf(cancelled);
}

async function visibleJob(deps: ImportJobDeps, principal: Principal, id: string): Promise<ImportJob> {
  const job = await deps.jobs.get(id);
  if (!job || (job.actor !== principal.actor && !principal.roles.includes('evaluator'))) {
    throw new NotFoundError('There is no import with that id that you can see.');
  }
  return job;
}

export function viewOf(job: ImportJob): ImportJobView {
  return {
    id: job.id,
    stream: job.stream,
    site: job.site,
    state: job.state,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    validated: job.validated,
    written: job.written,
    ...(job.rows === undefined ? {} : { rows: job.rows }),
    ...(job.toWrite === undefined ? {} : { toWrite: job.toWrite }),
    ...(job.errors === undefined ? {} : { errors: [...job.errors] }),
    ...(job.detail === undefined ? {} : { detail: job.detail }),
    ...(job.redacted === undefined ? {} : { redacted: { ...job.redacted } }),
  };
}
