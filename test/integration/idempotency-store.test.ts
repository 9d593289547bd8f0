import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoIdempotencyStore } from '../../shared/adapters/idempotency-store';
import { useTestEnvironment } from '../support/environment';

const environment = await useTestEnvironment();
const table = environment.env.IDEMPOTENCY_TABLE ?? '';
const store = new DynamoIdempotencyStore(environment.db, table);

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
});
