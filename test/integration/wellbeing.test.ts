import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  currentQuarter,
  previousQuarter,
  quarterOfWeek,
  weeksOfQuarter,
} from '../../functions/wellbeing/quarters';
import { submitPulse } from '../../functions/wellbeing/wellbeing';
import { demoSubject } from '../../local/issuer';
import { services } from '../../local/services';
import { addDays, isoWeekOf } from '../../shared/domain/iso-week';
import { client, pulseBody } from '../support/client';
import { startTestApi } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const provider = (user: string, site: 'london' | 'north-east' | 'yorkshire-humber' = 'london') => ({
  role: 'provider' as const,
  site,
  user,
});

/** One provider's check-in at london, optionally with an Idempotency-Key. */
const checkIn = (user: string, score: number, idempotencyKey?: string) =>
  http.request('POST', '/sites/london/wellbeing-pulses', {
    as: provider(user),
    body: pulseBody(score),
    ...(idempotencyKey ? { headers: { 'idempotency-key': idempotencyKey } } : {}),
  });

describe('POST /sites/{site}/wellbeing-pulses', () => {
  it('records a first check-in of the week as 201, not replaced', async () => {
    const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('first'),
      body: pulseBody(4),
    });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ site: 'london', replaced: false });
  });

  it('replaces a second check-in the same week, never counting it twice', async () => {
    await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('twice'),
      body: pulseBody(2),
    });
    const afterFirst = await api.scan('RECORDS_TABLE');
    const second = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('twice'),
      body: pulseBody(5),
    });
    const afterSecond = await api.scan('RECORDS_TABLE');
    expect(second.status).toBe(200);
    expect(second.body).toMatchObject({ replaced: true });
    expect(afterSecond).toHaveLength(afterFirst.length);
    const allScored = (n: number) =>
      afterSecond.some((item) => Object.values(item.answers as Record<string, number>).every((v) => v === n));
    expect(allScored(5)).toBe(true);
    expect(allScored(2)).toBe(false);
  });

  it('stores the staff member only as a keyed pseudonym, never the token subject', async () => {
    await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('pseudonymous'),
      body: pulseBody(),
    });
    const everything = JSON.stringify([
      ...(await api.scan('RECORDS_TABLE')),
      ...(await api.scan('AUDIT_TABLE')),
      ...(await api.scan('IDEMPOTENCY_TABLE')),
    ]);
    expect(everything).not.toContain(demoSubject('pseudonymous'));
    expect(everything).not.toContain('pseudonymous');
  });

  it('redacts the comment before storing it and says what it removed', async () => {
    const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('commenter'),
      body: pulseBody(3, 'Rough week, ring me on 07700 900987 or jo@example.org'),
    });
    expect(answer.body.redacted).toEqual({ phone: 1, email: 1 });
    const stored = JSON.stringify(await api.scan('RECORDS_TABLE'));
    expect(stored).not.toContain('07700 900987');
    expect(stored).not.toContain('jo@example.org');
    expect(stored).toContain('[phone number removed]');
  });

  it('writes an audit event with every check-in, in the same transaction', async () => {
    const before = (await api.scan('AUDIT_TABLE')).length;
    await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('audited'),
      body: pulseBody(),
    });
    const events = await api.scan('AUDIT_TABLE');
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1) ?? events[0]).toMatchObject({ subjectType: 'wellbeing-pulse' });
  });

  it('replays the first answer for the same Idempotency-Key, with Idempotent-Replayed', async () => {
    const send = () =>
      http.request('POST', '/sites/london/wellbeing-pulses', {
        as: provider('retrying'),
        body: pulseBody(3),
        headers: { 'idempotency-key': 'retry-1' },
      });
    const first = await send();
    const replay = await send();
    expect(replay.status).toBe(first.status);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
  });

  it('refuses the same Idempotency-Key with a different body with 422', async () => {
    await checkIn('k2', 3, 'retry-2');
    const reused = await checkIn('k2', 1, 'retry-2');
    expect(reused.status).toBe(422);
    expect(reused.headers.get('content-type')).toBe('application/problem+json');
  });

  it('keeps one user from replaying another user’s Idempotency-Key', async () => {
    await checkIn('ka', 3, 'shared-key');
    const other = await checkIn('kb', 3, 'shared-key');
    expect(other.status).toBe(201);
    expect(other.headers.get('idempotent-replayed')).toBeNull();
  });

  it.each([
    ['an extra field', { ...pulseBody(), mood: 'fine' }, '/body/mood'],
    [
      'a score out of range',
      { ...pulseBody(), answers: { ...pulseBody().answers, safety: 6 } },
      '/body/answers/safety',
    ],
    ['a missing item', { questionnaireVersion: 1, answers: { supported: 3 } }, '/body/answers/caseload'],
    [
      'a wrongly typed score',
      { ...pulseBody(), answers: { ...pulseBody().answers, caseload: '3' } },
      '/body/answers/caseload',
    ],
    ['an over-long comment', pulseBody(3, 'x'.repeat(1001)), '/body/comment'],
    ['an unknown version', { ...pulseBody(), questionnaireVersion: 9 }, '/body/questionnaireVersion'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, body, pointer) => {
    const before = (await api.scan('RECORDS_TABLE')).length;
    const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('bad'),
      body,
    });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect((answer.body.errors as { pointer: string }[]).map((e) => e.pointer)).toContain(pointer);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('bad'),
      rawBody: '{"a":',
    });
    expect(answer).toMatchObject({
      status: 400,
      body: { errors: [{ pointer: '/body', detail: 'is not valid JSON' }] },
    });
  });

  it('answers 413 for a body over the limit', async () => {
    const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('bad'),
      body: pulseBody(3, 'x'.repeat(20_000)),
    });
    expect(answer.status).toBe(413);
  });

  it('answers 415 for a body that is not sent as JSON', async () => {
    const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('bad'),
      rawBody: JSON.stringify(pulseBody()),
      headers: { 'content-type': 'text/plain' },
    });
    expect(answer.status).toBe(415);
  });

  it('answers 423 while the programme is paused for bidding, writing nothing', async () => {
    await api.db.send(
      new PutCommand({
        TableName: api.env.RECORDS_TABLE,
        Item: {
          pk: 'PROGRAMME',
          sk: 'STATE',
          state: 'paused',
          pausedReason: 'Paused while the competition is open.',
          disclosurePolicy: { minGroupSize: 5 },
        },
      }),
    );
    try {
      const answer = await http.request('POST', '/sites/london/wellbeing-pulses', {
        as: provider('paused'),
        body: pulseBody(),
      });
      expect(answer).toMatchObject({
        status: 423,
        body: { detail: 'Paused while the competition is open.' },
      });
    } finally {
      await api.db.send(
        new PutCommand({
          TableName: api.env.RECORDS_TABLE,
          Item: { pk: 'PROGRAMME', sk: 'STATE', state: 'active', disclosurePolicy: { minGroupSize: 5 } },
        }),
      );
    }
  });
});

describe('the week a check-in is filed in', () => {
  it('is the current week by the server clock, in the quarter still open; a client cannot name one', async () => {
    const backdated = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('backdating'),
      body: { ...pulseBody(), week: '2025-W30' },
    });
    const filed = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: provider('backdating'),
      body: pulseBody(),
    });

    expect(backdated).toMatchObject({ status: 400, body: { errors: [{ pointer: '/body/week' }] } });
    const week = isoWeekOf(new Date());
    expect(filed.body).toMatchObject({ week: week.label });
    expect(quarterOfWeek(week.monday)).toBe(currentQuarter(new Date()));
  });
});

describe('GET /wellbeing/summary', () => {
  const evaluator = { role: 'evaluator' as const, user: 'eve' };
  const summary = (query = '') => http.request('GET', `/wellbeing/summary${query}`, { as: evaluator });
  const current = currentQuarter(new Date());

  beforeAll(async () => {
    // Past check-ins are written through the same rule with the clock set back, as the demo data is:
    // six north-east staff in the last week of 2025-Q3, two of them again in the next week, whose
    // Thursday (2 October) puts it in 2025-Q4 although it starts in September.
    const deps = await services(api.env);
    const checkInAt = async (at: string, user: string) =>
      submitPulse(
        { ...deps, now: () => new Date(at) },
        { actor: deps.pseudonymise(demoSubject(user)), roles: ['provider'], site: 'north-east' },
        'north-east',
        pulseBody(3),
      );
    for (const n of [1, 2, 3, 4, 5, 6]) await checkInAt('2025-09-25T10:00:00Z', `ne-${n}`);
    for (const n of [1, 2]) await checkInAt('2025-09-29T10:00:00Z', `ne-${n}`);
  });

  it('answers for an ended quarter over the weeks whose Thursday is in it', async () => {
    const q3 = await summary('?period=2025-Q3');
    const q4 = await summary('?period=2025-Q4');

    expect(q3).toMatchObject({
      status: 200,
      body: { period: '2025-Q3', from: '2025-06-30', to: '2025-09-28' },
    });
    const groups = q3.body.groups as { scope: string; site?: string; status: string; checkIns?: number }[];
    expect(groups[0]).toMatchObject({ scope: 'programme', status: 'shown', respondents: 6, checkIns: 6 });
    expect(groups.find((g) => g.site === 'north-east')).toMatchObject({ status: 'shown', respondents: 6 });
    expect(q4.body).toMatchObject({ period: '2025-Q4', from: '2025-09-29', to: '2025-12-28' });
    expect((q4.body.groups as { status: string }[])[0]).toMatchObject({ status: 'suppressed' });
  });

  it('answers the last ended quarter when no period is given', async () => {
    const answer = await summary();
    expect(answer.status).toBe(200);
    expect(answer.body.period).toBe(previousQuarter(current));
  });

  it('refuses the quarter still in progress, saying when it can be asked for', async () => {
    const answer = await summary(`?period=${current}`);
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/period' }] } });
    const [error] = answer.body.errors as { detail: string }[];
    expect(error?.detail).toContain(`${current} has not ended`);
    expect(error?.detail).toContain(addDays(weeksOfQuarter(current).to, 1));
  });

  it('refuses a quarter that has not started', async () => {
    const next = `${Number(current.slice(0, 4)) + 1}-Q1`;
    const answer = await summary(`?period=${next}`);
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/period' }] } });
  });

  it.each(['2025-Q5', '2025-09', '2025', '0000-Q1', '1999-Q4'])(
    'refuses %s, which is not a quarter it answers',
    async (period) => {
      const answer = await summary(`?period=${period}`);
      expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/period' }] } });
    },
  );

  it('refuses a window of dates, which two answers could overlap', async () => {
    const answer = await summary('?from=2025-07-01&to=2025-09-23');
    expect(answer.status).toBe(400);
    expect((answer.body.errors as { pointer: string }[]).map((e) => e.pointer)).toEqual(
      expect.arrayContaining(['/query/from', '/query/to']),
    );
  });

  it('refuses an unknown query parameter', async () => {
    const answer = await summary('?site=london');
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/site' }] } });
  });
});
