import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { auditPut, isConditionFailure } from '../../shared/adapters/dynamo';
import { importJobKey } from '../../shared/adapters/import-visibility';
import type { AuditEvent } from '../../shared/domain/audit';
import type { ImportJob, ImportJobState, ImportJobStore, JobFields } from './import-jobs';

/**
 * Import jobs in the records table, one item each: `IMPORT#<id>` / `JOB`. The item's `state` is
 * also the commit marker every reader of imported records consults (`CommittedRows`), so the move
 * to `committed` is the one write that makes an import visible. Every move is conditional on the
 * state it leaves, so a worker run twice, or a cancel racing a commit, ends in one state.
 */
export class DynamoImportJobStore implements ImportJobStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
    private readonly now: () => Date,
  ) {}

  async create(job: ImportJob): Promise<void> {
    await this.db.send(
      new PutCommand({
        TableName: this.tables.records,
        Item: { ...importJobKey(job.id), recordType: 'import-job', ...job },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(id: string): Promise<ImportJob | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.records, Key: importJobKey(id), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    const { pk: _pk, sk: _sk, recordType: _type, ...job } = Item;
    return job as unknown as ImportJob;
  }

  async transition(
    id: string,
    from: readonly ImportJobState[],
    to: ImportJobState,
    fields: JobFields = {},
  ): Promise<boolean> {
    try {
      await this.db.send(new UpdateCommand(this.updateInput(id, from, { ...fields, state: to })));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  update(id: string, state: ImportJobState, fields: JobFields): Promise<boolean> {
    return this.transition(id, [state], state, fields);
  }

  async commit(id: string, fields: JobFields, audit: AuditEvent): Promise<boolean> {
    const {
      Key,
      UpdateExpression,
      ConditionExpression,
      ExpressionAttributeNames,
      ExpressionAttributeValues,
    } = this.updateInput(id, ['writing'], {
      ...fields,
      state: 'committed',
      // Readers show the import only to reads that began after this (see `CommittedRows`).
      committedAt: this.now().toISOString(),
    });
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.records,
                Key,
                UpdateExpression,
                ConditionExpression,
                ExpressionAttributeNames,
                ExpressionAttributeValues,
              },
            },
            auditPut(this.tables.audit, audit),
          ],
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw error;
    }
  }

  private updateInput(id: string, from: readonly ImportJobState[], fields: Record<string, unknown>) {
    const set = { ...fields, updatedAt: this.now().toISOString() };
    const names = Object.keys(set);
    return {
      TableName: this.tables.records,
      Key: importJobKey(id),
      UpdateExpression: `SET ${names.map((_, i) => `#f${i} = :f${i}`).join(', ')}`,
      ConditionExpression: `#state IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      ExpressionAttributeNames: {
        '#state': 'state',
        ...Object.fromEntries(names.map((name, i) => [`#f${i}`, name])),
      },
      ExpressionAttributeValues: {
        ...Object.fromEntries(names.map((name, i) => [`:f${i}`, set[name as keyof typeof set]])),
        ...Object.fromEntries(from.map((state, i) => [`:from${i}`, state])),
      },
    };
  }
}
