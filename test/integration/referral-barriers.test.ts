import { afterAll, describe, expect, it } from 'vitest';
import { demoSubject } from '../../local/issuer';
import { DynamoReferralBarrierStore } from '../../functions/referrals/referral-store';
import type { SiteId } from '../../shared/domain/sites';
import { type Answer, client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const practitioner = (user: string, site: SiteId = 'london') => ({
  role: 'practitioner' as const,
  site,
  user,
});

const minimal = { reporterRole: 'probation-practitioner', source: 'self-report', referring: 'sometimes' };

const report = (
  body: unknown,
  as: { role: 'practitioner' | 'provider' | 'evaluator'; site?: SiteId; user: string } = practitioner('p1'),
  site: SiteId = 'london',
  headers?: Record<string, string>,
) => http.request('POST', `/sites/${site}/referral-barriers`, { as, body, ...(headers ? { headers } : {}) });

const pointersOf = (answer: Answer) => (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);
const barrierItems = async () =>
  (await api.scan('RECORDS_TABLE')).filter((item) => String(item.pk).startsWith('BARRIER#'));

describe('POST /sites/{site}/referral-barriers', () => {
  it('records a report with only who, where from and whether they refer, as 201', async () => {
    const answer = await report(minimal, practitioner('minimal'));

    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ site: 'london', redacted: {} });
    const stored = (await barrierItems()).find((item) => item.id === answer.body.id);
    expect(stored).toMatchObject({
      pk: 'BARRIER#london',
      sk: `${String(answer.body.recordedAt)}#${String(answer.body.id)}`,
      referring: 'sometimes',
      barriers: [],
      enablers: [],
    });
    expect(stored).not.toHaveProperty('note');
  });

  it('stores coded barriers and enablers as sent', async () => {
    const body = {
      ...minimal,
      referring: 'no',
      barriers: [
        { code: 'unclear-offer', severity: 'high' },
        { code: 'workload', severity: 'medium' },
      ],
      enablers: ['co-location', 'quick-feedback'],
    };

    const answer = await report(body, practitioner('coded'));

    expect(answer.status).toBe(201);
    const stored = (await barrierItems()).find((item) => item.id === answer.body.id);
    expect(stored).toMatchObject({ barriers: body.barriers, enablers: body.enablers, referring: 'no' });
  });

  it('accepts not referring with no barriers given, and empty lists', async () => {
    const answer = await report({ ...minimal, referring: 'no', barriers: [], enablers: [] });
    expect(answer.status).toBe(201);
  });

  it('stores the reporter only as a keyed pseudonym, never the token subject', async () => {
    const answer = await report(minimal, practitioner('reporter-pseudonymous'));

    const stored = (await barrierItems()).find((item) => item.id === answer.body.id);
    expect(typeof stored?.reporter).toBe('string');
    const everything = JSON.stringify([
      ...(await api.scan('RECORDS_TABLE')),
      ...(await api.scan('AUDIT_TABLE')),
    ]);
    expect(everything).not.toContain(demoSubject('reporter-pseudonymous'));
    expect(everything).not.toContain('reporter-pseudonymous');
  });

  it('redacts the note before storing it and says what it removed', async () => {
    const answer = await report({
      ...minimal,
      note: 'Ring 07700 900321 or write to duty@example.org about case X123456',
    });

    expect(answer.status).toBe(201);
    expect(answer.body.redacted).toMatchObject({ phone: 1, email: 1, 'case-reference': 1 });
    const stored = JSON.stringify(await barrierItems());
    expect(stored).not.toContain('07700 900321');
    expect(stored).not.toContain('duty@example.org');
    expect(stored).not.toContain('X123456');
    expect(stored).toContain('[phone number removed]');
  });

  it('writes one audit event with every report, naming the report by id', async () => {
    const before = await api.scan('AUDIT_TABLE');

    const answer = await report(minimal, practitioner('audited'));

    const after = await api.scan('AUDIT_TABLE');
    expect(after).toHaveLength(before.length + 1);
    expect(after.find((e) => e.subjectId === answer.body.id)).toMatchObject({
      action: 'referral-barrier.create',
      subjectType: 'referral-barrier',
    });
  });

  it('lets a provider report for their own site and an evaluator for any site', async () => {
    const provider = await report(minimal, { role: 'provider', site: 'london', user: 'prov' });
    const evaluator = await report(
      { ...minimal, source: 'interview' },
      { role: 'evaluator', user: 'eve' },
      'north-east',
    );

    expect([provider.status, evaluator.status]).toEqual([201, 201]);
    expect(evaluator.body.site).toBe('north-east');
  });

  it('answers 403 to a practitioner reporting for another site, writing nothing', async () => {
    const before = (await barrierItems()).length;

    const answer = await report(minimal, practitioner('elsewhere', 'london'), 'yorkshire-humber');

    expect(answer.status).toBe(403);
    expect(await barrierItems()).toHaveLength(before);
  });

  it.each([
    [
      'a barrier given twice',
      {
        ...minimal,
        barriers: [
          { code: 'workload', severity: 'low' },
          { code: 'referral-process', severity: 'low' },
          { code: 'workload', severity: 'high' },
        ],
      },
      '/body/barriers/2/code',
    ],
    ['an enabler given twice', { ...minimal, enablers: ['clear-offer', 'clear-offer'] }, '/body/enablers/1'],
    [
      'an unknown barrier code',
      { ...minimal, barriers: [{ code: 'weather', severity: 'low' }] },
      '/body/barriers/0/code',
    ],
    [
      'an unknown severity',
      { ...minimal, barriers: [{ code: 'workload', severity: 'huge' }] },
      '/body/barriers/0/severity',
    ],
    [
      'a barrier without a severity',
      { ...minimal, barriers: [{ code: 'workload' }] },
      '/body/barriers/0/severity',
    ],
    [
      'an extra field in a barrier',
      { ...minimal, barriers: [{ code: 'workload', severity: 'low', why: 'x' }] },
      '/body/barriers/0/why',
    ],
    ['an unknown enabler', { ...minimal, enablers: ['free-lunch'] }, '/body/enablers/0'],
    ['an extra field', { ...minimal, name: 'Sam' }, '/body/name'],
    ['an over-long note', { ...minimal, note: 'x'.repeat(501) }, '/body/note'],
    ['a missing referring', { reporterRole: 'prison-staff', source: 'self-report' }, '/body/referring'],
    ['an unknown referring', { ...minimal, referring: 'rarely' }, '/body/referring'],
    ['an unknown reporter role', { ...minimal, reporterRole: 'judge' }, '/body/reporterRole'],
    ['an unknown source', { ...minimal, source: 'rumour' }, '/body/source'],
  ])('answers 400 naming the field for %s, and writes nothing', async (_case, body, pointer) => {
    const before = await api.scan('RECORDS_TABLE');

    const answer = await report(body);

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(pointersOf(answer)).toContain(pointer);
    expect(await api.scan('RECORDS_TABLE')).toHaveLength(before.length);
  });

  it('keeps a note of exactly 500 characters', async () => {
    const answer = await report({ ...minimal, note: 'y'.repeat(500) });
    expect(answer.status).toBe(201);
  });

  it('replays the first answer for the same Idempotency-Key, storing one report', async () => {
    const key = { 'idempotency-key': 'barrier-retry-1' };
    const first = await report(minimal, practitioner('retrying'), 'london', key);
    const replay = await report(minimal, practitioner('retrying'), 'london', key);

    expect(replay.body).toEqual(first.body);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await barrierItems()).filter((item) => item.id === first.body.id)).toHaveLength(1);
  });

  it('answers 423 while the programme is paused, writing nothing', async () => {
    const before = (await barrierItems()).length;
    await whilePaused(api, async () => {
      const answer = await report(minimal, practitioner('paused'));
      expect(answer).toMatchObject({
        status: 423,
        body: { detail: 'Paused while the competition is open.' },
      });
    });
    expect(await barrierItems()).toHaveLength(before);
  });
});

describe('DynamoReferralBarrierStore.listReferralBarriers', () => {
  it("lists a site's reports for a period, oldest first, and no other site's", async () => {
    const store = new DynamoReferralBarrierStore(api.db, {
      records: api.env.RECORDS_TABLE ?? '',
      audit: api.env.AUDIT_TABLE ?? '',
    });
    const audit = (id: string) => ({
      id: `audit-${id}`,
      at: '2025-02-01T00:00:00.000Z',
      actor: 'a',
      action: 'referral-barrier.create',
      subjectType: 'referral-barrier',
      subjectId: id,
    });
    const at = (id: string, site: SiteId, submittedAt: string) => ({
      id,
      site,
      reporter: 'r',
      reporterRole: 'prison-staff' as const,
      source: 'self-report' as const,
      referring: 'yes' as const,
      barriers: [],
      enablers: [],
      submittedAt,
    });
    await store.saveReferralBarrier(at('late', 'north-east', '2025-02-28T23:59:00.000Z'), audit('late'));
    await store.saveReferralBarrier(at('early', 'north-east', '2025-02-01T00:00:00.000Z'), audit('early'));
    await store.saveReferralBarrier(at('march', 'north-east', '2025-03-01T00:00:00.000Z'), audit('march'));
    await store.saveReferralBarrier(
      at('other', 'yorkshire-humber', '2025-02-10T00:00:00.000Z'),
      audit('other'),
    );

    const february = await store.listReferralBarriers('north-east', '2025-02-01', '2025-02-28');

    expect(february.map((r) => r.id)).toEqual(['early', 'late']);
    expect(february[0]).not.toHaveProperty('pk');
  });
});
