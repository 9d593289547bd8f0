import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  paginateQuery,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/audit';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

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
