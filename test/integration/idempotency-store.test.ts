import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { routes as wellbeingRoutes } from '../../functions/wellbeing/routes';
import { DynamoIdempotencyStore } from '../../shared/adapters/idempotency-store';
import { pseudonymiser } from '../../shared/adapters/pseudonymiser';
import { ConflictError, GoneError } from '../../shared/domain/errors';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../local/services';
import { pulseBody } from '../support/client';
import { useTestEnvironment } from '../support/environment';
import { apiEvent, lambdaContext } from '../support/events';

const environment = await useTestEnvironment();
const table = environment.env.IDEMPOTENCY_TABLE ?? '';
const pseudonym = pseudonymiser(randomBytes(32));
const tombstoneOf = (key: string) => pseudonym('erased-request', key);
const store = new DynamoIdempotencyStore(environment.db, table, tombstoneOf);

describe('DynamoIdempotencyStore', () => {
  it('keeps no copy of a response whose claim was erased while the request ran', async () => {
    const begun = await store.begin('erased-meanwhile', 'fingerprint');
    expect(await store.forget(['erased-meanwhile'])).toBe(1);

    await store.complete('erased-meanwhile', claimOf(begun), { status: 201, body: '{"id":"x"}' });

    const { Item } = await environment.db.send(
      new GetCommand({ TableName: table, Key: { pk: 'erased-meanwhile' } }),
    );
    expect(Item).toBeUndefined();
  });

  it('keeps the copy of a completed request for replay', async () => {
    await store.complete('kept', claimOf(await store.begin('kept', 'fingerprint')), {
      status: 201,
      body: '{"id":"y"}',
    });

    expect(await store.begin('kept', 'fingerprint')).toEqual({
      kind: 'replay',
      response: { status: 201, body: '{"id":"y"}' },
    });
  });

  it('refuses a replay of a forgotten key with 410 Gone, whatever the body, and keeps nothing of the key', async () => {
    const key = 'actor#submitCapitalAssessment#CLW-12-baseline';
    await store.complete(key, claimOf(await store.begin(key, 'fingerprint')), {
      status: 201,
      body: '{"id":"z"}',
    });

    await store.forget([key]);

    await expect(store.begin(key, 'fingerprint')).rejects.toBeInstanceOf(GoneError);
    await expect(store.begin(key, 'another body')).rejects.toBeInstanceOf(GoneError);
    const items = JSON.stringify(await environment.scan('IDEMPOTENCY_TABLE'));
    expect(items).not.toContain('CLW-12');
    expect(items).toContain(`ERASED#${tombstoneOf(key)}`);
  });

  it('keeps a tombstone for as long as the key would have been kept: a day from the erasure', async () => {
    // A year ahead: DynamoDB Local's TTL sweeper deletes items whose expiry has passed in real time.
    const erasedAt = new Date(Math.floor(Date.now() / 1000 + 365 * 86_400) * 1000);
    let now = erasedAt;
    const clocked = new DynamoIdempotencyStore(environment.db, table, tombstoneOf, () => now);
    const key = `actor#submitCapitalAssessment#${randomBytes(6).toString('hex')}`;
    await clocked.forget([key]);

    const { Item } = await environment.db.send(
      new GetCommand({ TableName: table, Key: { pk: `ERASED#${tombstoneOf(key)}` } }),
    );
    expect(Item).toEqual({ pk: `ERASED#${tombstoneOf(key)}`, expiresAt: erasedAt.getTime() / 1000 + 86_400 });
    now = new Date(erasedAt.getTime() + 86_399_000);
    await expect(clocked.begin(key, 'fingerprint')).rejects.toBeInstanceOf(GoneError);
    // DynamoDB's TTL deletes expired items within a few days, not on the second: an expired one is ignored.
    now = new Date(erasedAt.getTime() + 86_401_000);
    expect(await clocked.begin(key, 'fingerprint')).toMatchObject({ kind: 'new' });
  });

  it('lets only the holder of a claim release or complete it', async () => {
    const key = `actor#submitWellbeingPulse#${randomBytes(6).toString('hex')}`;
    const claim = claimOf(await store.begin(key, 'fingerprint'));

    await store.release(key, 'someone-else');
    await store.complete(key, 'someone-else', { status: 201, body: '{"id":"theirs"}' });
    await expect(store.begin(key, 'fingerprint')).rejects.toBeInstanceOf(ConflictError);

    await store.complete(key, claim, { status: 201, body: '{"id":"mine"}' });
    expect(await store.begin(key, 'fingerprint')).toEqual({
      kind: 'replay',
      response: { status: 201, body: '{"id":"mine"}' },
    });
  });
});

describe('Idempotency-Key across two requests at once', () => {
  it('a second request refused with 409 while the first runs leaves the first its key and its copy', async () => {
    const deps = await services();
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let runs = 0;
    const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
      .use(httpApi({ routes: wellbeingRoutes, ...deps.http }))
      .handler(
        dispatch<typeof wellbeingRoutes>({
          submitWellbeingPulse: async () => {
            runs += 1;
            await gate;
            return { body: { id: `run-${runs}`, week: '2026-W48', replaced: false } };
          },
          wellbeingSummary: () => Promise.reject(new Error('not under test')),
          getWellbeingPulseThisWeek: () => Promise.reject(new Error('not under test')),
        }),
      );
    const key = randomBytes(6).toString('hex');
    const request = () =>
      handler(
        apiEvent({
          routeKey: 'POST /sites/{site}/wellbeing-pulses',
          path: '/sites/london/wellbeing-pulses',
          pathParameters: { site: 'london' },
          claims: {
            sub: 'same-person',
            token_use: 'id',
            'cognito:groups': '[provider]',
            'custom:site': 'london',
          },
          body: pulseBody(),
          headers: { 'idempotency-key': key },
        }),
        lambdaContext(),
      );

    const first = request();
    await expect.poll(() => runs).toBe(1);
    const second = await request();
    expect(second.statusCode).toBe(409);
    open();
    expect((await first).statusCode).toBe(201);

    const replay = await request();
    expect(runs).toBe(1);
    expect(replay.headers?.['idempotent-replayed']).toBe('true');
    expect(JSON.parse(replay.body ?? '{}')).toMatchObject({ id: 'run-1' });
  });
});

function claimOf(outcome: Awaited<ReturnType<DynamoIdempotencyStore['begin']>>): string {
  if (outcome.kind !== 'new') throw new Error(`expected a new claim, got ${outcome.kind}`);
  return outcome.claim;
}
