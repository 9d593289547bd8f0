import { randomUUID } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  HeadObjectCommand,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { S3UploadStore } from '../../functions/findings/upload-store';
import { s3Client } from '../../shared/adapters/s3';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { submitInterview } from '../../functions/findings/interviews';
import type { Principal } from '../../shared/domain/roles';
import { services } from '../../local/services';
import { client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';
import { counts, createTheme, EVALUATOR, interviewBody } from '../support/findings';

const api = await startTestApi();
const http = client(api);
const s3: S3Client = s3Client({ region: api.env.AWS_REGION ?? 'eu-west-2', endpoint: api.env.S3_ENDPOINT });
afterAll(async () => {
  s3.destroy();
  await api.stop();
});
const bucket = api.env.UPLOADS_BUCKET ?? '';

/** Whether the uploads bucket holds an object at `key`. */
async function exists(key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return true;
  } catch (error) {
    if (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404) return false;
    throw error;
  }
}

const theme = await createTheme(http, '4.5');
const submit = (body: unknown, site = 'london') =>
  http.request('POST', `/sites/${site}/interviews`, { as: EVALUATOR, body });
const read = (id: string, site = 'london') =>
  http.request('GET', `/sites/${site}/interviews/${id}`, { as: EVALUATOR });
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((e) => e.pointer);

/** Uploads a file for `site` through a presigned URL (a small text file unless told) and answers its id. */
async function uploadAttachment(
  site: string,
  content = Buffer.from('Focus group notes.\n'),
  contentType = 'text/plain',
): Promise<string> {
  const ticket = (
    await http.request('POST', '/uploads', {
      as: EVALUATOR,
      body: { contentType, bytes: content.byteLength, site },
    })
  ).body as { uploadId: string; url: string };
  const put = await fetch(ticket.url, {
    method: 'PUT',
    headers: { 'content-type': contentType },
    body: content,
  });
  if (put.status !== 200) throw new Error(`The upload failed: ${put.status}`);
  return ticket.uploadId;
}

describe('POST /sites/{site}/interviews', () => {
  it('records the finding and answers 201 with its id, counts and what redaction removed', async () => {
    const answer = await submit(interviewBody(theme));

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
      site: 'london',
      redacted: {},
      findings: 1,
      quotes: { publishable: 1, notPublishable: 1 },
    });
  });

  it('stores it so GET answers the same finding, with no personal details added', async () => {
    const body = interviewBody(theme);
    const { id } = (await submit(body)).body as { id: string };

    const answer = await read(id);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      id,
      site: 'london',
      respondentGroup: body.respondentGroup,
      method: body.method,
      participants: body.participants,
      date: body.date,
      contactAttempts: body.contactAttempts,
      consent: body.consent,
      findings: body.findings,
      redacted: {},
      recordedAt: expect.any(String) as string,
    });
  });

  it('writes an interview.create audit event naming the finding by id, in the same transaction', async () => {
    const before = await counts(api);

    const answer = await submit(interviewBody(theme));

    const events = await api.scan('AUDIT_TABLE');
    // The finding and its entry in the site's list of findings.
    expect(await counts(api)).toEqual({ records: before.records + 2, audit: before.audit + 1 });
    expect(events).toContainEqual(
      expect.objectContaining({
        action: 'interview.create',
        subjectType: 'interview',
        subjectId: answer.body.id,
      }),
    );
  });

  it('redacts every summary and quote, the listed names included, and reports the totals', async () => {
    const body = interviewBody(theme, {
      names: ['Dana Whitfield'],
      findings: [
        {
          area: '4.5',
          theme,
          stance: 'barrier',
          summary: 'Dana Whitfield said referrals stalled; Whitfield asked us to ring 07700 900123.',
          quotes: [{ text: 'Email dana.w@example.org if you need me, Dana.', publishable: false }],
        },
      ],
    });

    const answer = await submit(body);

    expect(answer.status).toBe(201);
    expect(answer.body.redacted).toEqual({ name: 3, phone: 1, email: 1 });
    const stored = JSON.stringify((await read(answer.body.id as string)).body);
    for (const removed of ['Dana', 'Whitfield', '07700 900123', 'example.org']) {
      expect(stored).not.toContain(removed);
    }
    expect(stored).toContain('[name removed]');
  });

  it('never stores the names listed for redaction, anywhere', async () => {
    const body = interviewBody(theme, { names: ['Quillon Marchetti', 'Bexley Arkwright'] });

    const answer = await submit(body);

    expect(answer.status).toBe(201);
    const everything = JSON.stringify([
      ...(await api.scan('RECORDS_TABLE')),
      ...(await api.scan('AUDIT_TABLE')),
      ...(await api.scan('IDEMPOTENCY_TABLE')),
    ]);
    for (const part of ['Quillon', 'Marchetti', 'Bexley', 'Arkwright'])
      expect(everything).not.toContain(part);
  });

  it('accepts an attachment uploaded for the same site, and records its size and type', async () => {
    const uploadId = await uploadAttachment('london');

    const answer = await submit(interviewBody(theme, { attachment: { uploadId } }));

    expect(answer.status).toBe(201);
    expect((await read(answer.body.id as string)).body.attachment).toEqual({
      uploadId,
      contentType: 'text/plain',
      bytes: 19,
      key: `attachments/london/${String(answer.body.id)}`,
    });
  });

  it.each([
    ['nothing was uploaded under the id', () => Promise.resolve(randomUUID())],
    [
      'a URL was issued but nothing uploaded',
      async () => {
        const answer = await http.request('POST', '/uploads', {
          as: EVALUATOR,
          body: { contentType: 'text/plain', bytes: 5, site: 'london' },
        });
        return answer.body.uploadId as string;
      },
    ],
    ['the file belongs to another site', () => uploadAttachment('north-east')],
  ])(
    'refuses an attachment when %s, at /body/attachment/uploadId, writing nothing',
    async (_case, upload) => {
      const uploadId = await upload();
      const before = await counts(api);

      const answer = await submit(interviewBody(theme, { attachment: { uploadId } }));

      expect(answer.status).toBe(400);
      expect(pointers(answer.body)).toEqual(['/body/attachment/uploadId']);
      expect(await counts(api)).toEqual(before);
    },
  );

  it('refuses a theme from another question area, naming the finding', async () => {
    const other = await createTheme(http, '4.6');
    const body = interviewBody(theme);
    const before = await counts(api);

    const answer = await submit({
      ...body,
      findings: [...body.findings, { ...body.findings[0], theme: other }],
    });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/body/findings/1/theme', detail: 'belongs to question area 4.6, not 4.5' },
    ]);
    expect(await counts(api)).toEqual(before);
  });

  it('refuses a theme that is not in the codebook', async () => {
    const answer = await submit(interviewBody(randomUUID()));

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toEqual(['/body/findings/0/theme']);
  });

  it('refuses a date in the future', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const before = await counts(api);

    const answer = await submit(interviewBody(theme, { date: tomorrow }));

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toEqual(['/body/date']);
    expect(await counts(api)).toEqual(before);
  });

  it.each([
    ['consent not recorded', { consent: { recorded: false } }, '/body/consent/recorded'],
    ['consent recorded left out', { consent: { date: '2025-01-10' } }, '/body/consent/recorded'],
    ['no consent at all', { consent: undefined }, '/body/consent'],
    ['a date before early testing', { date: '2023-12-31' }, '/body/date'],
    ['a date that is not a date', { date: '2025-02-30' }, '/body/date'],
    ['no participants', { participants: 0 }, '/body/participants'],
    ['an unknown respondent group', { respondentGroup: 'journalist' }, '/body/respondentGroup'],
    ['demographics', { ages: [23, 31] }, '/body/ages'],
    ['no findings', { findings: [] }, '/body/findings'],
    ['too many names', { names: Array.from({ length: 21 }, (_, i) => `Name ${i}`) }, '/body/names'],
    ['a one-letter name', { names: ['J'] }, '/body/names/0'],
    [
      'an attachment id that is not an id',
      { attachment: { uploadId: '../secret' } },
      '/body/attachment/uploadId',
    ],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, overrides, pointer) => {
    const before = await counts(api);

    const answer = await submit(interviewBody(theme, overrides));

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(pointers(answer.body)).toContain(pointer);
    expect(await counts(api)).toEqual(before);
  });

  it.each([
    ['an extra field', { gender: 'female' }, '/body/findings/0/gender'],
    ['an outcome twice', { outcomes: ['i', 'i'] }, '/body/findings/0/outcomes'],
    ['an unknown outcome', { outcomes: ['k'] }, '/body/findings/0/outcomes/0'],
    ['an unknown stance', { stance: 'mixed' }, '/body/findings/0/stance'],
    ['an over-long summary', { summary: 'x'.repeat(1001) }, '/body/findings/0/summary'],
    [
      'an over-long quote',
      { quotes: [{ text: 'x'.repeat(501), publishable: true }] },
      '/body/findings/0/quotes/0/text',
    ],
    [
      'too many quotes',
      { quotes: Array.from({ length: 11 }, () => ({ text: 'ok', publishable: false })) },
      '/body/findings/0/quotes',
    ],
  ])('answers 400 naming the finding field for %s', async (_case, overrides, pointer) => {
    const body = interviewBody(theme);

    const answer = await submit({ ...body, findings: [{ ...body.findings[0], ...overrides }] });

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toContain(pointer);
  });

  it('answers 413 for a body over the limit', async () => {
    const body = interviewBody(theme);
    const long = { ...body.findings[0], summary: 'x'.repeat(1000) };

    const answer = await submit({ ...body, findings: Array.from({ length: 300 }, () => long) });

    expect(answer.status).toBe(413);
  });

  it('answers 423 while the programme is paused, writing nothing', async () => {
    const before = await counts(api);

    const answer = await whilePaused(api, () => submit(interviewBody(theme)));

    expect(answer.status).toBe(423);
    expect(await counts(api)).toEqual(before);
  });
});

describe('attachments', () => {
  it('moves the checked file from incoming/ to attachments/<site>/<finding id>', async () => {
    const uploadId = await uploadAttachment('london');
    const answer = await submit(interviewBody(theme, { attachment: { uploadId } }));
    expect(answer.status).toBe(201);
    expect(await exists(`incoming/london/${uploadId}`)).toBe(false);
    expect(await exists(`attachments/london/${String(answer.body.id)}`)).toBe(true);
  });

  it.each([
    ['a PDF that is text', Buffer.from('Focus group notes.\n'), 'application/pdf'],
    ['a Word file that is a PDF', Buffer.from('%PDF-1.7\n%...'), DOCX],
    ['text with a NUL byte', Buffer.from('notes\u0000more'), 'text/plain'],
    ['text that is not UTF-8', Buffer.from([0x6e, 0x6f, 0xff, 0xfe, 0x74]), 'text/plain'],
  ])(
    'refuses %s at /body/attachment/uploadId, deletes the upload and writes nothing',
    async (_case, bytes, type) => {
      const uploadId = await uploadAttachment('london', bytes, type);
      const before = await counts(api);

      const answer = await submit(interviewBody(theme, { attachment: { uploadId } }));

      expect(answer.status).toBe(400);
      expect(pointers(answer.body)).toEqual(['/body/attachment/uploadId']);
      expect(await counts(api)).toEqual(before);
      expect(await exists(`incoming/london/${uploadId}`)).toBe(false);
    },
  );

  it.each(['quarantine', 'uploads'])('cannot attach a file kept under %s/', async (prefix) => {
    const uploadId = randomUUID();
    await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: `${prefix}/london/${uploadId}`,
        Body: 'Focus group notes.',
        ContentType: 'text/plain',
      }),
    );
    const answer = await submit(interviewBody(theme, { attachment: { uploadId } }));
    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toEqual(['/body/attachment/uploadId']);
  });

  describe('with the GuardDuty scan required (UPLOAD_SCAN=guardduty)', async () => {
    const deps = await services(api.env);
    const scanned = {
      ...deps,
      uploads: new S3UploadStore(s3, bucket),
      uploadScan: 'guardduty' as const,
    };
    const eva: Principal = { actor: 'eva', roles: ['evaluator'], site: undefined };
    const tag = (uploadId: string, value: string) =>
      s3.send(
        new PutObjectTaggingCommand({
          Bucket: bucket,
          Key: `incoming/london/${uploadId}`,
          Tagging: { TagSet: [{ Key: 'GuardDutyMalwareScanStatus', Value: value }] },
        }),
      );
    const attach = (uploadId: string) =>
      submitInterview(scanned, eva, 'london', {
        ...(interviewBody(theme) as unknown as Parameters<typeof submitInterview>[3]),
        attachment: { uploadId },
      });

    it('waits for the verdict (409) and keeps the upload', async () => {
      const uploadId = await uploadAttachment('london');
      await expect(attach(uploadId)).rejects.toBeInstanceOf(ConflictError);
      expect(await exists(`incoming/london/${uploadId}`)).toBe(true);
    });

    it('attaches a file tagged NO_THREATS_FOUND', async () => {
      const uploadId = await uploadAttachment('london');
      await tag(uploadId, 'NO_THREATS_FOUND');
      const receipt = await attach(uploadId);
      expect(await exists(`attachments/london/${receipt.id}`)).toBe(true);
    });

    it('refuses and deletes a file with any other verdict', async () => {
      const uploadId = await uploadAttachment('london');
      await tag(uploadId, 'THREATS_FOUND');
      await expect(attach(uploadId)).rejects.toBeInstanceOf(ValidationError);
      expect(await exists(`incoming/london/${uploadId}`)).toBe(false);
    });
  });
});

describe('DELETE /sites/{site}/interviews/{id}', () => {
  const erase = (id: string, site = 'london') =>
    http.request('DELETE', `/sites/${site}/interviews/${id}`, { as: EVALUATOR });

  it('erases the finding and its file, leaving nothing in the table or the bucket, with a bare audit event', async () => {
    const uploadId = await uploadAttachment('london');
    const id = String((await submit(interviewBody(theme, { attachment: { uploadId } }))).body.id);

    const answer = await erase(id);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ site: 'london', id, erased: { findings: 1, attachments: 1 } });
    expect(await exists(`attachments/london/${id}`)).toBe(false);
    expect(await exists(`incoming/london/${uploadId}`)).toBe(false);
    const records = JSON.stringify(await api.scan('RECORDS_TABLE'));
    expect(records).not.toContain(id);
    expect(records).not.toContain(uploadId);
    const audit = (await api.scan('AUDIT_TABLE')).filter((e) => e.action === 'interview.erase');
    expect(audit).toEqual([expect.objectContaining({ subjectType: 'interview', subjectId: id })]);
    expect(Object.keys(audit[0] ?? {}).sort()).toEqual(
      ['action', 'actor', 'at', 'id', 'pk', 'sk', 'subjectId', 'subjectType'].sort(),
    );
    expect((await read(id)).status).toBe(404);
  });

  it('answers a second erasure with zero counts, writing nothing', async () => {
    const id = String((await submit(interviewBody(theme))).body.id);
    await erase(id);
    const before = await counts(api);

    const again = await erase(id);

    expect(again).toMatchObject({ status: 200, body: { erased: { findings: 0, attachments: 0 } } });
    expect(await counts(api)).toEqual(before);
  });

  it('works while the programme is paused', async () => {
    const id = String((await submit(interviewBody(theme))).body.id);
    const answer = await whilePaused(api, () => erase(id));
    expect(answer.body).toMatchObject({ erased: { findings: 1, attachments: 0 } });
  });
});

describe('GET /sites/{site}/interviews/{id}', () => {
  it('answers 404 for an id the site does not have', async () => {
    const answer = await read(randomUUID());

    expect(answer.status).toBe(404);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });

  it("answers 404 for another site's finding", async () => {
    const { id } = (await submit(interviewBody(theme), 'north-east')).body as { id: string };

    expect((await read(id, 'london')).status).toBe(404);
    expect((await read(id, 'north-east')).status).toBe(200);
  });

  it('answers 400 for an id that is not one', async () => {
    const answer = await read('not-an-id');

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toEqual(['/path/id']);
  });

  it('still reads findings while the programme is paused', async () => {
    const { id } = (await submit(interviewBody(theme))).body as { id: string };

    const answer = await whilePaused(api, () => read(id));

    expect(answer.status).toBe(200);
  });
});
