import { LambdaClient } from '@aws-sdk/client-lambda';
import * as z from 'zod';
import { s3Client } from '../../shared/adapters/s3';
import { commonWiring } from '../../shared/wiring';
import { DynamoPackStore, LambdaBuildLauncher, S3PackFiles } from './pack-store';
import { DynamoPolicyStore } from './policy-store';

const packConfigSchema = z.object({
  /** Drafts (`drafts/<id>/`), written by the builder and read for previews and publishing. */
  PACKS_BUCKET: z.string().min(1),
  /** Published copies (`published/<id>/v<version>/`), under S3 Object Lock in compliance mode. */
  PUBLISHED_PACKS_BUCKET: z.string().min(1),
  /** The builder's function name, invoked asynchronously (set for the packs function only). */
  PACK_BUILDER_FUNCTION: z.string().min(1).optional(),
  /**
   * The notice a release needs, in minutes (default 15). Never set in AWS; the local stack's
   * end-to-end test sets it to a few seconds so a pack it publishes is released while it waits.
   */
  PACK_MIN_RELEASE_NOTICE_MINUTES: z.coerce.number().min(0).max(1440).optional(),
  /** Only set locally: where the local stack answers Lambda's Invoke API. */
  LAMBDA_ENDPOINT: z.url().optional(),
});

/** Reads the packs' own settings once, at cold start, naming any that is missing. */
export function readPackConfig(env: NodeJS.ProcessEnv = process.env): z.infer<typeof packConfigSchema> {
  const parsed = packConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Configuration is not valid: ${problems.join('; ')}`);
}

/**
 * The composition root of the packs and pack-builder functions: the shared services plus the pack
 * stores, the files in S3 and (for the packs function) the builder launcher. Tests call it too,
 * against the emulators.
 */
export async function packServices(env: NodeJS.ProcessEnv = process.env, role: 'api' | 'builder' = 'api') {
  const base = await commonWiring(env);
  const { config, db, tables } = base;
  const packConfig = readPackConfig(env);
  if (role === 'api' && packConfig.PACK_BUILDER_FUNCTION === undefined) {
    throw new Error('Configuration is not valid: PACK_BUILDER_FUNCTION is not set');
  }
  const s3 = s3Client({ region: config.AWS_REGION, endpoint: config.S3_ENDPOINT });
  const lambda = new LambdaClient({
    region: config.AWS_REGION,
    ...(packConfig.LAMBDA_ENDPOINT ? { endpoint: packConfig.LAMBDA_ENDPOINT } : {}),
  });
  const policies = new DynamoPolicyStore(db, tables);
  return {
    ...base,
    packs: new DynamoPackStore(db, tables),
    packFiles: new S3PackFiles(s3, {
      drafts: packConfig.PACKS_BUCKET,
      published: packConfig.PUBLISHED_PACKS_BUCKET,
    }),
    builds: new LambdaBuildLauncher(lambda, packConfig.PACK_BUILDER_FUNCTION ?? ''),
    policyStore: policies,
    ...(packConfig.PACK_MIN_RELEASE_NOTICE_MINUTES === undefined
      ? {}
      : { minReleaseNoticeMinutes: packConfig.PACK_MIN_RELEASE_NOTICE_MINUTES }),
  };
}

export type PackServices = Awaited<ReturnType<typeof packServices>>;
