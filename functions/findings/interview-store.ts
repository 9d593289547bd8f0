import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import type { InterviewStore, StoredInterview } from './interviews';
import type { SiteId } from '../../shared/domain/sites';
import type { UploadAuditLog } from './uploads';
import { auditPut, isConditionFailure, type TransactItem } from '../../shared/adapters/dynamo';
import { CommittedRows } from '../../shared/adapters/import-visibility';

/**
 * The write of one interview finding, for composing transactions: `saveInterview` pairs it with its
 * audit event; a bulk import can put many pairs in one transaction. Refuses to overwrite.
 */
export function interviewPut(recordsTable: string, interview: StoredInterview): TransactItem {
  return {
    Put: {
      TableName: recordsTable,
      Item: { pk: `INTERVIEW#${interview.site}`, sk: interview.id, ...interview },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * Interview findings in the records table: one partition per site, one item per interview or
 * focus group holding all its coded findings (bounded to fit DynamoDB's 400 KB item limit by
 * `prepareInterview`). Also records the audit event of each attachment URL handed out.
 */
export class DynamoInterviewStore implements InterviewStore, UploadAuditLog {
  /** Findings of a bulk import are not there until its job commits. */
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
        TransactItems: [interviewPut(this.tables.records, interview), auditPut(this.tables.audit, audit)],
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

  async deleteInterview(site: SiteId, id: string, audit: AuditEvent): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tables.records,
                Key: { pk: `INTERVIEW#${site}`, sk: id },
                ConditionExpression: 'attribute_exists(pk)',
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

  async recordUpload(event: AuditEvent): Promise<void> {
    // The audit event is the whole record of an upload: one conditional Put, nothing to pair it with.
    const { Put: put } = auditPut(this.tables.audit, event);
    if (!put) throw new Error('unreachable: an audit write is always a Put');
    await this.db.send(new PutCommand(put));
  }
}
