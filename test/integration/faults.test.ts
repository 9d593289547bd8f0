import { ProvisionedThroughputExceededException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import middy from '@middy/core';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../shared/adapters/dynamo';
import { DynamoPulseStore } from '../../functions/wellbeing/pulse-store';
import { submitPulse } from '../../functions/wellbeing/wellbeing';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes as wellbeingRoutes } from '../../functions/wellbeing/routes';
import { services } from '../../local/services';
import { pulseBody } from '../support/client';
import { useTestEnvironment } from '../support/environment';
import { apiEvent, lambdaContext } from '../support/events';

const environment = await useTestEnvironment();
const deps = await services();

/** A real client that fails every call, the way DynamoDB does under throttling. */
function throttledClient() {
  const db = documentClient({ region: 'eu-west-2', endpoint: environment.env.DYNAMODB_ENDPOINT });
  db.middlewareStack.add(
    () => () => {
      throw new ProvisionedThroughputExceededException({
        message: 'Rate exceeded for table x',
        $metadata: {},
      });
    },
    { step: 'initialize', name: 'failOnPurpose' },
  );
  return db;
}

describe('when storage fails', () => {
  it('answers 500 problem+json that reveals nothing about the cause', async () => {
    const pulses = new DynamoPulseStore(throttledClient(), {
      records: environment.env.RECORDS_TABLE ?? '',
      audit: environment.env.AUDIT_TABLE ?? '',
    });
    const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
      .use(httpApi({ routes: wellbeingRoutes, ...deps.http }))
      .handler(
        dispatch<typeof wellbeingRoutes>({
          submitWellbeingPulse: async ({ principal, params, body }) => ({
            body: await submitPulse({ ...deps, pulses }, principal, params.site, body),
          }),
          getWellbeingPulseThisWeek: () => Promise.reject(new Error('not under test')),
          wellbeingSummary: () => Promise.reject(new Error('not under test')),
        }),
      );
    const result = await handler(
      apiEvent({
        routeKey: 'POST /sites/{site}/wellbeing-pulses',
        path: '/sites/london/wellbeing-pulses',
        pathParameters: { site: 'london' },
        claims: {
          sub: 'someone',
          token_use: 'id',
          'cognito:groups': '[provider]',
          'custom:site': 'london',
        },
        body: pulseBody(),
        headers: { 'idempotency-key': 'fails-once' },
      }),
      lambdaContext(),
    );
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['content-type']).toBe('application/problem+json');
    expect(result.body).not.toMatch(/Rate exceeded|ProvisionedThroughput|table x|stack/i);
    // The failed attempt is forgotten, so a retry with the same key is processed afresh.
    expect(await environment.scan('IDEMPOTENCY_TABLE')).toHaveLength(0);
  });

  it('writes neither the check-in nor its audit event when the audit write fails', async () => {
    const at = '2026-11-23T10:00:00.000Z';
    await environment.db.send(
      new PutCommand({
        TableName: environment.env.AUDIT_TABLE,
        Item: { pk: 'AUDIT#2026-11-23', sk: `${at}#dup` },
      }),
    );
    const fixed = { ...deps, now: () => new Date(at), newId: () => 'dup' };
    const principal = { actor: 'p1', roles: ['provider' as const], site: 'london' as const };
    await expect(submitPulse(fixed, principal, 'london', pulseBody())).rejects.toThrow();
    expect(await environment.scan('RECORDS_TABLE')).toHaveLength(0);
    expect(await environment.scan('AUDIT_TABLE')).toHaveLength(1);
  });
});
