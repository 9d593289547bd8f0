import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditReader } from './admin';
import type { AuditEvent } from '../../shared/domain/audit';

/**
 * Reads the append-only audit table (written only through `auditPut` in `./dynamo`): one partition
 * per day, sorted by time, read newest first.
 */
export class DynamoAuditReader implements AuditReader {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly auditTable: string,
  ) {}

  async readDay(
    day: string,
    limit: number,
    after?: string,
  ): Promise<{ events: AuditEvent[]; after?: string }> {
    const pk = `AUDIT#${day}`;
    const page = await this.db.send(
      new QueryCommand({
        TableName: this.auditTable,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        Limit: limit,
        ...(after === undefined ? {} : { ExclusiveStartKey: { pk, sk: after } }),
      }),
    );
    const events = (page.Items ?? []).map(({ pk: _pk, sk: _sk, ...event }) => event as AuditEvent);
    const next = page.LastEvaluatedKey?.sk as string | undefined;
    return { events, ...(next === undefined ? {} : { after: next }) };
  }
}
