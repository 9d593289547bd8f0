import * as z from 'zod';

const configSchema = z
  .object({
    AWS_REGION: z.string().min(1).default('eu-west-2'),
    RECORDS_TABLE: z.string().min(1),
    IDEMPOTENCY_TABLE: z.string().min(1),
    AUDIT_TABLE: z.string().min(1),
    /** Interview attachments, uploaded by evaluators through presigned URLs. */
    UPLOADS_BUCKET: z.string().min(1),
    /** Only set locally: DynamoDB Local's address. */
    DYNAMODB_ENDPOINT: z.url().optional(),
    /** Only set locally: s3rver's address (path-style addressing is used with it). */
    S3_ENDPOINT: z.url().optional(),
    /** In AWS: the Secrets Manager secret holding the pseudonymisation key. */
    PSEUDONYM_SECRET_ARN: z.string().min(1).optional(),
    /** Locally: a file holding the pseudonymisation key (made by `npm start`). */
    PSEUDONYM_KEY_FILE: z.string().min(1).optional(),
    /**
     * Which malware scan an attachment must have passed: `guardduty` (the default) requires the
     * GuardDuty Malware Protection tag `GuardDutyMalwareScanStatus=NO_THREATS_FOUND`; `none` is only
     * taken together with `S3_ENDPOINT` (the local emulator), so no deploy can skip the scan.
     */
    UPLOAD_SCAN: z.enum(['guardduty', 'none']).default('guardduty'),
  })
  .refine((c) => c.UPLOAD_SCAN === 'guardduty' || c.S3_ENDPOINT !== undefined, {
    path: ['UPLOAD_SCAN'],
    message: 'can only be none with a local S3_ENDPOINT',
  })
  .refine((c) => (c.PSEUDONYM_SECRET_ARN === undefined) !== (c.PSEUDONYM_KEY_FILE === undefined), {
    path: ['PSEUDONYM_SECRET_ARN'],
    message: 'set exactly one of PSEUDONYM_SECRET_ARN (AWS) or PSEUDONYM_KEY_FILE (local)',
  });

export type Config = z.infer<typeof configSchema>;

/**
 * Reads the function's configuration once, at cold start. A broken deploy fails here, naming the
 * variable, rather than at the first request.
 */
export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = configSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const name = issue.path.join('.');
    return env[name] === undefined && issue.code === 'invalid_type'
      ? `${name} is not set`
      : `${name}: ${issue.message}`;
  });
  throw new Error(`Configuration is not valid: ${problems.join('; ')}`);
}
