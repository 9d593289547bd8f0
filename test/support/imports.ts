import {
  ProvisionedThroughputExceededException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Context } from 'aws-lambda';
import { importWorker } from '../../functions/import-worker/worker';
import { type ImportBody, startImport } from '../../functions/imports/import-jobs';
import { DynamoImportJobStore } from '../../functions/imports/job-store';
import { PartitionPacer } from '../../functions/imports/pacer';
import { StagedImportWriter, writeUnits } from '../../functions/imports/staged-writer';
import { CAPITAL_SHARDS, DynamoCapitalStore } from '../../functions/participants/participant-store';
import { documentClient, queryAll } from '../../shared/adapters/dynamo';
import type { Principal } from '../../shared/domain/roles';
import { services } from '../../local/services';
import type { Answer, client } from './client';

const TERMINAL = new Set(['committed', 'refused', 'failed', 'cancelled']);

/**
 * Sends a file through `POST /imports` and, when the job starts (202), follows `GET /imports/{id}`
 * until it has finished; answers the POST when it was refused outright (403, 400), else the last GET.
 */
export async function importAndWait(
  http: ReturnType<typeof client>,
  body: ImportBody,
  as: NonNullable<Parameters<ReturnType<typeof client>['request']>[2]>['as'],
  timeoutMs = 120_000,
): Promise<Answer> {
  const started = await http.request('POST', '/imports', { as, body });
  if (started.status !== 202) return started;
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await http.request('GET', `/imports/${String(started.body.id)}`, { as });
    if (TERMINAL.has(String(job.body.state)) || Date.now() > until) return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A fresh DynamoDB client for the test environment, to add fault-injecting middleware to. */
export const freshClient = (env: Readonly<Record<string, string>>) =>
  documentClient({ region: 'eu-west-2', endpoint: env.DYNAMODB_ENDPOINT });

/** A Lambda context with `ms` left. */
export function contextWithDeadline(ms: number): Pick<Context, 'getRemainingTimeInMillis'> {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}

/**
 * The import worker over `db` (a client a test adds faults to) with a pacer at `unitsPerSecond`, and
 * `start`, which records a job the way `POST /imports` does but leaves running it to the test, as
 * Lambda's asynchronous invocation would.
 */
export async function workerOver(
  env: Readonly<Record<string, string>>,
  db: DynamoDBDocumentClient,
  unitsPerSecond?: number,
) {
  const deps = await services(env);
  const tables = deps.tables;
  const workerDeps = {
    ...deps,
    capital: new DynamoCapitalStore(db, tables),
    jobs: new DynamoImportJobStore(db, tables, deps.now),
    staged: new StagedImportWriter(db, tables.records, new PartitionPacer(unitsPerSecond)),
  };
  return {
    deps: workerDeps,
    run: importWorker(workerDeps),
    start: async (principal: Principal, body: ImportBody) =>
      (await startImport({ ...deps, importLauncher: { start: () => Promise.resolve() } }, principal, body))
        .id,
  };
}

type WriteRequest = {
  PutRequest?: { Item: Record<string, unknown> };
  DeleteRequest?: { Key: Record<string, unknown> };
};

/**
 * Refuses writes above `unitsPerSecond` write units per partition key in each second, as DynamoDB
 * does at its per-partition limit: a `BatchWriteItem`'s requests over the limit come back in
 * `UnprocessedItems`, and a batch with none accepted, or a `PutItem` or `DeleteItem` over the limit,
 * fails with `ProvisionedThroughputExceededException`; a transaction with an item over the limit is
 * cancelled with `ThrottlingError` as that item's reason. Counts what it refused.
 */
export function throttlePerPartition(db: DynamoDBDocumentClient, unitsPerSecond: number) {
  const windows = new Map<string, { second: number; used: number }>();
  const counts = { refused: 0, accepted: 0, unitsByPartition: new Map<string, number>() };
  const overLimit = () =>
    new ProvisionedThroughputExceededException({
      message: 'The level of configured provisioned throughput for the table was exceeded.',
      $metadata: {},
    });
  db.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'PutItemCommand' || context.commandName === 'DeleteItemCommand') {
        const input = args.input as { Item?: Record<string, unknown>; Key?: Record<string, unknown> };
        const item = input.Item ?? input.Key ?? {};
        const pk = String(item.pk);
        const units = writeUnits(item);
        const second = Math.floor(Date.now() / 1000);
        const window = windows.get(pk);
        const current = window?.second === second ? window : { second, used: 0 };
        windows.set(pk, current);
        if (current.used + units > unitsPerSecond) {
          counts.refused++;
          throw overLimit();
        }
        current.used += units;
        counts.accepted++;
        counts.unitsByPartition.set(pk, (counts.unitsByPartition.get(pk) ?? 0) + units);
        return next(args);
      }
      if (context.commandName === 'TransactWriteItemsCommand') {
        // A transaction costs two units an item per KB; one item over the limit cancels it all.
        const input = args.input as { TransactItems: { Put?: { Item: Record<string, unknown> } }[] };
        const second = Math.floor(Date.now() / 1000);
        // Only the staged puts are paced; a job's commit (an update and its audit event) is not.
        const items = input.TransactItems.flatMap((t) => (t.Put ? [t.Put.Item] : []));
        if (items.some((item) => String(item.pk).startsWith('AUDIT#')) || items.length === 0)
          return next(args);
        const reasons = items.map((item) => {
          const pk = String(item.pk);
          const window = windows.get(pk);
          const current = window?.second === second ? window : { second, used: 0 };
          windows.set(pk, current);
          const units = 2 * writeUnits(item);
          if (current.used + units > unitsPerSecond) return { Code: 'ThrottlingError' };
          current.used += units;
          return { Code: 'None' };
        });
        if (reasons.some((r) => r.Code === 'ThrottlingError')) {
          counts.refused++;
          throw new TransactionCanceledException({
            message: 'Transaction cancelled, please refer cancellation reasons for specific reasons',
            CancellationReasons: reasons,
            $metadata: {},
          });
        }
        counts.accepted++;
        items.forEach((item) => {
          const pk = String(item.pk);
          counts.unitsByPartition.set(pk, (counts.unitsByPartition.get(pk) ?? 0) + 2 * writeUnits(item));
        });
        return next(args);
      }
      if (context.commandName !== 'BatchWriteItemCommand') return next(args);
      const input = args.input as { RequestItems: Record<string, WriteRequest[]> };
      const accepted: Record<string, WriteRequest[]> = {};
      const refused: Record<string, WriteRequest[]> = {};
      const second = Math.floor(Date.now() / 1000);
      for (const [table, requests] of Object.entries(input.RequestItems)) {
        for (const request of requests) {
          const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {};
          const pk = String(item.pk);
          const units = writeUnits(item);
          const window = windows.get(pk);
          const current = window?.second === second ? window : { second, used: 0 };
          windows.set(pk, current);
          const into = current.used + units <= unitsPerSecond ? accepted : refused;
          if (into === accepted) {
            current.used += units;
            counts.unitsByPartition.set(pk, (counts.unitsByPartition.get(pk) ?? 0) + units);
          }
          (into[table] ??= []).push(request);
        }
      }
      const refusedCount = Object.values(refused).reduce((n, r) => n + r.length, 0);
      counts.refused += refusedCount;
      if (Object.keys(accepted).length === 0) throw overLimit();
      counts.accepted += Object.values(accepted).reduce((n, r) => n + r.length, 0);
      const result = await next({ ...args, input: { ...input, RequestItems: accepted } });
      const output = result.output as { UnprocessedItems?: Record<string, WriteRequest[]> };
      const unprocessed = { ...output.UnprocessedItems };
      for (const [table, requests] of Object.entries(refused))
        unprocessed[table] = [...(unprocessed[table] ?? []), ...requests];
      return { ...result, output: { ...output, UnprocessedItems: unprocessed } } as typeof result;
    },
    { step: 'initialize', name: 'partitionThrottle' },
  );
  return counts;
}

/**
 * Every item under a site's sharded key (`CAPITAL#<site>` or `FOLLOWUP#<site>`): the key from
 * before sharding, then each shard's, each in key order.
 */
export async function siteItems(
  db: DynamoDBDocumentClient,
  table: string,
  pk: string,
): Promise<Record<string, unknown>[]> {
  const keys = [pk, ...Array.from({ length: CAPITAL_SHARDS }, (_, n) => `${pk}#${n}`)];
  const perKey = await Promise.all(
    keys.map((key) =>
      queryAll(db, {
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': key },
      }),
    ),
  );
  return perKey.flat();
}
