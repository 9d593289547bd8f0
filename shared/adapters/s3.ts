import { S3Client } from '@aws-sdk/client-s3';

/**
 * One S3 client per cold start. Locally (`endpoint` set) s3rver needs path-style addresses.
 *
 * `requestChecksumCalculation: 'WHEN_REQUIRED'`: by default the SDK adds a CRC32 checksum to every
 * PutObject, and when presigning there is no body yet, so the URL would carry the checksum of an
 * empty file (`x-amz-checksum-crc32=AAAAAA==`) and S3 would refuse every real upload with it.
 */
export function s3Client(options: { region: string; endpoint?: string | undefined }): S3Client {
  return new S3Client({
    region: options.region,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
  });
}
