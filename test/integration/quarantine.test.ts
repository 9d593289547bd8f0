import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { quarantineMover } from '../../functions/quarantine/quarantine';
import { s3Client } from '../../shared/adapters/s3';
import { useTestEnvironment } from '../support/environment';

const environment = await useTestEnvironment();
const bucket = environment.env.UPLOADS_BUCKET ?? '';
const s3 = s3Client({ region: 'eu-west-2', endpoint: environment.env.S3_ENDPOINT });
const move = quarantineMover(s3, bucket);

/** The event GuardDuty Malware Protection for S3 sends to EventBridge when a scan ends. */
const scanResult = (objectKey: string, scanResultStatus: string, bucketName = bucket) => ({
  version: '0',
  source: 'aws.guardduty',
  'detail-type': 'GuardDuty Malware Protection Object Scan Result',
  detail: {
    schemaVersion: '1.0',
    scanStatus: 'COMPLETED',
    resourceType: 'S3_OBJECT',
    s3ObjectDetails: { bucketName, objectKey, eTag: 'x', s3Throttled: false },
    scanResultDetails: { scanResultStatus, threats: null },
  },
});

async function upload(key: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*',
      Tagging: 'GuardDutyMalwareScanStatus=THREATS_FOUND',
    }),
  );
}

const exists = (key: string) =>
  s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key })).then(
    () => true,
    () => false,
  );

describe('moving uploads found malicious into quarantine', () => {
  it('moves a malicious upload out of incoming/ into quarantine/', async () => {
    const key = `incoming/london/${randomUUID()}`;
    await upload(key);

    expect(await move(scanResult(key, 'THREATS_FOUND'))).toEqual({ outcome: 'moved' });

    const quarantined = key.replace('incoming/', 'quarantine/');
    expect(await exists(key)).toBe(false);
    expect(await exists(quarantined)).toBe(true);
  });

  it('does nothing more when the same event comes again', async () => {
    const key = `incoming/north-east/${randomUUID()}`;
    await upload(key);
    await move(scanResult(key, 'THREATS_FOUND'));

    expect(await move(scanResult(key, 'THREATS_FOUND'))).toEqual({ outcome: 'already-gone' });
    expect(await exists(key.replace('incoming/', 'quarantine/'))).toBe(true);
  });

  it.each([
    ['a clean object', 'NO_THREATS_FOUND', bucket, 'incoming/', 'not-malicious'],
    ['an object of another bucket', 'THREATS_FOUND', 'someone-elses', 'incoming/', 'other-bucket'],
    ['an object outside incoming/', 'THREATS_FOUND', bucket, 'attachments/', 'not-an-upload'],
  ])('leaves %s where it is', async (_, status, bucketName, prefix, why) => {
    const key = `${prefix}london/${randomUUID()}`;
    await upload(key);

    expect(await move(scanResult(key, status, bucketName))).toEqual({ outcome: 'ignored', why });
    expect(await exists(key)).toBe(true);
  });

  it('ignores an event that is not a scan result', async () => {
    expect(await move({ source: 'aws.s3', detail: {} })).toEqual({
      outcome: 'ignored',
      why: 'not-a-scan-result',
    });
  });
});
