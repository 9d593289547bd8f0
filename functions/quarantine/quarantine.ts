import { CopyObjectCommand, DeleteObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import * as z from 'zod';

/** Where uploads wait for their scan, and where an object found malicious is moved. */
export const SCANNED_PREFIX = 'incoming/';
export const QUARANTINE_PREFIX = 'quarantine/';

/**
 * The part of GuardDuty Malware Protection for S3's "Object Scan Result" event that the move needs.
 * Other fields (the threats' names, the scan's own ids) are not read, and nothing of the event is
 * logged: an object key could in principle carry a client's file name.
 */
export const scanResultSchema = z.object({
  source: z.literal('aws.guardduty'),
  'detail-type': z.literal('GuardDuty Malware Protection Object Scan Result'),
  detail: z.object({
    s3ObjectDetails: z.object({
      bucketName: z.string().min(1).max(63),
      objectKey: z.string().min(1).max(1024),
      versionId: z.string().min(1).max(1024).optional(),
    }),
    scanResultDetails: z.object({ scanResultStatus: z.string().min(1).max(64) }),
  }),
});

export type QuarantineOutcome =
  | { readonly outcome: 'moved' }
  | {
      readonly outcome: 'ignored';
      readonly why: 'not-malicious' | 'other-bucket' | 'not-an-upload' | 'not-a-scan-result';
    }
  | { readonly outcome: 'already-gone' };

/**
 * Moves an upload that GuardDuty found malicious out of `incoming/` into `quarantine/`: a copy (which
 * the bucket policy lets nobody read, as it is not tagged clean), then the delete of the very version
 * that was scanned, so the malicious bytes do not linger as a noncurrent version. A repeated event
 * finds the source gone and does nothing more. No API function may read or write `quarantine/`; an administrator investigates
 * it with the break-glass account, and S3 expires it.
 */
export function quarantineMover(s3: S3Client, uploadsBucket: string) {
  return async (event: unknown): Promise<QuarantineOutcome> => {
    const parsed = scanResultSchema.safeParse(event);
    if (!parsed.success) return { outcome: 'ignored', why: 'not-a-scan-result' };
    const { s3ObjectDetails: object, scanResultDetails } = parsed.data.detail;
    if (scanResultDetails.scanResultStatus !== 'THREATS_FOUND')
      return { outcome: 'ignored', why: 'not-malicious' };
    if (object.bucketName !== uploadsBucket) return { outcome: 'ignored', why: 'other-bucket' };
    if (!object.objectKey.startsWith(SCANNED_PREFIX)) return { outcome: 'ignored', why: 'not-an-upload' };

    const target = QUARANTINE_PREFIX + object.objectKey.slice(SCANNED_PREFIX.length);
    const source = `${uploadsBucket}/${encodeURIComponent(object.objectKey).replace(/%2F/g, '/')}`;
    try {
      await s3.send(
        new CopyObjectCommand({
          Bucket: uploadsBucket,
          Key: target,
          CopySource: object.versionId
            ? `${source}?versionId=${encodeURIComponent(object.versionId)}`
            : source,
          // Not GuardDuty's tag: the bucket's lifecycle deletes objects tagged THREATS_FOUND after a
          // day, and a quarantined copy is kept for the investigation (its prefix expires it later).
          // Untagged-clean, it stays unreadable to everyone but the scanner and this function.
          TaggingDirective: 'REPLACE',
          Tagging: 'Quarantined=THREATS_FOUND',
          MetadataDirective: 'COPY',
        }),
      );
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        return { outcome: 'already-gone' };
      }
      throw error;
    }
    await s3.send(
      new DeleteObjectCommand({
        Bucket: uploadsBucket,
        Key: object.objectKey,
        ...(object.versionId ? { VersionId: object.versionId } : {}),
      }),
    );
    return { outcome: 'moved' };
  };
}
