import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/audit';

/** One item of a `TransactWriteItems`, for composing transactions. */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on the items of one `TransactWriteItems`. */
export const MAX_TRANSACT_ITEMS = 100;

/** One document client per cold start. `endpoint` is only set locally (DynamoDB Local). */
export function documentClient(options: {
  region: string;
  endpoint?: string | undefined;
}): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
}

/**
 * The audit half of a write transaction. Events are partitioned by day and can only be added: the
 * condition refuses to overwrite, and the functions' IAM grant has no update or delete.
 */
export function auditPut(auditTable: string, event: AuditEvent): TransactItem {
  return {
    Put: {
      TableName: auditTable,
      Item: { pk: `AUDIT#${event.at.slice(0, 10)}`, sk: `${event.at}#${event.id}`, ...event },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** Every item a query matches, following DynamoDB's pages (at most 1 MB each). */
export async function queryAll(
  db: DynamoDBDocumentClient,
  input: QueryCommandInput,
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  for await (const page of paginateQuery({ client: db }, input)) items.push(...(page.Items ?? []));
  return items;
}

/** A stored item without its table keys: the record as the domain knows it. */
export function withoutKeys(item: Record<string, unknown>): Record<string, unknown> {
  const { pk: _pk, sk: _sk, ...record } = item;
  return record;
}

/**
 * True when a transaction was cancelled because a condition failed (not a conflict or a throttle):
 * on item `index` if given, else on any item.
 */
export function isConditionFailure(error: unknown, index?: number): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const reasons = error.CancellationReasons ?? [];
  const failed = (reason: { Code?: string | undefined } | undefined) =>
    reason?.Code === 'ConditionalCheckFailed';
  return index === undefined ? reasons.some(failed) : failed(reasons[index]);
}

function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

const CONFLICT_ATTEMPTS = 4;

/**
 * Writes the one record a natural key allows (a person's check-in for a week, a site's return for a
 * month) with its audit event: as new if the key is free, else as a replacement. Both writes are
 * conditional, so of two racing writes exactly one is "new" whatever the interleaving; when DynamoDB
 * cancels one of two simultaneous transactions on the item, it is tried again rather than failed.
 */
export async function putNewOrReplace(
  db: DynamoDBDocumentClient,
  tables: { readonly records: string; readonly audit: string },
  item: Record<string, unknown>,
  audit: (replaced: boolean) => AuditEvent,
): Promise<{ replaced: boolean }> {
  let replaced = false;
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: tables.records,
                Item: item,
                ConditionExpression: replaced ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
              },
            },
            auditPut(tables.audit, audit(replaced)),
          ],
        }),
      );
      return { replaced };
    } catch (error) {
      if (!replaced && isConditionFailure(error, 0)) replaced = true;
      else if (isTransactionConflict(error) && attempt < CONFLICT_ATTEMPTS) await pause(attempt * 25);
      else throw error;
    }
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
