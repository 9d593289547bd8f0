import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../domain/audit';
import type { SiteId } from '../domain/sites';
import type { PulseStore, StoredPulse } from '../domain/wellbeing';
import { auditPut, queryAll, withoutKeys } from './dynamo';

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
    // Try as the first of the week; if that person already has one, replace it. Both are
    // conditional, so two racing submissions can never both count as "first".
    for (const replaced of [false, true]) {
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: this.tables.records,
                  Item: { pk: `PULSE#${pulse.site}`, sk: `${pulse.monday}#${pulse.respondent}`, ...pulse },
                  ConditionExpression: replaced ? 'attribute_exists(pk)' : 'attribute_not_exists(pk)',
                },
              },
              auditPut(this.tables.audit, audit(replaced)),
            ],
          }),
        );
        return { replaced };
      } catch (error) {
        if (!replaced && isConditionFailure(error)) continue;
        throw error;
      }
    }
    throw new Error('unreachable: the check-in was neither new nor a replacement');
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
}

/** True when a transaction was cancelled because the condition on item `index` (not a conflict or throttle) failed. */
export function isConditionFailure(error: unknown, index = 0): boolean {
  return (
    error instanceof TransactionCanceledException &&
    error.CancellationReasons?.[index]?.Code === 'ConditionalCheckFailed'
  );
}
