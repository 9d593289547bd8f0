import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoReferralBarrierStore } from '../../functions/referrals/referral-store';
import { referralsWiring } from '../../functions/referrals/wiring';
import { demoSubject } from '../../local/issuer';
import type { SiteId } from '../../shared/domain/sites';
import { type Answer, client } from '../support/client';
import { startTestApi } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

type Caller = { role: 'practitioner' | 'provider' | 'evaluator'; site?: SiteId; user: string };

const practitioner = (user: string, site: SiteId = 'london'): Caller => ({
  role: 'practitioner',
  site,
  user,
});
const provider = (user: string, site: SiteId = 'london'): Caller => ({ role: 'provider', site, user });
const evaluator: Caller = { role: 'evaluator', user: 'eva' };

const report = async (as: Caller, note: string, site: SiteId = 'london'): Promise<string> => {
  const answer = await http.request('POST', `/sites/${site}/referral-barriers`, {
    as,
    body: {
      reporterRole: as.role === 'provider' ? 'provider-staff' : 'probation-practitioner',
      source: 'self-report',
      referring: 'sometimes',
      barriers: [{ code: 'workload', severity: 'high' }],
      enablers: ['co-location'],
      note,
    },
  });
  if (answer.status !== 201) throw new Error(`Could not report: ${answer.status}`);
  return answer.body.id as string;
};

const list = (as: Caller, site: SiteId = 'london', query = '') =>
  http.request('GET', `/sites/${site}/referral-barriers${query}`, { as });

const idsOf = (answer: Answer) => (answer.body.reports as { id: string }[]).map((r) => r.id);
const pointersOf = (answer: Answer) => (answer.body.errors as { pointer: string }[]).map((e) => e.pointer);

// Filed in this order, so newest first is the reverse.
const ana1 = await report(practitioner('ana'), 'Too busy this week to refer.');
const ben1 = await report(practitioner('ben'), 'Unsure who is eligible.');
const ana2 = await report(practitioner('ana'), 'Still too busy.');
const pat1 = await report(provider('pat'), 'Practitioners asked us what we offer.');
const elsewhere = await report(practitioner('ana', 'north-east'), 'Filed at another site.', 'north-east');

describe('GET /sites/{site}/referral-barriers', () => {
  it('gives a practitioner only the reports they filed at the site, newest first, without who filed them', async () => {
    const answer = await list(practitioner('ana'));

    expect(answer.status).toBe(200);
    expect(answer.body.scope).toBe('own');
    expect(idsOf(answer)).toEqual([ana2, ana1]);
    const [latest] = answer.body.reports as Record<string, unknown>[];
    expect(latest).toEqual({
      id: ana2,
      recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      reporterRole: 'probation-practitioner',
      source: 'self-report',
      referring: 'sometimes',
      barriers: [{ code: 'workload', severity: 'high' }],
      enablers: ['co-location'],
      note: 'Still too busy.',
    });
    expect(JSON.stringify(answer.body)).not.toContain('Unsure who is eligible');
  });

  it('gives provider staff only their own reports too', async () => {
    const answer = await list(provider('pat'));

    expect(answer.body.scope).toBe('own');
    expect(idsOf(answer)).toEqual([pat1]);
  });

  it('gives someone who has filed nothing an empty list', async () => {
    const answer = await list(practitioner('new-starter'));

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ site: 'london', scope: 'own', reports: [] });
  });

  it("gives evaluators every report of the site, newest first, and no other site's", async () => {
    const answer = await list(evaluator);

    expect(answer.body.scope).toBe('site');
    expect(idsOf(answer)).toEqual([pat1, ana2, ben1, ana1]);
    expect(idsOf(answer)).not.toContain(elsewhere);
    expect(JSON.stringify(answer.body)).not.toMatch(/reporter"/);
  });

  it('pages through the reports with signed cursors', async () => {
    const first = await list(evaluator, 'london', '?limit=3');
    const second = await list(
      evaluator,
      'london',
      `?limit=3&cursor=${encodeURIComponent(String(first.body.next))}`,
    );

    expect(idsOf(first)).toEqual([pat1, ana2, ben1]);
    expect(idsOf(second)).toEqual([ana1]);
    expect(second.body).not.toHaveProperty('next');
  });

  it("refuses an evaluator's cursor in a practitioner's listing, and one from another site", async () => {
    const next = String((await list(evaluator, 'london', '?limit=1')).body.next);

    const mine = await list(practitioner('ana'), 'london', `?cursor=${encodeURIComponent(next)}`);
    const otherSite = await list(evaluator, 'north-east', `?cursor=${encodeURIComponent(next)}`);

    expect(mine.status).toBe(400);
    expect(pointersOf(mine)).toEqual(['/query/cursor']);
    expect(otherSite.status).toBe(400);
    expect(pointersOf(otherSite)).toEqual(['/query/cursor']);
  });
});

describe('DynamoReferralBarrierStore.backfillReporterCopies', () => {
  it("gives reports stored before the reporters' lists were kept to their reporter, once", async () => {
    const deps = await referralsWiring(api.env);
    const store = new DynamoReferralBarrierStore(api.db, deps.tables);
    const id = '5c0ffee0-0000-4000-8000-000000000002';
    const submittedAt = '2025-01-05T09:00:00.000Z';
    // A report as it was stored before its reporter's copy was written beside it.
    await api.db.send(
      new PutCommand({
        TableName: api.env.RECORDS_TABLE,
        Item: {
          pk: 'BARRIER#london',
          sk: `${submittedAt}#${id}`,
          id,
          site: 'london',
          reporter: deps.pseudonymise(demoSubject('ben')),
          reporterRole: 'probation-practitioner',
          source: 'self-report',
          referring: 'no',
          barriers: [],
          enablers: [],
          submittedAt,
        },
      }),
    );
    expect(idsOf(await list(practitioner('ben')))).toEqual([ben1]);

    const written = await store.backfillReporterCopies('london');

    expect(written).toBe(1);
    expect(idsOf(await list(practitioner('ben')))).toEqual([ben1, id]);
    expect(idsOf(await list(practitioner('ana')))).toEqual([ana2, ana1]);
    expect(await store.backfillReporterCopies('london')).toBe(0);
  });
});
