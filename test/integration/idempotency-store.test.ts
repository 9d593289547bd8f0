import { randomBytes } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../shared/adapters/idempotency-store';
import { pseudonymiser } from '../../shared/adapters/pseudonymiser';
import { GoneError } from '../../shared/domain/errors';
import { useTestEnvironment } from '../support/environment';

const environment = await useTestEnvironment();
const table = environment.env.IDEMPOTENCY_TABLE ?? '';
const pseudonym = pseudonymiser(randomBytes(32));
const tombstoneOf = (key: string) => pseudonym('erased-request', key);
const store = new DynamoIdempotencyStore(environment.db, table, tombstoneOf);

describe('DynamoIdempotencyStore', () => {
  it('keeps no copy of a response whose claim was erased while the request ran', async () => {
    await store.begin('erased-meanwhile', 'fingerprint');
    expect(await store.forget(['erased-meanwhile'])).toBe(1);

    await store.complete('erased-meanwhile', { status: 201, body: '{"id":"x"}' });

    const { Item } = await environment.db.send(
      new GetCommand({ TableName: table, Key: { pk: 'erased-meanwhile' } }),
    );
    expect(Item).toBeUndefined();
  });

  it('keeps the copy of a completed request for replay', async () => {
    await store.begin('kept', 'fingerprint');
    await store.complete('kept', { status: 201, body: '{"id":"y"}' });

    expect(await store.begin('kept', 'fingerprint')).toEqual({
      kind: 'replay',
      response: { status: 201, body: '{"id":"y"}' },
    });
  });

  it('refuses a replay of a forgotten key with 410 Gone, whatever the body, and keeps nothing of the key', async () => {
    const key = 'actor#submitCapitalAssessment#CLW-12-baseline';
    await store.begin(key, 'fingerprint');
    await store.complete(key, { status: 201, body: '{"id":"z"}' });

    await store.forget([key]);

    await expect(store.begin(key, 'fingerprint')).rejects.toBeInstanceOf(GoneError);
    await expect(store.begin(key, 'another body')).rejects.toBeInstanceOf(GoneError);
    const items = JSON.stringify(await environment.scan('IDEMPOTENCY_TABLE'));
    expect(items).not.toContain('CLW-12');
    expect(items).toContain(`ERASED#${tombstoneOf(key)}`);
  });

  it('keeps a tombstone for as long as the key would have been kept: a day from the erasure', async () => {
    const erasedAt = new Date('2026-03-01T12:00:00Z');
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
    expect(await clocked.begin(key, 'fingerprint')).toEqual({ kind: 'new' });
  });
});
