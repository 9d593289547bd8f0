import { afterAll, describe, expect, it } from 'vitest';
import { client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const evaluator = { role: 'evaluator' as const, user: 'preview-evaluator' };
const provider = { role: 'provider' as const, site: 'north-east' as const, user: 'preview-worker' };
const TEXT = 'My worker dani rang Tolulope Adeyemi on 07700 900123 about the room in Bury; born 1987-11-04.';

describe('POST /redactions', () => {
  it('answers the text as it would be stored, with the kinds and counts removed', async () => {
    const answer = await http.request('POST', '/redactions', { as: evaluator, body: { text: TEXT } });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      text: 'My worker [name removed] rang [name removed] on [phone number removed] about the room in Bury; born [date of birth removed].',
      removed: [
        { kind: 'phone', count: 1 },
        { kind: 'date-of-birth', count: 1 },
        { kind: 'name', count: 2 },
      ],
    });
  });

  it('removes the names the caller lists, for a provider of any site', async () => {
    const answer = await http.request('POST', '/redactions', {
      as: provider,
      body: { text: 'marsh said the group helps.', names: ['Danielle Marsh'] },
    });

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      text: '[name removed] said the group helps.',
      removed: [{ kind: 'name', count: 1 }],
    });
  });

  it('stores nothing: no record, no audit event, no copy for an Idempotency-Key, which is ignored', async () => {
    const before = await Promise.all([
      api.scan('RECORDS_TABLE'),
      api.scan('AUDIT_TABLE'),
      api.scan('IDEMPOTENCY_TABLE'),
    ]);
    const headers = { 'idempotency-key': 'preview-1' };
    const first = await http.request('POST', '/redactions', { as: evaluator, headers, body: { text: TEXT } });
    // The same key with another body would be a 422 on a route that keeps copies.
    const second = await http.request('POST', '/redactions', {
      as: evaluator,
      headers,
      body: { text: 'Nothing to remove here.' },
    });
    const after = await Promise.all([
      api.scan('RECORDS_TABLE'),
      api.scan('AUDIT_TABLE'),
      api.scan('IDEMPOTENCY_TABLE'),
    ]);

    expect(first.status).toBe(200);
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ text: 'Nothing to remove here.', removed: [] });
    expect(second.headers.get('idempotent-replayed')).toBeNull();
    expect(after).toEqual(before);
  });

  it('works while early testing is paused: it is not a submission', async () => {
    const answer = await whilePaused(api, () =>
      http.request('POST', '/redactions', { as: evaluator, body: { text: 'Call 07700 900123.' } }),
    );

    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      text: 'Call [phone number removed].',
      removed: [{ kind: 'phone', count: 1 }],
    });
  });

  it('refuses unknown fields, an empty text and a text longer than an interview summary', async () => {
    const unknown = await http.request('POST', '/redactions', {
      as: evaluator,
      body: { text: 'x', save: true },
    });
    const empty = await http.request('POST', '/redactions', { as: evaluator, body: { text: '' } });
    const long = await http.request('POST', '/redactions', {
      as: evaluator,
      body: { text: 'a'.repeat(1001) },
    });

    expect([unknown.status, empty.status, long.status]).toEqual([400, 400, 400]);
    expect(long.body).toMatchObject({ errors: [expect.objectContaining({ pointer: '/body/text' })] });
  });
});
