import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/resources';
import { MAX_UPLOAD_BYTES } from '../../functions/findings/uploads';
import { client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';
import { counts, EVALUATOR } from '../support/findings';

const api = await startTestApi();
const http = client(api);
const s3 = new S3Client({
  endpoint: api.env.S3_ENDPOINT,
  region: LOCAL_REGION,
  credentials: LOCAL_CREDENTIALS,
  forcePathStyle: true,
});
afterAll(async () => {
  s3.destroy();
  await api.stop();
});

interface Ticket {
  uploadId: string;
  url: string;
  method: string;
  headers: Record<string, string>;
  expiresAt: string;
}

const requestUpload = (body: unknown) => http.request('POST', '/uploads', { as: EVALUATOR, body });
const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((e) => e.pointer);

describe('POST /uploads', () => {
  it('answers 201 with a presigned PUT for that type and size, and the headers to send', async () => {
    const before = Date.now();

    const answer = await requestUpload({ contentType: 'application/pdf', bytes: 2048, site: 'london' });

    expect(answer.status).toBe(201);
    const ticket = answer.body as unknown as Ticket;
    expect(ticket).toMatchObject({
      uploadId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      method: 'PUT',
      headers: { 'content-type': 'application/pdf', 'content-length': '2048' },
    });
    const expiresIn = Date.parse(ticket.expiresAt) - before;
    expect(expiresIn).toBeGreaterThan(290_000);
    expect(expiresIn).toBeLessThanOrEqual(302_000);
  });

  it('signs a URL that lasts five minutes and covers the content type and length', async () => {
    const answer = await requestUpload({ contentType: 'text/plain', bytes: 10, site: 'north-east' });

    const ticket = answer.body as unknown as Ticket;
    const url = new URL(ticket.url);
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('X-Amz-SignedHeaders')?.split(';')).toEqual(
      expect.arrayContaining(['content-length', 'content-type', 'host']),
    );
    // No checksum of an empty body baked in: S3 would refuse the real file against it.
    expect(url.searchParams.has('x-amz-checksum-crc32')).toBe(false);
  });

  it('puts the object under the site and a generated id, never a name from the user', async () => {
    const answer = await requestUpload({ contentType: 'text/plain', bytes: 10, site: 'yorkshire-humber' });

    const ticket = answer.body as unknown as Ticket;
    expect(new URL(ticket.url).pathname).toBe(
      `/${api.env.UPLOADS_BUCKET}/incoming/yorkshire-humber/${ticket.uploadId}`,
    );
  });

  it('lets the file be uploaded through the URL with the headers it was given', async () => {
    const content = Buffer.from('Interview notes, redacted by hand.\n');
    const ticket = (
      await requestUpload({ contentType: 'text/plain', bytes: content.byteLength, site: 'london' })
    ).body as unknown as Ticket;

    // fetch sets content-length from the body itself.
    const put = await fetch(ticket.url, {
      method: ticket.method,
      headers: { 'content-type': ticket.headers['content-type'] ?? '' },
      body: content,
    });

    expect(put.status).toBe(200);
    const head = await s3.send(
      new HeadObjectCommand({ Bucket: api.env.UPLOADS_BUCKET, Key: `incoming/london/${ticket.uploadId}` }),
    );
    expect(head.ContentLength).toBe(content.byteLength);
  });

  it('writes an upload.create audit event naming the upload by id', async () => {
    const before = await counts(api);

    const answer = await requestUpload({ contentType: 'text/plain', bytes: 10, site: 'london' });

    const events = await api.scan('AUDIT_TABLE');
    expect(events).toHaveLength(before.audit + 1);
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'upload.create',
        subjectType: 'upload',
        subjectId: answer.body.uploadId,
      }),
    );
  });

  it.each([
    [
      'a type outside the allowlist',
      { contentType: 'image/svg+xml', bytes: 10, site: 'london' },
      '/body/contentType',
    ],
    ['an empty file', { contentType: 'text/plain', bytes: 0, site: 'london' }, '/body/bytes'],
    [
      'a file over the limit',
      { contentType: 'text/plain', bytes: MAX_UPLOAD_BYTES + 1, site: 'london' },
      '/body/bytes',
    ],
    ['a fractional size', { contentType: 'text/plain', bytes: 1.5, site: 'london' }, '/body/bytes'],
    ['an unknown site', { contentType: 'text/plain', bytes: 10, site: 'leeds' }, '/body/site'],
    [
      'a file name',
      { contentType: 'text/plain', bytes: 10, site: 'london', fileName: 'jo-bloggs.txt' },
      '/body/fileName',
    ],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, body, pointer) => {
    const before = await counts(api);

    const answer = await requestUpload(body);

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toContain(pointer);
    expect(await counts(api)).toEqual(before);
  });

  it('answers 423 while the programme is paused, writing nothing', async () => {
    const before = await counts(api);

    const answer = await whilePaused(api, () =>
      requestUpload({ contentType: 'text/plain', bytes: 10, site: 'london' }),
    );

    expect(answer.status).toBe(423);
    expect(await counts(api)).toEqual(before);
  });
});
