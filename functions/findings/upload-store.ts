import { HeadObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { FoundUpload, UploadObject, UploadStore } from './uploads';

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

/**
 * Interview attachments in the uploads bucket. The function only presigns PUTs and checks that an
 * object is there (HEAD); it never reads an attachment's content. The bucket's default encryption
 * (the data key) applies to every object, so the URL needs no encryption headers.
 */
export class S3UploadStore implements UploadStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  presignPut(object: UploadObject, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: object.key,
        ContentType: object.contentType,
        ContentLength: object.bytes,
      }),
      {
        expiresIn: expiresInSeconds,
        // Signed, so S3 refuses a file of another type or size than the one asked for. The
        // presigner leaves content-type unsigned unless told otherwise.
        signableHeaders: new Set(['content-type', 'content-length']),
      },
    );
  }

  async find(key: string): Promise<FoundUpload | undefined> {
    try {
      const head = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return { contentType: head.ContentType, bytes: head.ContentLength ?? 0 };
    } catch (error) {
      // Without s3:ListBucket (deliberately not granted) S3 answers a HEAD of a missing key with
      // 403, not 404: both mean nothing the function may see is there.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 404 || status === 403) return undefined;
      throw error;
    }
  }
}
