import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { demoSubject } from '../../local/issuer';
import { AUDIT_DAYS_PER_PAGE } from '../../functions/admin/admin';
import { ROUTE_LIST } from '../../shared/routes';
import { services } from '../../local/services';
import { client, pulseBody } from '../support/client';
import { startTestApi } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const admin = { role: 'admin' as const, user: 'programme-admin' };
const setProgramme = (body: unknown) => http.request('PUT', '/programme', { as: admin, body });
const pause = () => setProgramme({ state: 'paused', reason: 'Paused while the competition is open.' });

beforeEach(async () => {
  await setProgramme({ state: 'active' });
});

describe('PUT /programme', () => {
  it('pauses the programme with a reason everyone can read', async () => {
    const answer = await pause();
    const programme = await http.request('GET', '/programme', { as: { role: 'market', user: 'm' } });

    expect(answer.status).toBe(200);
    expect(programme.body).toMatchObject({
      state: 'paused',
      pausedReason: 'Paused while the competition is open.',
      disclosurePolicy: { minGroupSize: 5 },
    });
  });

  it('refuses a pause without a reason, naming the field', async () => {
    const answer = await setProgramme({ state: 'paused' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ pointer: '/body/reason', detail: expect.any(String) as string }]);
  });

  it('refuses a state it does not know', async () => {
    const answer = await setProgramme({ state: 'closed' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toMatchObject([{ pointer: '/body/state' }]);
  });

  it('refuses a submission while paused with 423 and the reason, and takes it again once resumed', async () => {
    await pause();
    const refused = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: { role: 'provider', site: 'london', user: 'paused-worker' },
      body: pulseBody(),
    });
    await setProgramme({ state: 'active' });
    const accepted = await http.request('POST', '/sites/london/wellbeing-pulses', {
      as: { role: 'provider', site: 'london', user: 'paused-worker' },
      body: pulseBody(),
    });

    expect(refused.status).toBe(423);
    expect(refused.body).toMatchObject({ detail: 'Paused while the competition is open.' });
    expect(accepted.status).toBe(201);
  });

  it('keeps reads working while paused', async () => {
    await pause();
    const summary = await http.request('GET', '/wellbeing/summary', { as: { role: 'evaluator', user: 'e' } });
    const audit = await http.request('GET', '/audit', { as: admin });
    expect(summary.status).toBe(200);
    expect(audit.status).toBe(200);
  });
});

describe('every data submission while paused', () => {
  const submissions = ROUTE_LIST.filter((route) => route.submission);

  it('includes every POST or PUT of a data stream', () => {
    expect(submissions.map((r) => r.operationId)).toContain('submitWellbeingPulse');
    expect(submissions.length).toBeGreaterThan(0);
  });

  it.each(submissions)('$method $path answers 423, before looking at the body', async (route) => {
    const role = route.access === 'public' ? undefined : route.access[0];
    await pause();
    const answer = await http.request(route.method, route.path.replace(/\{[^}]+\}/g, 'london'), {
      ...(role ? { as: { role, site: 'london', user: 'paused' } } : {}),
      body: {},
    });
    expect(answer.status).toBe(423);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
  });
});

describe('GET /audit', () => {
  it('lists what happened, newest first, with the actor as a pseudonym only', async () => {
    await pause();
    await setProgramme({ state: 'active' });
    const answer = await http.request('GET', '/audit?limit=200', { as: admin });
    const events = answer.body.events as { action: string; actor: string; at: string }[];

    expect(answer.status).toBe(200);
    const actions = events.map((e) => e.action);
    expect(actions.indexOf('programme.resume')).toBeLessThan(actions.indexOf('programme.pause'));
    expect(events.map((e) => e.at)).toEqual([...events.map((e) => e.at)].sort().reverse());
    expect(JSON.stringify(events)).not.toContain('programme-admin');
    expect(JSON.stringify(events)).not.toContain(demoSubject('programme-admin'));
  });

  it('pages through every event exactly once', async () => {
    const all = await http.request('GET', '/audit?limit=200', { as: admin });
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await http.request('GET', `/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
        as: admin,
      });
      expect(page.status).toBe(200);
      seen.push(...(page.body.events as { id: string }[]).map((e) => e.id));
      cursor = page.body.next as string | undefined;
    } while (cursor);
    expect(seen).toEqual((all.body.events as { id: string }[]).map((e) => e.id));
  });

  it('refuses a cursor it did not give out', async () => {
    const answer = await http.request('GET', '/audit?cursor=bm90LWEtY3Vyc29y', { as: admin });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toMatchObject([{ pointer: '/query/cursor' }]);
  });

  it('refuses a cursor whose position was moved outside its period, even with the signature kept', async () => {
    await pause();
    await setProgramme({ state: 'active' });
    const first = await http.request('GET', '/audit?limit=1', { as: admin });
    const next = first.body.next as string;
    const [payload = '', ...signature] = next.split('.');
    const cursor = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      position: { day: string };
      to: string;
    };
    // 90 days after the period ends: read unchecked, each of those empty days would be walked.
    cursor.position = { day: new Date(Date.parse(cursor.to) + 90 * 86_400_000).toISOString().slice(0, 10) };
    const forged = [Buffer.from(JSON.stringify(cursor)).toString('base64url'), ...signature].join('.');

    const answer = await http.request('GET', `/audit?cursor=${forged}`, { as: admin });

    expect(answer.status).toBe(400);
    expect(answer.body.errors).toMatchObject([{ pointer: '/query/cursor' }]);
  });

  it(`reads at most ${AUDIT_DAYS_PER_PAGE} days a request, and the pages still reach every event`, async () => {
    // A quiet year with one event early in it, written straight to the table (events are dated now).
    const at = '2024-01-03T10:00:00.000Z';
    await api.db.send(
      new PutCommand({
        TableName: api.env.AUDIT_TABLE,
        Item: {
          pk: 'AUDIT#2024-01-03',
          sk: `${at}#early`,
          id: 'early',
          at,
          actor: 'someone',
          action: 'programme.pause',
          subjectType: 'programme',
          subjectId: 'programme',
        },
      }),
    );
    const pages: { events: { id: string }[]; next?: string }[] = [];
    let cursor: string | undefined;
    do {
      const query = cursor ? `cursor=${cursor}` : 'from=2024-01-01&to=2024-12-31';
      const page = await http.request('GET', `/audit?${query}`, { as: admin });
      expect(page.status).toBe(200);
      pages.push(page.body as (typeof pages)[number]);
      cursor = page.body.next as string | undefined;
    } while (cursor && pages.length < 100);

    expect(pages[0]).toMatchObject({ events: [], next: expect.any(String) as unknown });
    expect(pages).toHaveLength(Math.ceil(366 / AUDIT_DAYS_PER_PAGE));
    expect(pages.flatMap((p) => p.events.map((e) => e.id))).toEqual(['early']);
  });

  it('refuses a period that ends before it starts', async () => {
    const answer = await http.request('GET', '/audit?from=2026-02-01&to=2026-01-01', { as: admin });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toMatchObject([{ pointer: '/query/from' }]);
  });

  it('offers no way to change or delete an event', () => {
    const auditRoutes = ROUTE_LIST.filter((r) => r.path.startsWith('/audit'));
    expect(auditRoutes.map((r) => r.method)).toEqual(['GET']);
  });
});

describe('audit writes', () => {
  it('never overwrite an event: a second write of the same event fails and the first stays', async () => {
    const deps = await services(api.env);
    const event = {
      id: 'one-event',
      at: new Date().toISOString(),
      actor: 'first-writer',
      action: 'upload.create',
      subjectType: 'upload',
      subjectId: 'u1',
    };
    await deps.interviews.recordUpload(event);

    // Both ways an event is written: on its own, and in a transaction with the change it records.
    await expect(deps.interviews.recordUpload({ ...event, actor: 'second-writer' })).rejects.toThrow();
    const programme = await deps.programme.getProgramme();
    await expect(
      deps.programme.saveProgramme(programme, {
        ...event,
        actor: 'third-writer',
        action: 'programme.resume',
      }),
    ).rejects.toThrow();

    const stored = (await api.scan('AUDIT_TABLE')).filter((item) => item.id === 'one-event');
    expect(stored).toEqual([expect.objectContaining({ actor: 'first-writer', action: 'upload.create' })]);
  });
});
