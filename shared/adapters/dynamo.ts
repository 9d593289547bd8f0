import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
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
