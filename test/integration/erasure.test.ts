import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { canonicalParticipantRef } from '../../functions/participants/participants';
import type { SiteId } from '../../shared/domain/sites';
import { services } from '../../local/services';
import { capitalBody, uniqueRef } from '../support/capital';
import { client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';

const api = await startTestApi();
const http = client(api);
const deps = await services(api.env);
afterAll(() => api.stop());

const SITE: SiteId = 'north-east';
const provider = (site: SiteId = SITE) => ({ role: 'provider' as const, site, user: 'worker' });
const evaluator = { role: 'evaluator' as const, user: 'eve' };

const assess = (body: unknown, key?: string) =>
  http.request('POST', `/sites/${SITE}/capital-assessments`, {
    as: provider(),
    body,
    ...(key ? { headers: { 'idempotency-key': key } } : {}),
  });

const erase = (ref: string, as: ReturnType<typeof provider> | typeof evaluator = provider(), site = SITE) =>
  http.request('DELETE', `/sites/${site}/participants/${ref}`, { as });

const pseudonymOf = (ref: string) => deps.pseudonymiseParticipant(SITE, canonicalParticipantRef(ref));

/** Everything in every table, as one string to search. */
const everything = async () =>
  JSON.stringify([
    ...(await api.scan('RECORDS_TABLE')),
    ...(await api.scan('AUDIT_TABLE')),
    ...(await api.scan('IDEMPOTENCY_TABLE')),
  ]);

/** A participant with a baseline and a follow-up, each sent with an Idempotency-Key. */
async function participantWithHistory(ref: string) {
  const baseline = await assess(capitalBody(ref, { date: '2025-01-06', score: 2 }), `${ref}-b`);
  const followUp = await assess(
    capitalBody(ref, { kind: 'follow-up', date: '2025-04-01', score: 4 }),
    `${ref}-f`,
  );
  expect([baseline.status, followUp.status]).toEqual([201, 201]);
  return { checkIds: [baseline.body.id as string, followUp.body.id as string] };
}

describe('DELETE /sites/{site}/participants/{ref}', () => {
  it('erases every check, the summary and the Idempotency-Key copies, and says how many', async () => {
    const ref = uniqueRef('ERASE');
    await participantWithHistory(ref);
    const pseudonym = pseudonymOf(ref);
    expect(await everything()).toContain(pseudonym);
    const copies = async () =>
      (await api.scan('IDEMPOTENCY_TABLE')).filter((item) => !String(item.pk).startsWith('ERASED#'));
    const tombstones = async () => (await api.scan('IDEMPOTENCY_TABLE')).length - (await copies()).length;
    const [copiesBefore, tombstonesBefore] = [(await copies()).length, await tombstones()];

    const answer = await erase(ref);

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ site: SITE, erased: { checks: 2, summaries: 1, idempotencyCopies: 2 } });
    expect(await everything()).not.toContain(pseudonym);
    expect(await copies()).toHaveLength(copiesBefore - 2);
    expect(await tombstones()).toBe(tombstonesBefore + 2);
  });

  it('refuses a replay of an Idempotency-Key about the erased participant with 410: the person does not come back', async () => {
    const ref = uniqueRef('REPLAY');
    const body = capitalBody(ref, { date: '2025-01-06' });
    await assess(body, 'replay-after-erasure');
    await erase(ref);

    const again = await assess(body, 'replay-after-erasure');

    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect(again.body).toMatchObject({ status: 410, title: 'Gone' });
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(await everything()).not.toContain(pseudonymOf(ref));
    expect((await erase(ref)).body).toMatchObject({ erased: { checks: 0, summaries: 0 } });
  });

  it('still takes a new check of the same person under a new key, with their fresh consent', async () => {
    const ref = uniqueRef('ANEW');
    await assess(capitalBody(ref, { date: '2025-01-06' }), `${ref}-old`);
    await erase(ref);

    const fresh = await assess(capitalBody(ref, { date: '2025-02-03' }), `${ref}-new`);

    expect(fresh.status).toBe(201);
  });

  it('keeps the fact in the audit log, under a fresh id: never the pseudonym, the reference or a check id', async () => {
    const ref = uniqueRef('AUDIT');
    const { checkIds } = await participantWithHistory(ref);
    const before = new Set((await api.scan('AUDIT_TABLE')).map((e) => e.id));

    await erase(ref);

    const added = (await api.scan('AUDIT_TABLE')).filter((e) => !before.has(e.id));
    expect(added).toEqual([
      expect.objectContaining({ action: 'participant.erase', subjectType: 'participant' }),
    ]);
    const subjectId = added[0]?.subjectId as string;
    expect([pseudonymOf(ref), ref, ...checkIds]).not.toContain(subjectId);
    const audit = JSON.stringify(await api.scan('AUDIT_TABLE'));
    expect(audit).not.toContain(pseudonymOf(ref));
    expect(audit.toUpperCase()).not.toContain(ref.toUpperCase());
  });

  it('is idempotent: a second erasure finds nothing and still answers 200', async () => {
    const ref = uniqueRef('AGAIN');
    await participantWithHistory(ref);
    await erase(ref);
    const second = await erase(ref);
    expect(second).toMatchObject({
      status: 200,
      body: { site: SITE, erased: { checks: 0, summaries: 0, idempotencyCopies: 0 } },
    });
  });

  it('answers 200 with zero counts for a reference never seen', async () => {
    const answer = await erase(uniqueRef('NEVER'));
    expect(answer).toMatchObject({
      status: 200,
      body: { erased: { checks: 0, summaries: 0, idempotencyCopies: 0 } },
    });
  });

  it('finds the participant whatever the case of the reference', async () => {
    const ref = uniqueRef('case');
    await participantWithHistory(ref);
    const answer = await erase(ref.toUpperCase());
    expect(answer.body).toMatchObject({ erased: { checks: 2, summaries: 1 } });
  });

  it('touches no other participant', async () => {
    const [gone, stays] = [uniqueRef('GONE'), uniqueRef('STAYS')];
    await participantWithHistory(gone);
    await participantWithHistory(stays);
    await erase(gone);
    const records = await deps.capital.findParticipantRecords(SITE, pseudonymOf(stays));
    expect(records).toMatchObject({ checks: 2, summaryVersion: 2 });
    expect(records.idempotencyRecords).toHaveLength(2);
  });

  it('drops the participant from the follow-up list', async () => {
    const ref = uniqueRef('LISTED');
    await assess(capitalBody(ref, { date: '2025-01-06' }));
    const listed = async () =>
      JSON.stringify((await http.request('GET', `/sites/${SITE}/follow-ups`, { as: provider() })).body);
    expect(await listed()).toContain(ref);
    await erase(ref);
    expect(await listed()).not.toContain(ref);
  });

  it('can be asked for by an evaluator', async () => {
    const ref = uniqueRef('EVAL');
    await participantWithHistory(ref);
    const answer = await erase(ref, evaluator);
    expect(answer.body).toMatchObject({ erased: { checks: 2, summaries: 1, idempotencyCopies: 2 } });
  });

  it('answers 403 to a provider of another site, erasing nothing', async () => {
    const ref = uniqueRef('OTHER');
    await participantWithHistory(ref);
    const answer = await erase(ref, provider('london'));
    expect(answer.status).toBe(403);
    expect((await deps.capital.findParticipantRecords(SITE, pseudonymOf(ref))).checks).toBe(2);
  });

  it('works while the programme is paused: withdrawing consent is never refused', async () => {
    const ref = uniqueRef('PAUSED');
    await participantWithHistory(ref);
    await whilePaused(api, async () => {
      const refused = await assess(capitalBody(uniqueRef('NEW')));
      const answer = await erase(ref);
      expect(refused.status).toBe(423);
      expect(answer).toMatchObject({ status: 200, body: { erased: { checks: 2, summaries: 1 } } });
    });
  });

  it('erases a participant with more items than one transaction takes', async () => {
    const ref = uniqueRef('MANY');
    await assess(capitalBody(ref, { date: '2024-01-01' }));
    const pseudonym = pseudonymOf(ref);
    // Far more checks than a real participant has, written straight to the table, beside its summary.
    const home = (await api.scan('RECORDS_TABLE')).find((i) => i.sk === `SUMMARY#${pseudonym}`)?.pk;
    expect(home).toMatch(new RegExp(`^CAPITAL#${SITE}#\\d$`));
    await Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        api.db.send(
          new PutCommand({
            TableName: api.env.RECORDS_TABLE,
            Item: {
              pk: home,
              sk: `CHECK#${pseudonym}#2024-02-01#extra-${i}`,
              participant: pseudonym,
            },
          }),
        ),
      ),
    );
    const answer = await erase(ref);
    expect(answer.body).toMatchObject({ erased: { checks: 151, summaries: 1 } });
    expect(await everything()).not.toContain(pseudonym);
  });

  it.each([
    ['a space', 'CLW%201'],
    ['a dot', 'CLW.1'],
    ['over 40 characters', 'R'.repeat(41)],
  ])('answers 400 at /path/ref for a reference with %s', async (_case, ref) => {
    const answer = await erase(ref);
    expect(answer).toMatchObject({ status: 400, body: { errors: [{ pointer: '/path/ref' }] } });
  });
});
