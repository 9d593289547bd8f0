import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import {
  type InterviewListing,
  interviewListingOf,
  type InterviewStore,
  type StoredInterview,
} from './interviews';
import type { SiteId } from '../../shared/domain/sites';
import type { UploadAuditLog } from './uploads';
import {
  auditPut,
  isConditionFailure,
  queryAll,
  type TransactItem,
  withoutKeys,
} from '../../shared/adapters/dynamo';
import { CommittedRows } from '../../shared/adapters/import-visibility';

/** The partition of a site's list of findings, kept beside the findings' own partition. */
const listPartition = (site: SiteId): string => `INTERVIEW-LIST#${site}`;

/** A finding's place in its site's list: newest interview date first, then newest recorded. */
const listKey = (interview: Pick<StoredInterview, 'date' | 'recordedAt' | 'id'>): string =>
  `${interview.date}#${interview.recordedAt}#${interview.id}`;

/**
 * The writes of one interview finding, for composing transactions: the finding, and its entry in
 * the site's list (`INTERVIEW-LIST#<site>`, sorted by date, holding only what the list shows, so a
 * page of the list reads a few hundred bytes a finding instead of the findings themselves, which
 * can be hundreds of kilobytes, and the findings' own key, their id, gives no order).
 * `saveInterview` adds its audit event; a bulk import puts many in one transaction. Refuses to
 * overwrite.
 */
export function interviewPuts(recordsTable: string, interview: StoredInterview): TransactItem[] {
  return [
    {
      Put: {
        TableName: recordsTable,
        Item: { pk: `INTERVIEW#${interview.site}`, sk: interview.id, ...interview },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    {
      Put: {
        TableName: recordsTable,
        Item: { pk: listPartition(interview.site), sk: listKey(interview), ...interviewListingOf(interview) },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
  ];
}

/**
 * Interview findings in the records table: one partition per site, one item per interview or
 * focus group holding all its coded findings (bounded to fit DynamoDB's 400 KB item limit by
 * `prepareInterview`). Also records the audit event of each attachment URL handed out.
 */
export class DynamoInterviewStore implements InterviewStore, UploadAuditLog {
  /** Findings of a bulk import (and their list entries) are not there until its job commits. */
  private readonly committed: CommittedRows;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {
    this.committed = new CommittedRows(db, tables.records);
  }

  async saveInterview(interview: StoredInterview, audit: AuditEvent): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [...interviewPuts(this.tables.records, interview), auditPut(this.tables.audit, audit)],
      }),
    );
  }

  async getInterview(site: SiteId, id: string): Promise<StoredInterview | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.records, Key: { pk: `INTERVIEW#${site}`, sk: id } }),
    );
    const visible = await this.committed.one(Item);
    if (!visible) return undefined;
    const { pk: _pk, sk: _sk, ...interview } = visible;
    return interview as StoredInterview;
  }

  async deleteInterview(interview: StoredInterview, audit: AuditEvent): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tables.records,
                Key: { pk: `INTERVIEW#${interview.site}`, sk: interview.id },
                ConditionExpression: 'attribute_exists(pk)',
              },
            },
            {
              Delete: {
                TableName: this.tables.records,
                Key: { pk: listPartition(interview.site), sk: listKey(interview) },
              },
            },
            auditPut(this.tables.audit, audit),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error, 0)) return false;
      throw error;
    }
  }

  async listInterviews(
    site: SiteId,
    limit: number,
    after?: string,
  ): Promise<{ interviews: InterviewListing[]; more?: string }> {
    const pk = listPartition(site);
    const started = Date.now();
    const { Items = [] } = await this.db.send(
      new QueryCommand({
        TableName: this.tables.records,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ScanIndexForward: false,
        ...(after === undefined ? {} : { ExclusiveStartKey: { pk, sk: after } }),
        // One more than the page, to know whether there is a next page without an empty last one.
        Limit: limit + 1,
      }),
    );
    const page = Items.slice(0, limit);
    const last = page.at(-1);
    // An import's entries are skipped until it commits: such a page may be shorter than `limit`.
    const visible = await this.committed.filter(page, started);
    return {
      interviews: visible.map((item) => withoutKeys(item) as InterviewListing),
      ...(Items.length > limit && last ? { more: last.sk as string } : {}),
    };
  }

  /**
   * Writes the list entry of every finding of a site that has none: findings stored before the list
   * was kept (a one-off after deploying; see `bin/backfill-read-lists.ts`). Each entry is written
   * only while its finding still exists, so an erasure meanwhile leaves no entry behind. Safe to run
   * again; returns how many were written.
   */
  async backfillInterviewList(site: SiteId): Promise<number> {
    const findings = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `INTERVIEW#${site}` },
    });
    let written = 0;
    for (const item of findings) {
      const interview = withoutKeys(item) as StoredInterview;
      const entry = interviewPuts(this.tables.records, interview)[1];
      if (!entry?.Put) continue;
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: this.tables.records,
                  Key: { pk: `INTERVIEW#${site}`, sk: interview.id },
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              entry,
            ],
          }),
        );
        written++;
      } catch (error) {
        // The finding was erased meanwhile, or its entry is already there.
        if (!isConditionFailure(error)) throw error;
      }
    }
    return written;
  }

  async recordUpload(event: AuditEvent): Promise<void> {
    // The audit event is the whole record of an upload: one conditional Put, nothing to pair it with.
    const { Put: put } = auditPut(this.tables.audit, event);
    if (!put) throw new Error('unreachable: an audit write is always a Put');
    await this.db.send(new PutCommand(put));
  }
}
