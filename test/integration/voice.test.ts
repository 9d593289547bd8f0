import { readFileSync } from 'node:fs';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { pseudonymiser } from '../../shared/adapters/pseudonymiser';
import type { StoredFeedbackAnswer } from '../../functions/voice/feedback';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';
import { changeBody, createFeedbackLink, feedbackAnswer } from '../support/voice';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const PROVIDER = { role: 'provider', site: 'london', user: 'lina' } as const;
const EVALUATOR = { role: 'evaluator', user: 'eve' } as const;

const records = () => api.scan('RECORDS_TABLE');
const linkItems = async () => (await records()).filter((i) => String(i.pk).startsWith('FEEDBACK-LINK#'));
const answerItems = async (site = 'london') => (await records()).filter((i) => i.pk === `FEEDBACK#${site}`);

describe('a feedback link, from creation to its one answer', () => {
  it('is made by a provider of the site, opens the easy-read questions without an account, and takes one answer', async () => {
    const created = await http.request('POST', '/sites/london/feedback-links', {
      as: PROVIDER,
      body: { kind: 'during-support' },
    });
    expect(created.status).toBe(201);
    const token = String(created.body.token);
    // 24 random bytes, base64url: 192 bits.
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(created.body.path).toBe(`/feedback/${token}`);
    const expires = Date.parse(String(created.body.expiresAt)) - Date.now();
    expect(expires).toBeGreaterThan(13.9 * 86_400_000);
    expect(expires).toBeLessThanOrEqual(14 * 86_400_000);

    const form = await http.request('GET', `/feedback/${token}`);
    expect(form.status).toBe(200);
    expect(form.headers.get('referrer-policy')).toBe('no-referrer');
    expect(form.body).toMatchObject({
      kind: 'during-support',
      questionnaire: { id: 'feedback-easy-read', version: 1 },
    });

    const answered = await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() });
    expect(answered).toMatchObject({ status: 201, body: { interestPassedOn: false } });
    expect(await answerItems()).toHaveLength(1);
  });

  it('answers 410 to a second answer and to opening a spent link, and keeps only the first answer', async () => {
    const token = await createFeedbackLink(http, 'yorkshire-humber');
    expect((await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() })).status).toBe(201);
    const again = await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer('no', 'again') });
    expect(again.status).toBe(410);
    expect(again.headers.get('content-type')).toBe('application/problem+json');
    expect((await http.request('GET', `/feedback/${token}`)).status).toBe(410);
    expect(await answerItems('yorkshire-humber')).toHaveLength(1);
  });

  it('answers an unknown link exactly as a spent one, so a link cannot be probed', async () => {
    const unknown = await http.request('POST', `/feedback/${'A'.repeat(32)}`, { body: feedbackAnswer() });
    const token = await createFeedbackLink(http, 'london');
    await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() });
    const spent = await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() });
    expect(unknown.status).toBe(410);
    expect({ ...unknown.body, instance: undefined }).toEqual({ ...spent.body, instance: undefined });
  });

  it('answers 410 once the link has run out, even before DynamoDB has deleted it', async () => {
    const token = await createFeedbackLink(http, 'london');
    const before = await linkItems();
    const hash = `FEEDBACK-LINK#${pseudonymiser(key())('feedback-link', token)}`;
    expect(before.map((i) => i.pk)).toContain(hash);
    await api.db.send(
      new UpdateCommand({
        TableName: api.env.RECORDS_TABLE,
        Key: { pk: hash, sk: 'LINK' },
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    const answersBefore = (await answerItems()).length;
    expect((await http.request('GET', `/feedback/${token}`)).status).toBe(410);
    expect((await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() })).status).toBe(410);
    expect(await answerItems()).toHaveLength(answersBefore);
  });

  it('stores the answer at the link’s own site: the site comes from the link, never the caller', async () => {
    const token = await createFeedbackLink(http, 'north-east');
    expect((await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() })).status).toBe(201);
    const northEast = await answerItems('north-east');
    expect(northEast).toHaveLength(1);
    expect(northEast[0]).toMatchObject({ site: 'north-east', kind: 'during-support' });
  });

  it('refuses a link for another site to a provider (403)', async () => {
    const answer = await http.request('POST', '/sites/north-east/feedback-links', {
      as: PROVIDER,
      body: { kind: 'at-exit' },
    });
    expect(answer.status).toBe(403);
  });

  it('takes exactly one of several answers sent at the same moment', async () => {
    const token = await createFeedbackLink(http, 'london', { kind: 'at-exit' });
    const before = (await answerItems()).length;
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => http.request('POST', `/feedback/${token}`, { body: feedbackAnswer() })),
    );
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, 410, 410, 410, 410, 410]);
    expect(await answerItems()).toHaveLength(before + 1);
  });

  it('refuses a provider reference shaped like a national identifier', async () => {
    const answer = await http.request('POST', '/sites/london/feedback-links', {
      as: PROVIDER,
      body: { kind: 'at-exit', participantRef: 'X123456' },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([
      expect.objectContaining({ pointer: '/body/participantRef' }) as unknown,
    ]);
  });
});

function key(): Buffer {
  return Buffer.from(readFileSync(String(api.env.PSEUDONYM_KEY_FILE), 'utf8').trim(), 'base64');
}

describe('anonymity: nothing stored joins an answer to a person, a link or a request to talk', () => {
  it('keeps the answer, the request to talk and the audit apart, with nothing in common but site and month', async () => {
    const ref = 'CLW-ANON-77';
    const token = await createFeedbackLink(http, 'london', { participantRef: ref, kind: 'at-exit' });
    const hash = pseudonymiser(key())('feedback-link', token);
    const [link] = (await linkItems()).filter((i) => i.pk === `FEEDBACK-LINK#${hash}`);
    expect(link).toBeDefined();
    const sealedInLink = String(link?.sealedReference);
    // The link holds the reference sealed only, and nothing else about the person.
    expect(Object.keys(link ?? {}).sort()).toEqual(
      ['expiresAt', 'kind', 'pk', 'questionnaireVersion', 'sealedReference', 'site', 'sk'].sort(),
    );

    const answersBefore = new Set((await answerItems()).map((i) => i.sk));
    const interestBefore = new Set(
      (await records()).filter((i) => i.pk === 'INTEREST#london').map((i) => i.sk),
    );
    const answered = await http.request('POST', `/feedback/${token}`, {
      body: feedbackAnswer('yes', 'My worker rang me on 07700 900123 to remind me.'),
    });
    expect(answered).toMatchObject({ status: 201, body: { interestPassedOn: true, redacted: { phone: 1 } } });

    const all = [
      ...(await records()),
      ...(await api.scan('AUDIT_TABLE')),
      ...(await api.scan('IDEMPOTENCY_TABLE')),
    ];
    const text = JSON.stringify(all);
    // Neither the link, its hash, the reference nor the person's pseudonym is stored anywhere.
    for (const secret of [
      token,
      hash,
      ref,
      sealedInLink,
      pseudonymiser(key())('participant', `london:${ref}`),
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).not.toContain('07700 900123');

    const answer = (await answerItems()).find((i) => !answersBefore.has(i.sk));
    const interest = (await records()).find((i) => i.pk === 'INTEREST#london' && !interestBefore.has(i.sk));
    expect(Object.keys(answer ?? {}).sort()).toEqual(
      ['answers', 'id', 'kind', 'month', 'pk', 'questionnaireVersion', 'site', 'sk', 'words'].sort(),
    );
    // Whether the person would talk is not part of the answer: it cannot single out the answer.
    expect(answer?.answers).not.toHaveProperty('talkToEvaluator');
    expect(answer?.month).toMatch(/^\d{4}-\d{2}$/);
    expect(Object.keys(interest ?? {}).sort()).toEqual(
      ['askedIn', 'id', 'pk', 'sealedReference', 'site', 'sk', 'status'].sort(),
    );
    const values = (item: Record<string, unknown> | undefined) =>
      new Set(Object.values(item ?? {}).map((v) => JSON.stringify(v)));
    const shared = [...values(answer)].filter((v) => values(interest).has(v));
    expect(shared.sort()).toEqual([JSON.stringify(answer?.month), JSON.stringify('london')].sort());
    // Sealed afresh: the request's ciphertext does not match the link's.
    expect(interest?.sealedReference).not.toBe(sealedInLink);

    // No audit event is written for the answer: it has no actor, and its time would join it to the link.
    const audit = await api.scan('AUDIT_TABLE');
    expect(audit.filter((e) => String(e.action).startsWith('feedback-answer'))).toEqual([]);
    const creations = audit.filter((e) => e.action === 'feedback-link.create');
    expect(
      creations.every(
        (e) => e.subjectId === 'london' || e.subjectId === 'north-east' || e.subjectId === 'yorkshire-humber',
      ),
    ).toBe(true);

    // The site's provider can pass the request on; an evaluator sees counts and the queue only.
    const forProvider = await http.request('GET', '/sites/london/involvement-interest', { as: PROVIDER });
    expect(forProvider.body).toMatchObject({ view: 'provider' });
    expect(forProvider.body.waitingRequests).toContainEqual(
      expect.objectContaining({ id: interest?.id, reference: ref }),
    );
    const forEvaluator = await http.request('GET', '/sites/london/involvement-interest', { as: EVALUATOR });
    expect(forEvaluator.body).toMatchObject({ view: 'evaluator', waiting: 1 });
    expect(JSON.stringify(forEvaluator.body)).not.toContain(ref);
  });

  it('records whether the person was reached and after how many attempts, and drops the reference then', async () => {
    const listed = await http.request('GET', '/sites/london/involvement-interest', { as: EVALUATOR });
    const [waiting] = listed.body.queue as { id: string }[];
    const recorded = await http.request('PUT', `/sites/london/involvement-interest/${waiting?.id}`, {
      as: EVALUATOR,
      body: { reached: true, attempts: 4 },
    });
    expect(recorded).toMatchObject({ status: 200, body: { status: 'reached', attempts: 4 } });
    const item = (await records()).find((i) => i.pk === 'INTEREST#london' && i.sk === waiting?.id);
    expect(item).toMatchObject({ status: 'reached', attempts: 4 });
    expect(item).not.toHaveProperty('sealedReference');
    const after = await http.request('GET', '/sites/london/involvement-interest', { as: PROVIDER });
    expect(after.body).toMatchObject({ waiting: 0, reached: 1, attempts: 4, waitingRequests: [] });
    const unknown = await http.request('PUT', `/sites/london/involvement-interest/${crypto.randomUUID()}`, {
      as: EVALUATOR,
      body: { reached: false, attempts: 1 },
    });
    expect(unknown.status).toBe(404);
  });

  it('registers no request to talk when the provider gave no reference', async () => {
    const token = await createFeedbackLink(http, 'yorkshire-humber');
    const answered = await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer('yes') });
    expect(answered.body).toMatchObject({ interestPassedOn: false });
    expect((await records()).filter((i) => i.pk === 'INTEREST#yorkshire-humber')).toEqual([]);
  });
});

describe('the evaluators’ summary', () => {
  it('refuses a quarter that has not ended', async () => {
    const now = new Date();
    const quarter = `${now.getUTCFullYear()}-Q${Math.floor(now.getUTCMonth() / 3) + 1}`;
    const answer = await http.request('GET', `/feedback/summary?period=${quarter}`, { as: EVALUATOR });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ pointer: '/query/period', detail: expect.any(String) as unknown }]);
  });

  it('shows the programme and hides sites and counts under the threshold', async () => {
    const answer = (site: 'london' | 'north-east', n: number, kind: 'during-support' | 'at-exit') =>
      Array.from({ length: n }, (_, i): StoredFeedbackAnswer => ({
        id: crypto.randomUUID(),
        site,
        kind,
        month: '2025-08',
        questionnaireVersion: 1,
        answers: { wouldRecommend: i < 2 ? 'no' : 'yes', keepsComing: ['same-worker'] },
      }));
    // London 7 during support; North East 2 at exit (under 5); written as the store keeps them.
    await Promise.all(
      [...answer('london', 7, 'during-support'), ...answer('north-east', 2, 'at-exit')].map((a) =>
        api.db.send(
          new UpdateCommand({
            TableName: api.env.RECORDS_TABLE,
            Key: { pk: `FEEDBACK#${a.site}`, sk: `${a.month}#${a.id}` },
            UpdateExpression:
              'SET id = :id, site = :site, kind = :kind, #month = :month, questionnaireVersion = :v, answers = :answers',
            ExpressionAttributeNames: { '#month': 'month' },
            ExpressionAttributeValues: {
              ':id': a.id,
              ':site': a.site,
              ':kind': a.kind,
              ':month': a.month,
              ':v': 1,
              ':answers': a.answers,
            },
          }),
        ),
      ),
    );
    const summary = await http.request('GET', '/feedback/summary?period=2025-Q3', { as: EVALUATOR });
    expect(summary.status).toBe(200);
    const groups = summary.body.groups as Record<string, unknown>[];
    const programme = groups.find((g) => g.scope === 'programme');
    expect(programme).toMatchObject({ status: 'shown', answers: 9 });
    // 7 and 2 by kind: 2 is under 5, and 7 would give it away from the total of 9.
    expect(programme?.byKind).toEqual({ 'during-support': null, 'at-exit': null });
    const recommend = (
      programme?.questions as { id: string; choices: { id: string; people: number | null }[] }[]
    ).find((q) => q.id === 'wouldRecommend');
    // 4 said no (under 5), so 5 saying yes is hidden too: the two add up to the 9 shown.
    expect(recommend?.choices).toEqual([
      { id: 'yes', people: null },
      { id: 'maybe', people: 0 },
      { id: 'no', people: null },
    ]);
    // North East has 2: suppressed, and London with it, or London's 7 would give away North East's 2.
    expect(groups.find((g) => g.site === 'north-east')).toMatchObject({ status: 'suppressed' });
    expect(groups.find((g) => g.site === 'london')).toMatchObject({ status: 'suppressed' });
  });
});

describe('the easy-read questionnaire', () => {
  it('is served like the other questionnaires, versioned', async () => {
    const answer = await http.request('GET', '/questionnaires/feedback-easy-read', {
      as: { role: 'practitioner', site: 'london', user: 'pat' },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ id: 'feedback-easy-read', version: 1 });
    expect((answer.body.questions as { id: string }[]).map((q) => q.id)).toEqual([
      'understandsOffer',
      'helps',
      'keepsComing',
      'getsInTheWay',
      'wouldRecommend',
      'talkToEvaluator',
    ]);
  });
});

describe('you said, we did', () => {
  it('is recorded by an evaluator, redacted, and listed to providers', async () => {
    const recorded = await http.request('POST', '/changes', {
      as: EVALUATOR,
      body: { ...changeBody(['north-east', 'london']), heard: 'Ring 07700 900123 said people: times clash.' },
    });
    expect(recorded).toMatchObject({
      status: 201,
      body: { sites: ['north-east', 'london'], redacted: { phone: 1 } },
    });
    expect(String(recorded.body.heard)).not.toContain('07700');
    const listed = await http.request('GET', '/changes', { as: PROVIDER });
    expect(listed.status).toBe(200);
    expect(listed.body.changes).toContainEqual(expect.objectContaining({ id: recorded.body.id }));
    expect((await http.request('GET', '/changes', { as: { role: 'market', user: 'm' } })).status).toBe(403);
  });
});
