import { type DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import type { ReferralBarrierStore, StoredReferralBarrier } from './referral-barriers';
import type { SiteId } from '../../shared/domain/sites';
import { auditPut, isConditionFailure, queryAll, withoutKeys } from '../../shared/adapters/dynamo';

const sitePartition = (site: SiteId): string => `BARRIER#${site}`;
/** A reporter's own reports at a site: what a practitioner reads back, without reading anyone else's. */
const reporterPartition = (site: SiteId, reporter: string): string => `BARRIER-REPORTER#${site}#${reporter}`;
const reportKey = (report: Pick<StoredReferralBarrier, 'submittedAt' | 'id'>): string =>
  `${report.submittedAt}#${report.id}`;

/**
 * Referral barrier reports in the records table: one partition per site, sorted by submission time
 * then id, so a period's reports are one query per site and two reports in the same millisecond
 * never collide. Each report is also copied, in the same transaction, into its reporter's own
 * partition at the site (`BARRIER-REPORTER#<site>#<pseudonym>`), so reading back one's own reports
 * is one Query of one's own items. Learning packs read the site partitions only, so the copies are
 * never counted twice.
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
              Item: { pk: sitePartition(report.site), sk: reportKey(report), ...report },
              // A fresh id never exists; the condition makes an id clash fail rather than overwrite.
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          this.reporterCopy(report),
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

  async pageReferralBarriers(
    site: SiteId,
    page: { readonly reporter?: string; readonly limit: number; readonly after?: string },
  ): Promise<{ reports: StoredReferralBarrier[]; more?: string }> {
    const pk = page.reporter === undefined ? sitePartition(site) : reporterPartition(site, page.reporter);
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.records,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        ...(page.after === undefined ? {} : { ExclusiveStartKey: { pk, sk: page.after } }),
        // One more than the page, to know whether there is a next page without an empty last one.
        Limit: page.limit + 1,
      }),
    );
    const reports = Items.slice(0, page.limit);
    const last = reports.at(-1);
    return {
      reports: reports.map((item) => withoutKeys(item) as unknown as StoredReferralBarrier),
      ...(Items.length > page.limit && last ? { more: last.sk as string } : {}),
    };
  }

  /**
   * Copies every report of a site into its reporter's own partition where it is missing: reports
   * stored before those were kept (a one-off after deploying; see `bin/backfill-read-lists.ts`).
   * Safe to run again; returns how many were written.
   */
  async backfillReporterCopies(site: SiteId): Promise<number> {
    const reports = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': sitePartition(site) },
    });
    let written = 0;
    for (const item of reports) {
      const report = withoutKeys(item) as unknown as StoredReferralBarrier;
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [this.reporterCopy(report)] }));
        written++;
      } catch (error) {
        // Already copied.
        if (!isConditionFailure(error)) throw error;
      }
    }
    return written;
  }

  private reporterCopy(report: StoredReferralBarrier) {
    return {
      Put: {
        TableName: this.tables.records,
        Item: { pk: reporterPartition(report.site, report.reporter), sk: reportKey(report), ...report },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
