import { ProvisionedThroughputExceededException, ThrottlingException } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { importsHandler } from '../../functions/imports/api';
import { DynamoImportWriter } from '../../functions/imports/import-writer';
import { importsWiring } from '../../functions/imports/wiring';
import { DynamoCapitalStore } from '../../functions/participants/participant-store';
import { documentClient, queryAll } from '../../shared/adapters/dynamo';
import type { ApiContext } from '../../shared/http/api';
import { capitalBody, uniqueRef } from '../support/capital';
import { csvOf } from '../support/csv';
import { startTestApi } from '../support/environment';
import { apiEvent } from '../support/events';

const api = await startTestApi();
afterAll(() => api.stop());
const deps = await importsWiring(api.env);
const tables = { records: api.env.RECORDS_TABLE ?? '', audit: api.env.AUDIT_TABLE ?? '' };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A capital check row: the route's body without the questionnaire version, which the import sets. */
const rows = (count: number) =>
  Array.from({ length: count }, () => {
    const { questionnaireVersion: _version, ...row } = capitalBody(uniqueRef('DEADLINE'));
    return row;
  });

/** A Lambda context whose invocation must have answered within `ms`. */
function contextWithDeadline(ms: number): ApiContext {
  const deadline = Date.now() + ms;
  return {
    awsRequestId: 'deadline-test',
    functionName: 'imports',
    getRemainingTimeInMillis: () => deadline - Date.now(),
  } as Context;
}

/** Imports `count` capital-check baselines for `site` through the imports function's middleware. */
async function importThrough(writer: DynamoImportWriter, site: string, count: number, context: ApiContext) {
  const handler = importsHandler({ ...deps, imports: writer });
  return handler(
    apiEvent({
      routeKey: 'POST /imports',
      path: '/imports',
      claims: { sub: 'importer', 'cognito:groups': '[evaluator]', token_use: 'id' },
      body: { stream: 'capital-checks', site, csv: csvOf(rows(count)) },
    }),
    context,
  );
}

const partition = (site: string) =>
  queryAll(api.db, {
    TableName: tables.records,
    KeyConditionExpression: 'pk = :pk',
    ExpressionAttributeValues: { ':pk': `CAPITAL#${site}` },
  });
const importEvents = async () =>
  (await api.scan('AUDIT_TABLE')).filter((event) => String(event.action).startsWith('import.'));

/** A DynamoDB client whose transactions each take `delayMs` longer, or are refused above a rate. */
function slowClient(options: { delayMs?: number; maxPerSecond?: number }) {
  const db = documentClient({ region: 'eu-west-2', endpoint: api.env.DYNAMODB_ENDPOINT });
  const sent: number[] = [];
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'TransactWriteItemsCommand') {
        if (options.delayMs) await sleep(options.delayMs);
        const now = Date.now();
        // Like DynamoDB, a refused request uses no capacity: only accepted ones count.
        const lastSecond = sent.filter((at) => at > now - 1000).length;
        if (options.maxPerSecond !== undefined && lastSecond >= options.maxPerSecond) {
          // What DynamoDB answers when one partition key takes writes faster than it can.
          throw lastSecond % 2 === 0
            ? new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} })
            : new ThrottlingException({ message: 'Rate exceeded', $metadata: {} });
        }
        sent.push(now);
      }
      return next(args);
    },
    { step: 'finalizeRequest', name: 'slowTransactions' },
  );
  return new DynamoImportWriter(db, tables, new DynamoCapitalStore(db, tables));
}

const expectRetryLater = (result: Awaited<ReturnType<typeof importThrough>>) => {
  expect(result.statusCode).toBe(503);
  expect(result.headers?.['content-type']).toBe('application/problem+json');
  expect(Number(result.headers?.['retry-after'])).toBeGreaterThan(0);
  expect(JSON.parse(String(result.body)) as unknown).toMatchObject({
    detail: expect.stringMatching(/send the file again/) as string,
  });
};

describe('an import that cannot finish before its deadline', () => {
  it('refuses a 3,000-row file up front when the time left cannot hold its writes, and writes nothing', async () => {
    const before = await partition('london');
    const result = await importThrough(
      new DynamoImportWriter(api.db, tables, new DynamoCapitalStore(api.db, tables)),
      'london',
      3000,
      contextWithDeadline(6000),
    );
    expectRetryLater(result);
    await sleep(3000);
    expect(await partition('london')).toEqual(before);
    expect(await importEvents()).toEqual([]);
  }, 60_000);

  it('stops part-way, undoes what landed before answering, and writes nothing after the answer', async () => {
    const before = await partition('north-east');
    const result = await importThrough(
      slowClient({ delayMs: 2000 }),
      'north-east',
      3000,
      contextWithDeadline(16_000),
    );
    expectRetryLater(result);
    expect(JSON.parse(String(result.body)) as unknown).toMatchObject({
      detail: expect.stringMatching(/ran out of time/) as string,
    });
    // Nothing is left at the answer, and nothing lands after it.
    expect(await partition('north-east')).toEqual(before);
    await sleep(3000);
    expect(await partition('north-east')).toEqual(before);
    expect(await importEvents()).toEqual([]);
  }, 60_000);
});

describe('an import into a partition that throttles', () => {
  it('is undone and answers a retryable problem, never a partial file', async () => {
    const before = await partition('yorkshire-humber');
    const result = await importThrough(
      slowClient({ maxPerSecond: 4 }),
      'yorkshire-humber',
      2000,
      contextWithDeadline(29_000),
    );
    expectRetryLater(result);
    expect(JSON.parse(String(result.body)) as unknown).toMatchObject({
      detail: expect.stringMatching(/more writes than/) as string,
    });
    await sleep(1000);
    expect(await partition('yorkshire-humber')).toEqual(before);
    expect(await importEvents()).toEqual([]);
  }, 60_000);
});
