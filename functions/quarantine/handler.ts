import * as z from 'zod';
import { s3Client } from '../../shared/adapters/s3';
import { type QuarantineOutcome, quarantineMover } from './quarantine';

/** All this function needs: the uploads bucket, and locally the S3 emulator's address. */
const config = z
  .object({
    AWS_REGION: z.string().min(1).default('eu-west-2'),
    UPLOADS_BUCKET: z.string().min(1),
    S3_ENDPOINT: z.url().optional(),
  })
  .parse(process.env);

const move = quarantineMover(
  s3Client({ region: config.AWS_REGION, endpoint: config.S3_ENDPOINT }),
  config.UPLOADS_BUCKET,
);

/**
 * The quarantine function, invoked by an EventBridge rule for each GuardDuty Malware Protection scan
 * result that found a threat in the uploads bucket. An error (S3 unreachable) is retried, then the
 * event goes to the rule's dead-letter queue for an operator.
 */
export const handler = (event: unknown): Promise<QuarantineOutcome> => move(event);
