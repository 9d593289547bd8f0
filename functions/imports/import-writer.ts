import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import { ConflictError } from '../../shared/domain/errors';
import type { ImportWrite, ImportWriter } from './imports';
import { auditPut, isConditionFailure } from '../../shared/adapters/dynamo';
import { engagementReturnItem } from '../engagement/engagement-store';
import { interviewPut } from '../findings/interview-store';
import { type DynamoCapitalStore, summaryItem } from '../participants/participant-store';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Item = Record<string, unknown>;

/** DynamoDB's limit on the items of one `TransactWriteItems`. */
const MAX_TRANSACT_ITEMS = 100;
/** Transactions in flight at once: enough to import 10,000 rows in seconds, few enough not to throttle. */
const CONCURRENCY = 8;

/**
 * Writes an import all-or-nothing. DynamoDB has no transaction of 10,000 items, so the rows go in
 * transactions of up to 100 items, each with the same conditions as the single-record routes (a
 * record new, or unchanged since it was read). If any transaction fails, every one that landed is
 * undone: new items deleted, replaced items put back. The audit event is written last, once
 * everything has landed.
 *
 * Readers may briefly see part of an import while it is being written or undone: the trade made
 * for imports of any size without a staging copy of every record.
 */
export class DynamoImportWriter implements ImportWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
    private readonly capital: Pick<DynamoCapitalStore, 'prepareWrite'>,
  ) {}

  async writeAll(write: ImportWrite, audit: AuditEvent): Promise<void> {
    const { items, previous } = this.itemsOf(write);
    const chunks: TransactItem[][] = [];
    for (let i = 0; i < items.length; i += MAX_TRANSACT_ITEMS)
      chunks.push(items.slice(i, i + MAX_TRANSACT_ITEMS));
    const landed: TransactItem[][] = [];
    let failure: unknown;
    let next = 0;
    const worker = async () => {
      while (failure === undefined && next < chunks.length) {
        const chunk = chunks[next++] ?? [];
        try {
          await this.db.send(new TransactWriteCommand({ TransactItems: chunk }));
          landed.push(chunk);
        } catch (error) {
          failure ??= error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, chunks.length) }, worker));
    if (failure === undefined) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [auditPut(this.tables.audit, audit)] }));
        return;
      } catch (error) {
        failure = error;
      }
    }
    await this.undo(landed.flat(), previous);
    if (isConditionFailure(failure)) {
      throw new ConflictError(
        'Records this file changes were changed by someone else while it was being imported. Nothing was imported; send the file again.',
      );
    }
    throw failure;
  }

  /** The items to write, and what each replaced item held before, by key. */
  private itemsOf(write: ImportWrite): { items: TransactItem[]; previous: Map<string, Item> } {
    const records = this.tables.records;
    switch (write.stream) {
      case 'capital-checks':
        return {
          items: write.participants.flatMap((participant) => this.capital.prepareWrite(participant, [])),
          previous: byKey(write.replaced.map(summaryItem)),
        };
      case 'engagement-returns': {
        const replaced = byKey(write.replaced.map(engagementReturnItem));
        const items = write.returns.map((record): TransactItem => {
          const item = engagementReturnItem(record);
          const before = replaced.get(keyOf(item));
          // The return read when the import was planned must still be there, unchanged.
          return {
            Put: {
              TableName: records,
              Item: item,
              ...(before
                ? {
                    ConditionExpression: 'submittedAt = :before',
                    ExpressionAttributeValues: { ':before': before.submittedAt },
                  }
                : { ConditionExpression: 'attribute_not_exists(pk)' }),
            },
          };
        });
        return { items, previous: replaced };
      }
      case 'interview-findings':
        return { items: write.interviews.map((i) => interviewPut(records, i)), previous: new Map() };
    }
  }

  /** Deletes what an unfinished import added and puts back what it replaced. */
  private async undo(landed: readonly TransactItem[], previous: ReadonlyMap<string, Item>): Promise<void> {
    const reverse = landed.flatMap((item): TransactItem[] => {
      const written = item.Put?.TableName === this.tables.records ? item.Put.Item : undefined;
      if (!written) return [];
      const key = { pk: written.pk as unknown, sk: written.sk as unknown };
      const before = previous.get(keyOf(written));
      return [
        before
          ? { Put: { TableName: this.tables.records, Item: before } }
          : { Delete: { TableName: this.tables.records, Key: key } },
      ];
    });
    for (let i = 0; i < reverse.length; i += MAX_TRANSACT_ITEMS) {
      await this.db.send(
        new TransactWriteCommand({ TransactItems: reverse.slice(i, i + MAX_TRANSACT_ITEMS) }),
      );
    }
  }
}

const keyOf = (item: Item): string => `${String(item.pk)}\u0000${String(item.sk)}`;
const byKey = (items: readonly Item[]): Map<string, Item> =>
  new Map(items.map((item) => [keyOf(item), item]));
