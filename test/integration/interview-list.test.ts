import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoInterviewStore } from '../../functions/findings/interview-store';
import type { SiteId } from '../../shared/domain/sites';
import { type Answer, client } from '../support/client';
import { csvOf } from '../support/csv';
import { startTestApi } from '../support/environment';
import { createTheme, EVALUATOR, interviewBody } from '../support/findings';
import { importAndWait } from '../support/imports';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const theme = await createTheme(http, '4.5');
const otherTheme = await createTheme(http, '4.7');

const record = async (site: SiteId, overrides: Record<string, unknown> = {}): Promise<string> => {
  const answer = await http.request('POST', `/sites/${site}/interviews`, {
    as: EVALUATOR,
    body: interviewBody(theme, overrides),
  });
  if (answer.status !== 201) throw new Error(`Could not record an interview: ${answer.status}`);
  return answer.body.id as string;
};

const list = (site: SiteId, query = '') =>
  http.request('GET', `/sites/${site}/interviews${query}`, { as: EVALUATOR });

const idsOf = (answer: Answer) => (answer.body.interviews as { id: string }[]).map((i) => i.id);
const pointersOf = (answer: Answer) => (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);

/** Every page of a site's list, following `next`. */
async function everyPage(site: SiteId, limit: number): Promise<{ pages: number; ids: string[] }> {
  const ids: string[] = [];
  let pages = 0;
  let query = `?limit=${limit}`;
  for (;;) {
    const answer = await list(site, query);
    expect(answer.status).toBe(200);
    pages++;
    ids.push(...idsOf(answer));
    const next = answer.body.next as string | undefined;
    if (next === undefined) return { pages, ids };
    query = `?limit=${limit}&cursor=${encodeURIComponent(next)}`;
  }
}

describe('GET /sites/{site}/interviews', () => {
  it('lists a site with no findings as an empty page without next', async () => {
    const answer = await list('yorkshire-humber');

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ site: 'yorkshire-humber', interviews: [] });
  });

  it('lists findings newest interview date first, with their coding and counts but no text', async () => {
    const older = await record('north-east', { date: '2025-01-10' });
    const newest = await record('north-east', {
      date: '2025-03-02',
      respondentGroup: 'provider-staff',
      method: 'focus-group',
      participants: 3,
      findings: [
        ...interviewBody(theme).findings,
        {
          area: '4.7',
          theme: otherTheme,
          stance: 'enabler',
          summary: 'A walking group started from a link worker asking around.',
          quotes: [{ text: 'Nobody had asked us before.', publishable: true }],
        },
      ],
    });
    const middle = await record('north-east', { date: '2025-02-20' });

    const answer = await list('north-east');

    expect(answer.status).toBe(200);
    expect(idsOf(answer)).toEqual([newest, middle, older]);
    const [first] = answer.body.interviews as Record<string, unknown>[];
    expect(first).toEqual({
      id: newest,
      date: '2025-03-02',
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      respondentGroup: 'provider-staff',
      method: 'focus-group',
      participants: 3,
      consent: { recorded: true, date: '2025-01-10' },
      areas: ['4.5', '4.7'],
      themes: [theme, otherTheme],
      findings: 2,
      quotes: { publishable: 2, notPublishable: 1 },
      attachment: false,
    });
    const text = JSON.stringify(answer.body);
    expect(text).not.toContain('did not know who it was for');
    expect(text).not.toContain('Nobody had asked us before');
    expect(text).not.toContain('walking group');
  });

  it('lists the same date most recently recorded first', async () => {
    const first = await record('london', { date: '2025-04-01' });
    const second = await record('london', { date: '2025-04-01' });

    expect(idsOf(await list('london')).slice(0, 2)).toEqual([second, first]);
  });

  it('pages through every finding once, in order, with signed cursors', async () => {
    for (const date of ['2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05']) {
      await record('london', { date });
    }
    const whole = idsOf(await list('london', '?limit=200'));

    const paged = await everyPage('london', 2);

    expect(paged.ids).toEqual(whole);
    expect(paged.pages).toBe(Math.ceil(whole.length / 2));
    expect(new Set(paged.ids).size).toBe(whole.length);
  });

  it("refuses a cursor altered by hand, and one from another site's list", async () => {
    await record('yorkshire-humber', { date: '2025-01-02' });
    await record('yorkshire-humber', { date: '2025-01-03' });
    const next = (await list('london', '?limit=1')).body.next as string;
    const signature = next.split('.')[1] ?? '';
    const forged = `${Buffer.from(JSON.stringify({ site: 'london', after: '9999-12-31#x#y' })).toString('base64url')}.${signature}`;

    const altered = await list('london', `?cursor=${encodeURIComponent(forged)}`);
    const elsewhere = await list('yorkshire-humber', `?cursor=${encodeURIComponent(next)}`);

    expect(altered.status).toBe(400);
    expect(pointersOf(altered)).toEqual(['/query/cursor']);
    expect(elsewhere.status).toBe(400);
    expect(pointersOf(elsewhere)).toEqual(['/query/cursor']);
  });

  it('refuses a limit out of range with a pointer to it', async () => {
    const answer = await list('london', '?limit=0');

    expect(answer.status).toBe(400);
    expect(pointersOf(answer)).toEqual(['/query/limit']);
  });

  it('drops an erased finding from the list', async () => {
    const id = await record('london', { date: '2025-06-01' });
    expect(idsOf(await list('london', '?limit=200'))).toContain(id);

    const erased = await http.request('DELETE', `/sites/london/interviews/${id}`, { as: EVALUATOR });

    expect(erased.status).toBe(200);
    expect(idsOf(await list('london', '?limit=200'))).not.toContain(id);
    const entries = (await api.scan('RECORDS_TABLE')).filter((item) => item.id === id);
    expect(entries).toEqual([]);
  });

  it('lists findings brought in by a bulk import', async () => {
    const row = {
      respondentGroup: 'prison-staff',
      method: 'interview',
      participants: 1,
      date: '2025-07-15',
      contactAttempts: 2,
      consentRecorded: true,
      area: '4.5',
      theme,
      stance: 'barrier',
      summary: 'Prison staff had not heard of the service.',
    };
    const imported = await importAndWait(
      http,
      { stream: 'interview-findings', site: 'yorkshire-humber', csv: csvOf([row]) },
      EVALUATOR,
    );
    expect(imported.body.state).toBe('committed');

    const [first] = (await list('yorkshire-humber')).body.interviews as Record<string, unknown>[];

    expect(first).toMatchObject({ date: '2025-07-15', respondentGroup: 'prison-staff', findings: 1 });
  });
});

describe('DynamoInterviewStore.backfillInterviewList', () => {
  it('lists findings stored before the list was kept after a one-off backfill, once', async () => {
    const store = new DynamoInterviewStore(api.db, {
      records: api.env.RECORDS_TABLE ?? '',
      audit: api.env.AUDIT_TABLE ?? '',
    });
    const id = '5c0ffee0-0000-4000-8000-000000000001';
    // A finding as it was stored before its list entry was written beside it.
    await api.db.send(
      new PutCommand({
        TableName: api.env.RECORDS_TABLE,
        Item: {
          pk: 'INTERVIEW#london',
          sk: id,
          id,
          site: 'london',
          respondentGroup: 'community-organisation',
          method: 'interview',
          participants: 1,
          date: '2024-12-01',
          contactAttempts: 1,
          consent: { recorded: true },
          findings: [
            { area: '4.7', theme: otherTheme, outcomes: [], stance: 'neutral', summary: 'Fine.', quotes: [] },
          ],
          redacted: {},
          recordedAt: '2024-12-02T10:00:00.000Z',
        },
      }),
    );
    expect(idsOf(await list('london', '?limit=200'))).not.toContain(id);

    const written = await store.backfillInterviewList('london');

    expect(written).toBe(1);
    const listed = (await list('london', '?limit=200')).body.interviews as Record<string, unknown>[];
    expect(listed.at(-1)).toMatchObject({ id, date: '2024-12-01', areas: ['4.7'], findings: 1 });
    expect(await store.backfillInterviewList('london')).toBe(0);
  });
});
