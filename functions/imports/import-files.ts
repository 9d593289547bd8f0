import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ImportFiles, ImportLauncher } from './import-jobs';

/** Import files in the private uploads bucket, under `imports/<job id>/`. */
export class S3ImportFiles implements ImportFiles {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async put(key: string, csv: string): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: csv, ContentType: 'text/csv' }),
    );
  }

  presignPut(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(
      this.s3,
      new PutObjectCommand({ Bucket: this.bucket, Key: key, ContentType: 'text/csv' }),
      {
        expiresIn: expiresInSeconds,
        signableHeaders: new Set(['content-type']),
      },
    );
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      // Without s3:ListBucket S3 answers a HEAD of a missing key with 403, not 404.
      const status = error instanceof S3ServiceException ? error.$metadata.httpStatusCode : undefined;
      if (status === 404 || status === 403) return false;
      throw error;
    }
  }

  async open(key: string): Promise<AsyncIterable<Uint8Array>> {
    const { Body } = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error('The import file has no body.');
    return Body as AsyncIterable<Uint8Array>;
  }
}

/** Starts the import worker asynchronously (invocation type `Event`): Lambda queues it and answers 202. */
export class LambdaImportLauncher implements ImportLauncher {
  constructor(
    private readonly lambda: LambdaClient,
    private readonly functionName: string,
  ) {}

  async start(id: string): Promise<void> {
    const answer = await this.lambda.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify({ importId: id })),
      }),
    );
    if (answer.StatusCode !== 202)
      throw new Error(`The import worker was not queued (status ${answer.StatusCode ?? '?'})`);
  }
}
