import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalParticipantRef, listFollowUps } from '../../functions/participants/participants';
import { ukDate } from '../../shared/domain/iso-week';
import { addDays } from '../../shared/domain/iso-week';
import type { Principal } from '../../shared/domain/roles';
import type { SiteId } from '../../shared/domain/sites';
import { services } from '../../local/services';
import { capitalBody, uniqueRef } from '../support/capital';
import { client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';

const api = await startTestApi();
const http = client(api);
const deps = await services(api.env);
afterAll(() => api.stop());

const provider = (site: SiteId = 'north-east', user = 'worker') => ({
  role: 'provider' as const,
  site,
  user,
});
const evaluator = { role: 'evaluator' as const, user: 'eve' };

const assess = (
  body: unknown,
  options: { site?: SiteId; as?: ReturnType<typeof provider> | typeof evaluator; key?: string } = {},
) =>
  http.request('POST', `/sites/${options.site ?? 'north-east'}/capital-assessments`, {
    as: options.as ?? provider(options.site),
    body,
    ...(options.key ? { headers: { 'idempotency-key': options.key } } : {}),
  });

const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((e) => e.pointer);

const today = () => ukDate(new Date());

describe('GET /questionnaires/capital-check', () => {
  it('serves the versioned instrument with its sections, item ids and strength domains', async () => {
    const answer = await http.request('GET', '/questionnaires/capital-check', { as: evaluator });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'capital-check', version: 1, followUp: { afterDays: 90 } });
    const sections = answer.body.sections as { strengths: { domains: { id: string; outcome: string }[] } };
    expect(sections.strengths.domains.map((d) => d.outcome)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });

  it('still serves the wellbeing check-in as before', async () => {
    const answer = await http.request('GET', '/questionnaires/wellbeing-pulse', { as: evaluator });
    expect(answer.status).toBe(200);
    expect(Object.keys(answer.body).sort()).toEqual(
      ['comment', 'id', 'items', 'purpose', 'scale', 'title', 'version'].sort(),
    );
  });
});

describe('POST /sites/{site}/capital-assessments', () => {
  it('records a baseline as 201, with the next follow-up 90 days on and no distance yet', async () => {
    const answer = await assess(capitalBody(uniqueRef(), { date: '2025-01-06' }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      site: 'north-east',
      kind: 'baseline',
      date: '2025-01-06',
      nextFollowUpDue: '2025-04-06',
      distanceTravelled: null,
    });
    expect(answer.body.id).toEqual(expect.any(String));
  });

  it('derives the distance travelled from baseline to follow-up and returns it in the receipt', async () => {
    const ref = uniqueRef();
    await assess(capitalBody(ref, { date: '2025-01-06', score: 2, barriers: true, needs: true }));
    const followUp = await assess(
      capitalBody(ref, {
        kind: 'follow-up',
        date: '2025-04-03',
        score: 4,
        barriers: false,
        needs: true,
        ageBand: null,
      }),
    );
    expect(followUp.status).toBe(201);
    expect(followUp.body).toMatchObject({
      kind: 'follow-up',
      nextFollowUpDue: '2025-07-02',
      distanceTravelled: {
        since: '2025-01-06',
        to: '2025-04-03',
        strengths: {
          housingStability: 2,
          finance: 2,
          workLearningVolunteering: 2,
          recovery: 2,
          relationships: 2,
          communityInvolvement: 2,
        },
        barriers: -3,
        needs: 0,
      },
    });
  });

  it('stores the derived distance on the participant’s summary', async () => {
    const ref = uniqueRef();
    await assess(capitalBody(ref, { date: '2025-01-06', score: 1 }));
    await assess(capitalBody(ref, { kind: 'follow-up', date: '2025-04-03', score: 5 }));
    const participant = deps.pseudonymiseParticipant('north-east', canonicalParticipantRef(ref));
    const summary = await deps.capital.getSummary('north-east', participant);
    expect(summary).toMatchObject({ checks: 2, distanceTravelled: { strengths: { finance: 4 } } });
  });

  it('closes the participant at exit: no next follow-up, and nothing after it', async () => {
    const ref = uniqueRef();
    await assess(capitalBody(ref, { date: '2025-01-06' }));
    const exit = await assess(capitalBody(ref, { kind: 'exit', date: '2025-02-01', score: 4 }));
    const after = await assess(capitalBody(ref, { kind: 'follow-up', date: '2025-04-01' }));
    expect(exit.status).toBe(201);
    expect(exit.body).toMatchObject({
      kind: 'exit',
      nextFollowUpDue: null,
      distanceTravelled: { barriers: 0 },
    });
    expect(after.status).toBe(409);
  });

  it('never echoes the participant reference in the receipt', async () => {
    const ref = uniqueRef('ECHO');
    const answer = await assess(capitalBody(ref));
    expect(JSON.stringify(answer.body)).not.toContain(ref);
  });

  it('refuses a second baseline for the same participant with 409, whatever the reference’s case', async () => {
    const ref = uniqueRef('twice');
    await assess(capitalBody(ref));
    const second = await assess(capitalBody(ref.toUpperCase(), { date: '2025-02-01' }));
    expect(second.status).toBe(409);
    expect(second.headers.get('content-type')).toBe('application/problem+json');
  });

  it('lets only one of two racing baselines land', async () => {
    const ref = uniqueRef('race');
    const answers = await Promise.all([
      assess(capitalBody(ref, { date: '2025-01-06' })),
      assess(capitalBody(ref, { date: '2025-01-07' })),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const participant = deps.pseudonymiseParticipant('north-east', canonicalParticipantRef(ref));
    expect((await deps.capital.findParticipantRecords('north-east', participant)).checks).toBe(1);
  });

  it('refuses a follow-up dated before the baseline with 400 at /body/date', async () => {
    const ref = uniqueRef();
    await assess(capitalBody(ref, { date: '2025-03-01' }));
    const answer = await assess(capitalBody(ref, { kind: 'follow-up', date: '2025-02-01' }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/body/date', detail: expect.stringContaining('follow-up before baseline') as unknown },
    ]);
  });

  it('refuses a follow-up with no baseline with 409, writing nothing', async () => {
    const before = (await api.scan('RECORDS_TABLE')).length;
    const answer = await assess(capitalBody(uniqueRef(), { kind: 'follow-up', date: '2025-04-01' }));
    expect(answer.status).toBe(409);
    expect(answer.body.detail).toContain('baseline');
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before);
  });

  it('answers an evaluator the same for a reference with records and one without, echoing nothing stored', async () => {
    const known = uniqueRef();
    await assess(capitalBody(known, { date: '2025-03-01' }));
    const early = { kind: 'follow-up' as const, date: '2025-02-01' };

    const onKnown = await assess(capitalBody(known, early), { as: evaluator });
    const onUnknown = await assess(capitalBody(uniqueRef(), early), { as: evaluator });
    const secondBaseline = await assess(capitalBody(known, { date: '2025-06-01' }), { as: evaluator });

    expect(onKnown.status).toBe(409);
    expect(onKnown.body).toEqual({ ...onUnknown.body, instance: onKnown.body.instance });
    expect(secondBaseline.body.detail).toBe(onKnown.body.detail);
    expect(JSON.stringify([onKnown.body, secondBaseline.body])).not.toMatch(/2025-03-01|baseline of/);
  });

  it("still tells the site's own provider staff which of their checks comes first", async () => {
    const ref = uniqueRef();
    await assess(capitalBody(ref, { date: '2025-03-01' }));
    const answer = await assess(capitalBody(ref, { kind: 'follow-up', date: '2025-02-01' }));
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.errors)).toContain('2025-03-01');
  });

  it('refuses a baseline at london for an age band outside the 18-25 cohort, naming the cohort', async () => {
    const answer = await assess(capitalBody(uniqueRef(), { ageBand: '26-35' }), { site: 'london' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      { pointer: '/body/ageBand', detail: expect.stringContaining('aged 18 to 25') as unknown },
    ]);
  });

  it('takes a baseline at london for an age band in the cohort, and the same 26-35 band elsewhere', async () => {
    const london = await assess(capitalBody(uniqueRef(), { ageBand: '18-20' }), { site: 'london' });
    const northEast = await assess(capitalBody(uniqueRef(), { ageBand: '26-35' }));
    expect([london.status, northEast.status]).toEqual([201, 201]);
  });

  it.each([
    [
      'a score out of range',
      { strengths: { ...capitalBody('a').strengths, recovery: 6 } },
      '/body/strengths/recovery',
    ],
    [
      'a score of zero',
      { strengths: { ...capitalBody('a').strengths, finance: 0 } },
      '/body/strengths/finance',
    ],
    [
      'a fractional score',
      { strengths: { ...capitalBody('a').strengths, finance: 2.5 } },
      '/body/strengths/finance',
    ],
    [
      'an unknown item',
      { barriers: { ...capitalBody('a').barriers, weather: true } },
      '/body/barriers/weather',
    ],
    ['a missing item', { needs: { housing: true } }, '/body/needs/legal'],
    ['an extra field', { name: 'Jo Bloggs' }, '/body/name'],
    ['an unknown kind', { kind: 'review' }, '/body/kind'],
    ['an unknown version', { questionnaireVersion: 2 }, '/body/questionnaireVersion'],
    ['a date that is not a date', { date: '2025-02-30' }, '/body/date'],
    ['a date in the future', { date: '2099-01-01' }, '/body/date'],
    ['a date before 2024', { date: '2023-12-31' }, '/body/date'],
    ['a baseline without an age band', { ageBand: undefined }, '/body/ageBand'],
    ['a reference with a slash', { participantRef: 'CLW/1' }, '/body/participantRef'],
    ['a reference over 40 characters', { participantRef: 'R'.repeat(41) }, '/body/participantRef'],
    ['a CRN as the reference', { participantRef: 'X123456' }, '/body/participantRef'],
    ['a National Insurance number as the reference', { participantRef: 'QQ123456C' }, '/body/participantRef'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, change, pointer) => {
    const before = (await api.scan('RECORDS_TABLE')).length;
    const answer = await assess({ ...capitalBody(uniqueRef()), ...change });
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(pointers(answer.body)).toContain(pointer);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before);
  });

  it('writes one audit event per check whose subject is the check id, never the participant', async () => {
    const ref = uniqueRef('AUDITED');
    const answer = await assess(capitalBody(ref));
    const participant = deps.pseudonymiseParticipant('north-east', canonicalParticipantRef(ref));
    const events = (await api.scan('AUDIT_TABLE')).filter((e) => e.subjectId === answer.body.id);
    expect(events).toEqual([
      expect.objectContaining({ action: 'capital-check.create', subjectType: 'capital-check' }),
    ]);
    expect(JSON.stringify(await api.scan('AUDIT_TABLE'))).not.toContain(participant);
  });

  it('replays the first receipt for the same Idempotency-Key', async () => {
    const body = capitalBody(uniqueRef());
    const first = await assess(body, { key: 'capital-retry-1' });
    const replay = await assess(body, { key: 'capital-retry-1' });
    expect(replay.status).toBe(201);
    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });

  it('is open to evaluators at any site and to providers of their own site only', async () => {
    const byEvaluator = await assess(capitalBody(uniqueRef()), { site: 'london', as: evaluator });
    const byOtherProvider = await assess(capitalBody(uniqueRef()), {
      site: 'london',
      as: provider('north-east'),
    });
    expect([byEvaluator.status, byOtherProvider.status]).toEqual([201, 403]);
  });

  it('answers 423 while the programme is paused, writing nothing', async () => {
    await whilePaused(api, async () => {
      const before = (await api.scan('RECORDS_TABLE')).length;
      const answer = await assess(capitalBody(uniqueRef()));
      expect(answer).toMatchObject({
        status: 423,
        body: { detail: 'Paused while the competition is open.' },
      });
      expect(await api.scan('RECORDS_TABLE')).toHaveLength(before);
    });
  });

  it('never stores the raw reference in any table: records, audit or idempotency', async () => {
    const ref = uniqueRef('RAWREF');
    await assess(capitalBody(ref, { date: '2025-01-06' }), { key: 'raw-ref-1' });
    await assess(capitalBody(ref, { kind: 'follow-up', date: '2025-04-01' }), { key: 'raw-ref-2' });
    await http.request('GET', '/sites/north-east/follow-ups', { as: provider() });
    const everything = JSON.stringify([
      ...(await api.scan('RECORDS_TABLE')),
      ...(await api.scan('AUDIT_TABLE')),
      ...(await api.scan('IDEMPOTENCY_TABLE')),
    ]);
    expect(everything).not.toContain(ref);
    expect(everything.toUpperCase()).not.toContain(ref.toUpperCase());
  });
});

describe('GET /sites/{site}/follow-ups', () => {
  // Baselines dated in the past, relative to today: the follow-up clock runs from the last check.
  // No other test records anything at this site.
  const site = 'yorkshire-humber';
  const refs = {
    due: uniqueRef('DUE'),
    overdue: uniqueRef('LATE'),
    notYet: uniqueRef('SOON'),
    exited: uniqueRef('GONE'),
  };
  beforeAll(async () => {
    const as = provider(site);
    await assess(capitalBody(refs.due, { date: addDays(today(), -80) }), { site, as });
    await assess(capitalBody(refs.overdue, { date: addDays(today(), -120) }), { site, as });
    await assess(capitalBody(refs.notYet, { date: addDays(today(), -10) }), { site, as });
    await assess(capitalBody(refs.exited, { date: addDays(today(), -300) }), { site, as });
    await assess(capitalBody(refs.exited, { kind: 'exit', date: addDays(today(), -200) }), { site, as });
  });

  const list = (query = '', as: ReturnType<typeof provider> | typeof evaluator = provider(site)) =>
    http.request('GET', `/sites/${site}/follow-ups${query}`, { as });
  type Entry = { participant: string; reference?: string; status: string; dueFrom: string; dueBy: string };
  const entries = (body: Record<string, unknown>) => body.participants as Entry[];

  it('lists due and overdue participants, soonest deadline first, never the not-yet-due or exited', async () => {
    const answer = await list();
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ site, asOf: today() });
    expect(entries(answer.body).map((e) => [e.reference, e.status])).toEqual([
      [refs.overdue, 'overdue'],
      [refs.due, 'due'],
    ]);
    expect(entries(answer.body)[1]).toMatchObject({
      lastCheck: { kind: 'baseline', date: addDays(today(), -80) },
      dueFrom: addDays(today(), -4),
      dueBy: addDays(today(), 24),
    });
  });

  it.each([
    ['due', 'DUE'],
    ['overdue', 'LATE'],
  ])('lists only the %s ones when asked', async (status, prefix) => {
    const answer = await list(`?status=${status}`);
    expect(entries(answer.body).map((e) => e.reference?.split('-')[0])).toEqual([prefix]);
  });

  it('gives evaluators the pseudonym only, never the provider reference', async () => {
    const answer = await list('', evaluator);
    expect(entries(answer.body)).toHaveLength(2);
    expect(entries(answer.body).every((e) => e.reference === undefined && e.participant.length > 0)).toBe(
      true,
    );
    expect(JSON.stringify(answer.body)).not.toContain(refs.due);
  });

  it('gives provider staff of the site their own references back, decrypted', async () => {
    const answer = await list('', provider(site));
    const due = entries(answer.body).find((e) => e.status === 'due');
    expect(due?.reference).toBe(refs.due);
    expect(due?.participant).toBe(deps.pseudonymiseParticipant(site, canonicalParticipantRef(refs.due)));
  });

  it('refuses an unknown status with 400 at /query/status', async () => {
    const answer = await list('?status=soon');
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/query/status' }] } });
  });

  it('answers 403 to a provider of another site', async () => {
    const answer = await list('', provider('london'));
    expect(answer.status).toBe(403);
  });

  it('works while the programme is paused: it is a read', async () => {
    await whilePaused(api, async () => {
      expect((await list()).status).toBe(200);
    });
  });
});

describe('follow-up windows on a controlled clock', () => {
  // The same rules and store as the handler, with `now` fixed: 75 days after the last check is
  // not yet due, 76 and 104 are due, 105 overdue.
  const site = 'london';
  const lastCheck = '2025-01-06';
  const principal: Principal = { actor: 'tester', roles: ['provider'], site };
  const ref = uniqueRef('CLOCK');
  beforeAll(async () => {
    await assess(capitalBody(ref, { date: lastCheck, ageBand: '18-20' }), { site });
  });
  const statusAfter = async (days: number) => {
    const at = new Date(`${addDays(lastCheck, days)}T12:00:00Z`);
    const list = await listFollowUps({ ...deps, now: () => at }, principal, site, {});
    return list.participants.find((p) => p.reference === ref)?.status ?? 'not listed';
  };

  it.each([
    [75, 'not listed'],
    [76, 'due'],
    [104, 'due'],
    [105, 'overdue'],
  ])('%i days after the last check: %s', async (days, status) => {
    expect(await statusAfter(days)).toBe(status);
  });
});

describe('GET /sites/{site}/follow-ups: pages', () => {
  const site = 'north-east';
  const as = provider(site);
  const list = (query: string) => http.request('GET', `/sites/${site}/follow-ups${query}`, { as });
  type Entry = { participant: string; dueBy: string };
  beforeAll(async () => {
    for (const days of [-80, -85, -90, -95, -100, -120, -130]) {
      await assess(capitalBody(uniqueRef('PAGE'), { date: addDays(today(), days) }), { site, as });
    }
  });

  it('walks the list a page at a time with signed cursors: the same participants, in the same order, once each', async () => {
    const whole = await list('?limit=500');
    const walked: Entry[] = [];
    let query = '?limit=3';
    for (let pages = 0; pages < 100; pages++) {
      const page = await list(query);
      expect(page.status).toBe(200);
      const entries = page.body.participants as Entry[];
      expect(entries.length).toBeLessThanOrEqual(3);
      walked.push(...entries);
      if (typeof page.body.next !== 'string') break;
      query = `?limit=3&cursor=${encodeURIComponent(page.body.next)}`;
    }

    expect(whole.body.next).toBeUndefined();
    expect((whole.body.participants as Entry[]).length).toBeGreaterThanOrEqual(7);
    expect(walked).toEqual(whole.body.participants);
  });

  it('pages 100 at a time by default', async () => {
    const answer = await list('');
    expect((answer.body.participants as Entry[]).length).toBeLessThanOrEqual(100);
  });

  it('refuses a limit over 500, and a cursor not given out or given for another listing, with 400', async () => {
    const first = await list('?limit=1&status=overdue');
    const next = first.body.next as string;
    const [payload = '', signature = ''] = next.split('.');
    const forged = `${Buffer.from(JSON.stringify({ site, status: 'overdue', asOf: '2020-01-01', after: '2020-01-01#x' })).toString('base64url')}.${signature}`;

    for (const query of [
      '?limit=501',
      `?status=due&cursor=${next}`,
      `?cursor=${forged}`,
      `?cursor=${payload}.${signature.slice(1)}A`,
    ]) {
      const answer = await list(query);
      expect(answer.status, query).toBe(400);
    }
    expect(
      (await http.request('GET', `/sites/london/follow-ups?cursor=${next}`, { as: provider('london') }))
        .status,
    ).toBe(400);
  });
});

describe('the follow-up list kept by due date', () => {
  const site = 'london';
  const entriesOf = async (ref: string) => {
    const participant = deps.pseudonymiseParticipant(site, canonicalParticipantRef(ref));
    return (await api.scan('RECORDS_TABLE')).filter(
      (i) => String(i.pk).startsWith(`FOLLOWUP#${site}`) && i.participant === participant,
    );
  };

  it('keeps one entry per participant, moved by each check, removed at exit and at erasure', async () => {
    const [moved, exited, erased] = [uniqueRef('MOVE'), uniqueRef('EXIT'), uniqueRef('ERASE')];
    for (const ref of [moved, exited, erased])
      await assess(capitalBody(ref, { date: '2025-01-06' }), { site });

    await assess(capitalBody(moved, { kind: 'follow-up', date: '2025-04-07', ageBand: null }), { site });
    await assess(capitalBody(exited, { kind: 'exit', date: '2025-02-03', ageBand: null }), { site });
    await http.request('DELETE', `/sites/${site}/participants/${erased}`, { as: provider(site) });

    expect((await entriesOf(moved)).map((e) => e.sk)).toEqual([
      `${addDays('2025-04-07', 104)}#${deps.pseudonymiseParticipant(site, canonicalParticipantRef(moved))}`,
    ]);
    expect(await entriesOf(exited)).toEqual([]);
    expect(await entriesOf(erased)).toEqual([]);
  });

  it('gives participants stored before the list was kept their entry with a one-off backfill, once', async () => {
    const ref = uniqueRef('OLD');
    await assess(capitalBody(ref, { date: addDays(today(), -90) }), { site });
    // As a summary written before the list was kept: no entry.
    for (const entry of await entriesOf(ref)) {
      await api.db.send(
        new DeleteCommand({ TableName: api.env.RECORDS_TABLE, Key: { pk: entry.pk, sk: entry.sk } }),
      );
    }
    const listed = async () =>
      (
        (await http.request('GET', `/sites/${site}/follow-ups?limit=500`, { as: provider(site) })).body
          .participants as { reference?: string }[]
      ).some((p) => p.reference === ref);
    expect(await listed()).toBe(false);

    const written = await deps.capital.backfillFollowUps(site);

    expect(written).toBe(1);
    expect(await listed()).toBe(true);
    expect(await deps.capital.backfillFollowUps(site)).toBe(0);
  });
});
