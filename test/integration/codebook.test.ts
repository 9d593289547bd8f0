import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_THEMES_PER_AREA } from '../../functions/findings/codebook';
import { client } from '../support/client';
import { startTestApi, whilePaused } from '../support/environment';
import { counts, createTheme, EVALUATOR, uniqueThemeName } from '../support/findings';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const addTheme = (body: unknown) => http.request('POST', '/codebook/themes', { as: EVALUATOR, body });
const pointers = (body: Record<string, unknown>) =>
  (body.errors as { pointer: string }[]).map((e) => e.pointer);

describe('GET /codebook', () => {
  it('lists question areas 4.3 to 4.8 with their questions, and outcomes a to j with their level', async () => {
    const answer = await http.request('GET', '/codebook', { as: EVALUATOR });

    expect(answer.status).toBe(200);
    const areas = answer.body.areas as { code: string; title: string; questions: string[] }[];
    const outcomes = answer.body.outcomes as { code: string; level: string }[];
    expect(areas.map((a) => a.code)).toEqual(['4.3', '4.4', '4.5', '4.6', '4.7', '4.8']);
    for (const area of areas) expect(area.questions.length).toBeGreaterThan(0);
    expect(outcomes.map((o) => o.code).join('')).toBe('abcdefghij');
    expect(outcomes.filter((o) => o.level === 'person').map((o) => o.code)).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
    expect(outcomes.filter((o) => o.level === 'system').map((o) => o.code)).toEqual(['g', 'h', 'i', 'j']);
  });

  it('lists the themes added so far, with their area and when they were added', async () => {
    const name = uniqueThemeName('Listed');
    const id = await createTheme(http, '4.6', name);

    const answer = await http.request('GET', '/codebook', { as: EVALUATOR });

    expect(answer.body.themes).toContainEqual({
      id,
      area: '4.6',
      name,
      createdAt: expect.any(String) as string,
    });
  });
});

describe('POST /codebook/themes', () => {
  it('adds a theme under one question area and answers 201 with its id', async () => {
    const answer = await addTheme({ area: '4.5', name: '  Referral form   too long ' });

    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      id: expect.any(String) as string,
      area: '4.5',
      name: 'Referral form too long',
    });
  });

  it('writes a theme.create audit event naming the theme by id, in the same transaction', async () => {
    const before = await counts(api);

    const answer = await addTheme({ area: '4.7', name: uniqueThemeName('Audited') });

    const events = await api.scan('AUDIT_TABLE');
    expect(events).toHaveLength(before.audit + 1);
    expect(events).toContainEqual(
      expect.objectContaining({ action: 'theme.create', subjectType: 'theme', subjectId: answer.body.id }),
    );
  });

  it.each([
    ['different case', 'TRUST IN SERVICES'],
    ['different spacing', 'trust   in services'],
    ['punctuation', 'Trust-in services!'],
  ])('refuses a name already in the area apart from %s with 409, writing nothing', async (_case, again) => {
    await addTheme({ area: '4.4', name: 'Trust in services' });
    const before = await counts(api);

    const answer = await addTheme({ area: '4.4', name: again });

    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(await counts(api)).toEqual(before);
  });

  it('accepts the same name under another question area', async () => {
    const name = uniqueThemeName('Shared');
    await addTheme({ area: '4.3', name });

    const answer = await addTheme({ area: '4.8', name });

    expect(answer.status).toBe(201);
  });

  it('refuses a name that identifies someone, naming the field and writing nothing', async () => {
    const before = await counts(api);

    const answer = await addTheme({ area: '4.6', name: 'Call back on 07700 900123' });

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toEqual(['/body/name']);
    expect(await counts(api)).toEqual(before);
  });

  it.each([
    ['an unknown area', { area: '4.9', name: 'Anything' }, '/body/area'],
    ['a name of punctuation only', { area: '4.5', name: '?!-' }, '/body/name'],
    ['an empty name', { area: '4.5', name: '   ' }, '/body/name'],
    ['an over-long name', { area: '4.5', name: 'x'.repeat(81) }, '/body/name'],
    ['an extra field', { area: '4.5', name: 'Anything', colour: 'red' }, '/body/colour'],
    ['a missing area', { name: 'Anything' }, '/body/area'],
  ])('answers 400 naming the field for %s', async (_case, body, pointer) => {
    const answer = await addTheme(body);

    expect(answer.status).toBe(400);
    expect(pointers(answer.body)).toContain(pointer);
  });

  it('refuses a theme once its area holds the most it can, with 409', async () => {
    await api.db.send(
      new PutCommand({
        TableName: api.env.RECORDS_TABLE,
        Item: { pk: 'CODEBOOK', sk: 'AREA#4.3', themes: MAX_THEMES_PER_AREA },
      }),
    );

    const answer = await addTheme({ area: '4.3', name: uniqueThemeName('Overflow') });

    expect(answer.status).toBe(409);
    expect(answer.body.detail).toMatch(/4\.3/);
  });

  it('still adds themes while the programme is paused: analysis is not a submission', async () => {
    const answer = await whilePaused(api, () => addTheme({ area: '4.5', name: uniqueThemeName('Paused') }));

    expect(answer.status).toBe(201);
  });
});
