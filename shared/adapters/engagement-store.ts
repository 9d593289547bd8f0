import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/audit';
import type { EngagementReturnStore, StoredEngagementReturn } from '../domain/engagement';
import type { SiteId } from '../domain/sites';
import { auditPut, queryAll, withoutKeys } from './dynamo';
import { isConditionFailure } from './pulse-store';

const MAX_ATTEMPTS = 4;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function isTransactionConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

/**
 * The records-table item of a return: one partition per site, one item per month (`YYYY-MM` sorts
 * as time does), so a month range is one query and a month can never hold two returns. Exported so
 * a bulk import writes exactly the same items.
 */
export function engagementReturnItem(record: StoredEngagementReturn): Record<string, unknown> {
  return { pk: `ENGAGEMENT#${record.site}`, sk: record.month, ...record };
}

/** Engagement returns in the records table, written with their audit event in one transaction. */
export class DynamoEngagementReturnStore implements EngagementReturnStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {}

  async saveEngagementReturn(
    record: StoredEngagementReturn,
    audit: (replaced: boolean) => AuditEvent,
  ): Promise<{ replaced: boolean }> {
    // Try as the month's first return; if one exists, replace it. Both writes are conditional, so
    // of two racing PUTs exactly one is "new" and the other "replaced", whatever the interleaving.
    let replaced = false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tables.records,
                  Item: engagementReturnItem(record),
                  ConditionExpression: replaced ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
                },
              },
              auditPut(this.tables.audit, audit(replaced)),
            ],
          }),
        );
        return { replaced };
      } catch (error) {
        if (!replaced && isConditionFailure(error)) replaced = true;
        // Two transactions on the same item at once: DynamoDB cancels one rather than queue it.
        else if (isTransactionConflict(error) && attempt < MAX_ATTEMPTS) await pause(attempt * 25);
        else throw error;
      }
    }
  }

  async listEngagementReturns(
    site: SiteId,
    fromMonth: string,
    toMonth: string,
  ): Promise<StoredEngagementReturn[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `ENGAGEMENT#${site}`, ':from': fromMonth, ':to': toMonth },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredEngagementReturn);
  }
}
