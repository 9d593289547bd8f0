import { createHash } from 'node:crypto';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import * as z from 'zod';
import type { StagedRecord } from '../../shared/adapters/import-visibility';
import { ValidationError } from '../../shared/domain/errors';
import { countMetric, METRIC_NAMES } from '../../shared/http/metrics';
import { engagementReturnItem } from '../engagement/engagement-store';
import { interviewPuts } from '../findings/interview-store';
import {
  type ImportFiles,
  type ImportJob,
  type ImportJobStore,
  type ImportLauncher,
  importFileKey,
} from '../imports/import-jobs';
import { type ImportDeps, type ImportWrite, planImport, readCsv, refusalOf } from '../imports/imports';
import { StagedConflictError, type StagedImportWriter } from '../imports/staged-writer';
import type { ParticipantWrite } from '../participants/participants';

/** The worker's budget in AWS (the CDK sets the function's timeout from it): Lambda's longest run. */
export const IMPORT_WORKER_LIMITS = { memoryMb: 2048, timeoutSeconds: 900 } as const;
/** Kept back from the deadline to record the outcome and hand the cleaning up to a fresh run. */
const RESERVE_MS = 20_000;
/** Progress is written to the job at most this often. */
const PROGRESS_EVERY_MS = 1000;

/** Started by `POST /imports` (or the first look after an upload) with `{ importId }`. */
const workerEventSchema = z.object({ importId: z.uuid() }).strict();

export interface WorkerDeps extends Omit<ImportDeps, 'now' | 'newId'> {
  readonly jobs: ImportJobStore;
  readonly importFiles: ImportFiles;
  readonly importLauncher: ImportLauncher;
  readonly staged: StagedImportWriter;
  readonly capital: ImportDeps['capital'] & { stagedRecords(write: ParticipantWrite): StagedRecord[] };
  readonly recordsTable: string;
  readonly now: () => Date;
}

export type WorkerOutcome = { readonly importId: string; readonly state: ImportJob['state'] | 'missing' };

class OutOfTimeError extends Error {
  override readonly name = 'OutOfTimeError';
}

/**
 * The import worker, invoked asynchronously with `{ importId }`. It reads the job's file as a
 * stream, validates every row, and either refuses the file (the row report on the job) or stages
 * every record as pending, paced per partition key, and commits them with one conditional write of
 * the job (with the audit event). Safe to run twice: ids are derived from the job's id and the
 * file's order and the time from the job's creation, so a second run plans the same records under
 * the same keys, writes them again unchanged, and the commit is taken once. A job that fails or is
 * cancelled has its pending records deleted (by this run, or a fresh one started for it); until
 * then readers ignore them.
 */
export function importWorker(deps: WorkerDeps) {
  return async (
    event: unknown,
    context: Pick<Context, 'getRemainingTimeInMillis'>,
    signal?: AbortSignal,
  ): Promise<WorkerOutcome> => {
    const { importId: id } = workerEventSchema.parse(event);
    const job = await deps.jobs.get(id);
    if (!job) return { importId: id, state: 'missing' };
    const deadlineAt = Date.now() + context.getRemainingTimeInMillis() - RESERVE_MS;
    switch (job.state) {
      case 'queued':
      case 'validating':
      case 'writing':
        return run(deps, job, deadlineAt, signal);
      case 'failed':
      case 'cancelled':
        if (job.staged === true) await rollBack(deps, job, signal);
        return { importId: id, state: job.state };
      default:
        return { importId: id, state: job.state };
    }
  };
}

async function run(
  deps: WorkerDeps,
  job: ImportJob,
  deadlineAt: number,
  signal: AbortSignal | undefined,
): Promise<WorkerOutcome> {
  const id = job.id;
  const outcome = async (): Promise<WorkerOutcome> => ({
    importId: id,
    state: (await deps.jobs.get(id))?.state ?? 'missing',
  });
  if (job.state === 'queued' && !(await deps.jobs.transition(id, ['queued'], 'validating'))) return outcome();
  const plan = await planJob(deps, job);
  if ('refusal' in plan) {
    await deps.jobs.transition(id, ['validating', 'writing'], 'refused', plan.refusal);
    return outcome();
  }
  const { records, rows, redacted } = plan;
  const writing = await deps.jobs.transition(id, ['validating', 'writing'], 'writing', {
    rows,
    validated: rows,
    toWrite: records.length,
    staged: true,
    redacted,
  });
  if (!writing) return outcome();
  let reported = Date.now();
  try {
    const finished = await deps.staged.stage(id, records, {
      ...(signal ? { signal } : {}),
      progress: async (written) => {
        if (Date.now() > deadlineAt) throw new OutOfTimeError();
        if (Date.now() - reported < PROGRESS_EVERY_MS) return true;
        reported = Date.now();
        // False once the job is no longer writing: it was cancelled.
        return deps.jobs.update(id, 'writing', { written });
      },
    });
    if (finished) {
      const committed = await deps.jobs.commit(
        id,
        { written: records.length, staged: false },
        {
          id: derivedId(id, 'audit'),
          at: deps.now().toISOString(),
          actor: job.actor,
          action: `import.${job.stream}`,
          subjectType: 'import',
          subjectId: id,
        },
      );
      if (committed) {
        await deps.staged.cleanUp(records, signal);
        return await outcome();
      }
    }
  } catch (error) {
    // Aborted (the run is being stopped from outside): leave everything to the next run.
    if (signal?.aborted) throw error;
    const detail =
      error instanceof OutOfTimeError
        ? 'The import ran out of time; nothing was imported. Send the file again in smaller parts.'
        : error instanceof StagedConflictError
          ? 'A check was recorded for someone in the file while it was being imported; nothing was imported. ' +
            'Send the file again: it will be checked against what is stored now.'
          : 'The import could not be written; nothing was imported. Send the file again later.';
    await deps.jobs.transition(id, ['writing'], 'failed', { detail });
    if (error instanceof OutOfTimeError) {
      // A fresh run deletes what was staged, with a full budget of its own.
      await deps.importLauncher.start(id);
      return outcome();
    }
    await rollBack(deps, { ...job, state: 'failed' }, signal, records);
    // A conflict is an outcome, not a fault: there is nothing for Lambda to try again.
    if (error instanceof StagedConflictError) return outcome();
    throw error;
  }
  // Cancelled while writing (or another run of the job got there first, and then there is nothing to undo).
  const now = await deps.jobs.get(id);
  if (now?.state === 'cancelled' || now?.state === 'failed') await rollBack(deps, now, signal, records);
  return outcome();
}

/** What a job Lambda gave up on says, for the person who sent the file. */
export const ABANDONED_DETAIL =
  'The import stopped and could not be started again; nothing was imported. Send the file again.';

/**
 * One message of the worker's on-failure queue: what Lambda sends there once it has given up on an
 * event (after two retries), the event itself under `requestPayload`.
 */
const failureMessageSchema = z.looseObject({ requestPayload: workerEventSchema });

/**
 * Reads the on-failure queue: each message names a job whose worker Lambda gave up on (a crash, a
 * run out of memory, a timeout the worker could not catch), which would otherwise show `writing`
 * for ever. The job is marked failed, unless it had already ended, and what it staged is deleted. A
 * message that cannot be handled now is left on the queue (a batch item failure) to come back; one
 * that does not name a job is dropped, as there is nothing to do for it.
 */
export function failedImportsReader(deps: WorkerDeps) {
  return async (event: SQSEvent, signal?: AbortSignal): Promise<SQSBatchResponse> => {
    const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
    for (const message of event.Records) {
      let body: unknown;
      try {
        body = JSON.parse(message.body);
      } catch {
        continue;
      }
      const parsed = failureMessageSchema.safeParse(body);
      if (!parsed.success) continue;
      const id = parsed.data.requestPayload.importId;
      try {
        await deps.jobs.transition(id, ['queued', 'validating', 'writing'], 'failed', {
          detail: ABANDONED_DETAIL,
        });
        const job = await deps.jobs.get(id);
        if ((job?.state === 'failed' || job?.state === 'cancelled') && job.staged === true) {
          await rollBack(deps, job, signal);
        }
      } catch {
        batchItemFailures.push({ itemIdentifier: message.messageId });
      }
    }
    return { batchItemFailures };
  };
}

/** Deletes a job's pending records, then notes there are none. */
async function rollBack(
  deps: WorkerDeps,
  job: ImportJob,
  signal: AbortSignal | undefined,
  known?: readonly StagedRecord[],
): Promise<void> {
  let records = known;
  if (!records) {
    const plan = await planJob(deps, job);
    // The same file and the same visible records give the same plan; a file refused now had nothing staged.
    records = 'records' in plan ? plan.records : [];
  }
  await deps.staged.rollback(job.id, records, signal);
  const state = (await deps.jobs.get(job.id))?.state;
  if (state === 'failed' || state === 'cancelled') {
    if (await deps.jobs.update(job.id, state, { staged: false })) countMetric(METRIC_NAMES.importUndone);
  }
}

type JobPlan =
  | { readonly records: StagedRecord[]; readonly rows: number; readonly redacted: Record<string, number> }
  | {
      readonly refusal: {
        errors: ValidationError['errors'][number][];
        detail: string;
        rows: number;
        validated: number;
      };
    };

/** Reads the job's file and plans it, with ids and time fixed by the job, so every run plans the same. */
async function planJob(deps: WorkerDeps, job: ImportJob): Promise<JobPlan> {
  let counter = 0;
  const planDeps: ImportDeps = {
    ...deps,
    now: () => new Date(job.createdAt),
    newId: () => derivedId(job.id, String(counter++)),
  };
  let table;
  try {
    table = await readCsv(await deps.importFiles.open(importFileKey(job.id)));
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    return { refusal: { ...refusalOf(error.errors, 0), rows: 0, validated: 0 } };
  }
  const planned = await planImport(planDeps, job, table, new Date(job.createdAt));
  const rows = table.rows.length;
  if (planned.problems.length > 0) {
    const refusal = refusalOf(planned.problems, rows);
    const bad = new Set(planned.problems.map((p) => p.pointer.split('/')[3] ?? '')).size;
    return { refusal: { ...refusal, rows, validated: Math.max(0, rows - bad) } };
  }
  return { records: stagedRecordsOf(deps, planned.write), rows, redacted: planned.redacted };
}

function stagedRecordsOf(deps: WorkerDeps, write: ImportWrite): StagedRecord[] {
  switch (write.stream) {
    case 'capital-checks':
      return write.participants.flatMap((participant) => deps.capital.stagedRecords(participant));
    case 'engagement-returns': {
      const replaced = new Map(write.replaced.map((r) => [r.month, engagementReturnItem(r)]));
      return write.returns.map((r) => {
        const before = replaced.get(r.month);
        return { item: engagementReturnItem(r), ...(before ? { before } : {}) };
      });
    }
    case 'interview-findings':
      // The finding and its entry in the site's list, both pending until the job commits.
      return write.interviews.flatMap((i) =>
        interviewPuts(deps.recordsTable, i).map((put) => ({ item: put.Put?.Item ?? {} })),
      );
  }
}

/** A UUID derived from the job's id and a name: the same on every run of the job. */
export function derivedId(jobId: string, name: string): string {
  const hex = createHash('sha256').update(`${jobId}:${name}`).digest('hex');
  const variant = ((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
