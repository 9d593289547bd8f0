import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import type { SiteId } from '../../shared/domain/sites';
import type { PulseStore, StoredPulse } from './wellbeing';
import { putNewOrReplace, queryAll, withoutKeys } from '../../shared/adapters/dynamo';

/**
 * Check-ins in the records table: one partition per site, sorted by week then respondent, so a
 * period's check-ins are one query per site and a person's week has exactly one item.
 */
export class DynamoPulseStore implements PulseStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {}

  async savePulse(
    pulse: StoredPulse,
    audit: (replaced: boolean) => AuditEvent,
  ): Promise<{ replaced: boolean }> {
    // A person's week has exactly one item: a second check-in replaces the first, never counts twice.
    const item = { pk: `PULSE#${pulse.site}`, sk: `${pulse.monday}#${pulse.respondent}`, ...pulse };
    return putNewOrReplace(this.db, this.tables, item, audit);
  }

  async listPulses(site: SiteId, fromMonday: string, toDate: string): Promise<StoredPulse[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // '~' sorts after every pseudonym character, so the last Monday's check-ins are included.
      ExpressionAttributeValues: { ':pk': `PULSE#${site}`, ':from': fromMonday, ':to': `${toDate}~` },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredPulse);
  }

  async findPulseTime(site: SiteId, monday: string, respondent: string): Promise<string | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({
        TableName: this.tables.records,
        Key: { pk: `PULSE#${site}`, sk: `${monday}#${respondent}` },
        // Only the time: the answers and the comment are never read for this.
        ProjectionExpression: 'submittedAt',
      }),
    );
    return Item?.submittedAt as string | undefined;
  }
}
