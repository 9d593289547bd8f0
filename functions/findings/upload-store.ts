import type { S3Client } from '@aws-sdk/client-s3';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type FoundUpload, SCAN_STATUS_TAG, type UploadObject, type UploadStore } from './uploads';

/**
 * Interview attachments in the uploads bucket. The function presigns PUTs, checks an object is there
 * (HEAD), reads only the first bytes of an upload to check its type and its scan tag, and moves it
 * from `incoming/` to `attachments/` (copy, then delete). The bucket's default encryption (the data
 * key) applies to every object, so neither the URL nor the copy needs encryption headers.
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
      return {
        contentType: head.ContentType,
        bytes: head.ContentLength ?? 0,
        ...(head.VersionId ? { versionId: head.VersionId } : {}),
      };
    } catch (error) {
      // Without s3:ListBucket (deliberately not granted) S3 answers a HEAD of a missing key with
      // 403, not 404: both mean nothing the function may see is there.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 404 || status === 403) return undefined;
      throw error;
    }
  }

  async readStart(key: string, bytes: number): Promise<Uint8Array> {
    const object = await this.s3.send(
      new GetObjectCommand({ Bucket: this.bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
    );
    return object.Body ? await object.Body.transformToByteArray() : new Uint8Array();
  }

  async scanStatus(key: string): Promise<string | undefined> {
    const tagging = await this.s3.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: key }));
    return tagging.TagSet?.find((tag) => tag.Key === SCAN_STATUS_TAG)?.Value;
  }

  async copy(from: string, to: string): Promise<{ versionId?: string | undefined }> {
    const copied = await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: to,
        CopySource: `${this.bucket}/${from}`,
        // The copy keeps the upload's tags (the default directive), the scan verdict among them: the
        // bucket policy lets nobody read an object that is not tagged clean.
        TaggingDirective: 'COPY',
      }),
    );
    return copied.VersionId ? { versionId: copied.VersionId } : {};
  }

  async remove(key: string, versionId?: string): Promise<void> {
    await this.s3.send(
      new DeleteObjectCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
      }),
    );
  }
}
