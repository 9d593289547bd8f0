import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { participantRefCipher } from '../../shared/adapters/participant-refs';
import { s3Client } from '../../shared/adapters/s3';
import type { SiteId } from '../../shared/domain/sites';
import { commonWiring } from '../../shared/wiring';
import { DynamoCodebookStore } from '../findings/codebook-store';
import { DynamoEngagementReturnStore } from '../engagement/engagement-store';
import { DynamoCapitalStore } from '../participants/participant-store';
import { LambdaImportLauncher, S3ImportFiles } from './import-files';
import { DynamoImportJobStore } from './job-store';
import { StagedImportWriter } from './staged-writer';

const importConfigSchema = z.object({
  /** The import worker's function name, invoked asynchronously (set for the imports function). */
  IMPORT_WORKER_FUNCTION: z.string().min(1).optional(),
  /** Only set locally: where the local stack answers Lambda's Invoke API. */
  LAMBDA_ENDPOINT: z.url().optional(),
});

/**
 * The composition root of the imports function and the import worker. An import writes into the
 * streams it imports into, so these are the functions that wire other features' stores.
 */
export async function importsWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  const parsed = importConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new Error(`Configuration is not valid: ${problems.join('; ')}`);
  }
  const { config, db, tables } = common;
  const lambda = new LambdaClient({
    region: config.AWS_REGION,
    ...(parsed.data.LAMBDA_ENDPOINT ? { endpoint: parsed.data.LAMBDA_ENDPOINT } : {}),
  });
  return {
    ...common,
    capital: new DynamoCapitalStore(db, tables),
    codebook: new DynamoCodebookStore(db, tables),
    engagementReturns: new DynamoEngagementReturnStore(db, tables),
    participantRefs: participantRefCipher(common.key),
    /** A participant's keyed pseudonym at a site; pass the reference through `canonicalParticipantRef`. */
    pseudonymiseParticipant: (site: SiteId, ref: string) => common.pseudonym('participant', `${site}:${ref}`),
    jobs: new DynamoImportJobStore(db, tables, common.now),
    importFiles: new S3ImportFiles(
      s3Client({ region: config.AWS_REGION, endpoint: config.S3_ENDPOINT }),
      config.UPLOADS_BUCKET,
    ),
    importLauncher: new LambdaImportLauncher(lambda, parsed.data.IMPORT_WORKER_FUNCTION ?? ''),
    staged: new StagedImportWriter(db, tables.records),
    recordsTable: tables.records,
  };
}
