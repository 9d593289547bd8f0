import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { publishMetrics } from '../../shared/http/metrics';
import { importsWiring } from '../imports/wiring';
import { failedImportsReader, importWorker, type WorkerOutcome } from './worker';

const deps = await importsWiring();
const run = importWorker(deps);
const readFailures = failedImportsReader(deps);

const isQueueEvent = (event: unknown): event is SQSEvent =>
  typeof event === 'object' &&
  event !== null &&
  'Records' in event &&
  Array.isArray(event.Records) &&
  event.Records.every(
    (r: unknown) => typeof r === 'object' && r !== null && 'eventSource' in r && r.eventSource === 'aws:sqs',
  );

/**
 * The import worker function, invoked two ways:
 * - asynchronously (`Event`) by the imports function with `{ importId }`: it runs the job. An error
 *   thrown from here is retried by Lambda (a run may therefore repeat; the worker is safe to run
 *   twice), then sent to the on-failure queue; a refused file is recorded on the job and returns
 *   normally;
 * - by that on-failure queue, with the events Lambda gave up on: each job is marked failed and what
 *   it staged is deleted.
 */
export const handler = async (
  event: unknown,
  context: Context,
): Promise<WorkerOutcome | SQSBatchResponse> => {
  try {
    return await (isQueueEvent(event) ? readFailures(event) : run(event, context));
  } finally {
    // `ImportsUndone`, counted when a job's staged records are deleted.
    publishMetrics();
  }
};
