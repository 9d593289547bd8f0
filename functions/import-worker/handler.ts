import type { Context } from 'aws-lambda';
import { importsWiring } from '../imports/wiring';
import { importWorker, type WorkerOutcome } from './worker';

const run = importWorker(await importsWiring());

/**
 * The import worker function, invoked asynchronously (`Event`) by the imports function with
 * `{ importId }`. An error thrown from here is retried by Lambda (a run may therefore repeat; the
 * worker is safe to run twice), then sent to the on-failure destination; a refused file is recorded
 * on the job and returns normally.
 */
export const handler = (event: unknown, context: Context): Promise<WorkerOutcome> => run(event, context);
