import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import type { EngagementReturnStore, StoredEngagementReturn } from './engagement';
import type { SiteId } from '../../shared/domain/sites';
import { putNewOrReplace, queryAll, withoutKeys } from '../../shared/adapters/dynamo';
import { CommittedRows } from '../../shared/adapters/import-visibility';

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
  /** Returns a bulk import replaces keep their earlier figures until its job commits. */
  private readonly committed: CommittedRows;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {
    this.committed = new CommittedRows(db, tables.records);
  }

  async saveEngagementReturn(
    record: StoredEngagementReturn,
    audit: (replaced: boolean) => AuditEvent,
  ): Promise<{ replaced: boolean }> {
    return putNewOrReplace(this.db, this.tables, engagementReturnItem(record), audit);
  }

  async listEngagementReturns(
    site: SiteId,
    fromMonth: string,
    toMonth: string,
  ): Promise<StoredEngagementReturn[]> {
    const started = Date.now();
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': `ENGAGEMENT#${site}`, ':from': fromMonth, ':to': toMonth },
    });
    return (await this.committed.filter(items, started)).map(
      (item) => withoutKeys(item) as unknown as StoredEngagementReturn,
    );
  }
}
