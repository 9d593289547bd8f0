import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import type { ReferralBarrierStore, StoredReferralBarrier } from './referral-barriers';
import type { SiteId } from '../../shared/domain/sites';
import { auditPut, queryAll, withoutKeys } from '../../shared/adapters/dynamo';

/**
 * Referral barrier reports in the records table: one partition per site, sorted by submission time
 * then id, so a period's reports are one query per site and two reports in the same millisecond
 * never collide.
 */
export class DynamoReferralBarrierStore implements ReferralBarrierStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {}

  async saveReferralBarrier(report: StoredReferralBarrier, audit: AuditEvent): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tables.records,
              Item: { pk: `BARRIER#${report.site}`, sk: `${report.submittedAt}#${report.id}`, ...report },
              // A fresh id never exists; the condition makes an id clash fail rather than overwrite.
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditPut(this.tables.audit, audit),
        ],
      }),
    );
  }

  async listReferralBarriers(site: SiteId, fromIso: string, toIso: string): Promise<StoredReferralBarrier[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // '~' sorts after every timestamp and id character, so a date as `toIso` includes that whole day.
      ExpressionAttributeValues: { ':pk': `BARRIER#${site}`, ':from': fromIso, ':to': `${toIso}~` },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredReferralBarrier);
  }
}
