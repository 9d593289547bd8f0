import { afterAll, describe, expect, it } from 'vitest';
import { DynamoEngagementReturnStore } from '../../functions/engagement/engagement-store';
import type { SiteId } from '../../shared/domain/sites';
import { type Answer, client } from '../support/client';
import { engagementFigures } from '../support/engagement';
import { startTestApi, whilePaused } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const provider = (user = 'clw', site: SiteId = 'london') => ({ role: 'provider' as const, site, user });

const figures = engagementFigures;

const put = (
  month: string,
  body: unknown,
  as: { role: 'provider' | 'evaluator' | 'practitioner'; site?: SiteId; user: string } = provider(),
  site: SiteId = 'london',
) => http.request('PUT', `/sites/${site}/engagement/${month}`, { as, body });

const pointersOf = (answer: Answer) => (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);
const returnItems = async () =>
  (await api.scan('RECORDS_TABLE')).filter((item) => String(item.pk).startsWith('ENGAGEMENT#'));
const auditFor = async (subjectId: string) =>
  (await api.scan('AUDIT_TABLE')).filter((event) => event.subjectId === subjectId);

describe('PUT /sites/{site}/engagement/{month}', () => {
  it("records a month's first return as 201 with its engagement rates", async () => {
    const answer = await put('2025-01', figures());

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      site: 'london',
      month: '2025-01',
      replaced: false,
      rates: {
        initialAppointments: { attended: 67, notAttended: 17, cancelled: 17 },
        sessions: { attended: 75, notAttended: 15, cancelled: 5 },
      },
    });
    const stored = (await returnItems()).find((item) => item.sk === '2025-01');
    expect(stored).toMatchObject({ pk: 'ENGAGEMENT#london', site: 'london', month: '2025-01', ...figures() });
  });

  it("replaces the month's earlier return as 200, keeping one item and the new figures", async () => {
    await put('2025-02', figures({ caseload: 10 }));

    const second = await put('2025-02', figures({ caseload: 11 }));

    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ replaced: true });
    const february = (await returnItems()).filter(
      (item) => item.pk === 'ENGAGEMENT#london' && item.sk === '2025-02',
    );
    expect(february).toHaveLength(1);
    expect(february[0]?.caseload).toBe(11);
  });

  it('audits a new return as create and a replacement as replace, naming site and month', async () => {
    await put('2025-03', figures());
    await put('2025-03', figures());

    const events = await auditFor('london/2025-03');

    expect(events.map((e) => e.action).sort()).toEqual([
      'engagement-return.create',
      'engagement-return.replace',
    ]);
    expect(events.every((e) => e.subjectType === 'engagement-return')).toBe(true);
  });

  it('counts exactly one of several racing PUTs for a new month as new, and the rest as replacements', async () => {
    const answers = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        put('2025-04', figures({ caseload: 20 + i }), provider(`racer-${i}`)),
      ),
    );

    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 201]);
    expect((await returnItems()).filter((item) => item.sk === '2025-04')).toHaveLength(1);
    const actions = (await auditFor('london/2025-04')).map((e) => e.action);
    expect(actions.filter((a) => a === 'engagement-return.create')).toHaveLength(1);
    expect(actions.filter((a) => a === 'engagement-return.replace')).toHaveLength(4);
  });

  it('gives a null rate when nothing was booked', async () => {
    const none = { booked: 0, attended: 0, notAttended: 0, cancelled: 0 };
    const answer = await put('2025-05', figures({ initialAppointments: none }));
    expect(answer.body.rates).toEqual({
      initialAppointments: null,
      sessions: { attended: 75, notAttended: 15, cancelled: 5 },
    });
  });

  it('accepts the current month, with figures so far', async () => {
    const thisMonth = new Date().toISOString().slice(0, 7);
    const answer = await put(thisMonth, figures());
    expect([200, 201]).toContain(answer.status);
  });

  it('keeps sites apart: the same month at another site is a new return', async () => {
    await put('2025-06', figures());
    const other = await put('2025-06', figures(), provider('ne', 'north-east'), 'north-east');
    expect(other.status).toBe(201);
  });

  it.each([
    [
      'initial appointment outcomes over booked',
      figures({ initialAppointments: { booked: 3, attended: 2, notAttended: 1, cancelled: 1 } }),
      '/body/initialAppointments/booked',
      'initialAppointments.attended + initialAppointments.notAttended + initialAppointments.cancelled',
    ],
    [
      'session outcomes over booked',
      figures({ sessions: { booked: 10, attended: 9, notAttended: 2, cancelled: 0 } }),
      '/body/sessions/booked',
      'sessions.attended + sessions.notAttended + sessions.cancelled',
    ],
    [
      'attendance with no one on the books',
      figures({ referralsReceived: 0, caseload: 0, completions: 0, withdrawals: 0 }),
      '/body/caseload',
      'referralsReceived, completions and withdrawals',
    ],
  ])(
    'answers 400 for %s, pointing at the field and naming the others, writing nothing',
    async (_c, body, pointer, named) => {
      const before = await api.scan('RECORDS_TABLE');

      const answer = await put('2024-06', body);

      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toBe('application/problem+json');
      const errors = answer.body.errors as { pointer: string; detail: string }[];
      expect(errors.map((e) => e.pointer)).toEqual([pointer]);
      expect(errors[0]?.detail).toContain(named);
      expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
      expect(await auditFor('london/2024-06')).toEqual([]);
    },
  );

  it.each([
    ['a future month', '2099-01', figures(), '/path/month'],
    ['next month', nextMonth(), figures(), '/path/month'],
    ['a month before 2024', '2023-12', figures(), '/path/month'],
    ['a month that does not exist', '2025-13', figures(), '/path/month'],
    ['a date instead of a month', '2025-01-01', figures(), '/path/month'],
    ['an extra field', '2024-07', { ...figures(), dnaRate: 0.1 }, '/body/dnaRate'],
    [
      'an extra field in a group',
      '2024-07',
      { ...figures(), sessions: { ...figures().sessions, rescheduled: 1 } },
      '/body/sessions/rescheduled',
    ],
    ['a negative count', '2024-07', figures({ caseload: -1 }), '/body/caseload'],
    ['a fractional count', '2024-07', figures({ referralsReceived: 1.5 }), '/body/referralsReceived'],
    ['a count over 10000', '2024-07', figures({ completions: 10_001 }), '/body/completions'],
    ['a count sent as text', '2024-07', { ...figures(), withdrawals: '1' }, '/body/withdrawals'],
    [
      'a missing group field',
      '2024-07',
      { ...figures(), initialAppointments: { booked: 1, attended: 1, notAttended: 0 } },
      '/body/initialAppointments/cancelled',
    ],
    ['a missing field', '2024-07', { ...figures(), caseload: undefined }, '/body/caseload'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, month, body, pointer) => {
    const before = await api.scan('RECORDS_TABLE');

    const answer = await put(month, body);

    expect(answer.status).toBe(400);
    expect(pointersOf(answer)).toContain(pointer);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
  });

  it.each([
    ['an evaluator', { role: 'evaluator' as const, user: 'eve' }],
    ['a practitioner', { role: 'practitioner' as const, site: 'london' as const, user: 'pp' }],
    ['a provider from another site', provider('other', 'north-east')],
  ])('answers 403 to %s, writing nothing', async (_who, as) => {
    const before = await api.scan('RECORDS_TABLE');

    const answer = await put('2024-08', figures(), as);

    expect(answer.status).toBe(403);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
  });

  it('answers 423 while the programme is paused, writing nothing', async () => {
    const before = await returnItems();
    await whilePaused(api, async () => {
      const answer = await put('2024-09', figures());
      expect(answer).toMatchObject({
        status: 423,
        body: { detail: 'Paused while the competition is open.' },
      });
    });
    expect(await returnItems()).toHaveLength(before.length);
    expect(await auditFor('london/2024-09')).toEqual([]);
  });
});

describe('DynamoEngagementReturnStore.listEngagementReturns', () => {
  it("lists a site's returns for a month range, oldest first, and nothing outside it", async () => {
    const store = new DynamoEngagementReturnStore(api.db, {
      records: api.env.RECORDS_TABLE ?? '',
      audit: api.env.AUDIT_TABLE ?? '',
    });
    for (const month of ['2024-11', '2024-12', '2025-01', '2025-02']) {
      await put(month, figures(), provider('yh', 'yorkshire-humber'), 'yorkshire-humber');
    }

    const winter = await store.listEngagementReturns('yorkshire-humber', '2024-12', '2025-01');

    expect(winter.map((r) => r.month)).toEqual(['2024-12', '2025-01']);
    expect(winter[0]).toMatchObject({ site: 'yorkshire-humber', ...figures() });
    expect(winter[0]).not.toHaveProperty('pk');
    expect(await store.listEngagementReturns('yorkshire-humber', '2023-01', '2024-10')).toEqual([]);
  });
});

function nextMonth(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString().slice(0, 7);
}
