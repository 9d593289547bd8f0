import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import { ConflictError, RetryLaterError } from '../../shared/domain/errors';
import type { Deadline } from '../../shared/http/api';
import { countMetric, METRIC_NAMES } from '../../shared/http/metrics';
import type { ImportWrite, ImportWriter } from './imports';
import {
  auditPut,
  isConditionFailure,
  type TransactItem,
  MAX_TRANSACT_ITEMS,
} from '../../shared/adapters/dynamo';
import { engagementReturnItem } from '../engagement/engagement-store';
import { interviewPuts } from '../findings/interview-store';
import { type DynamoCapitalStore, followUpItemOf, summaryItem } from '../participants/participant-store';

type Item = Record<string, unknown>;

/** DynamoDB's limit on the items of one `TransactWriteItems`. */
/** Transactions in flight at once: enough to import thousands of rows in seconds, few enough not to throttle. */
const CONCURRENCY = 8;
/**
 * What one item costs at DynamoDB's rate for one partition key (about 1,000 write units a second):
 * a transactional write of an item under 1 KB takes 2 write units, so 2 ms. All of a site's
 * capital checks share one partition key, which is what limits how many rows fit in one request.
 */
const MS_PER_ITEM_AT_PARTITION_LIMIT = 2;
/** Kept back from the deadline for the audit write, the answer and clock slack. */
const SAFETY_MS = 1500;
/** Throttled undo transactions are tried again this many times, backing off from 50 ms. */
const UNDO_ATTEMPTS = 6;
/** How long a refused caller is asked to wait before sending the file again. */
const RETRY_AFTER_SECONDS = 30;

const TRY_AGAIN = `Nothing was imported; send the file again in ${RETRY_AFTER_SECONDS} seconds, or in smaller files.`;

/** DynamoDB's answers when a partition (or the table) is taking writes faster than it can. */
const isThrottling = (error: unknown): boolean =>
  error instanceof Error &&
  ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'].includes(
    error.name,
  );

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
    /**
     * The write rate the up-front check assumes, in ms per item: DynamoDB's per-partition rate by
     * default; 0 against DynamoDB Local, which has no such limit (the row cap still holds there).
     */
    private readonly msPerItem = MS_PER_ITEM_AT_PARTITION_LIMIT,
  ) {}

  /**
   * Refuses up front when the items cannot be written before the deadline at the partition's rate;
   * stops starting transactions when the deadline nears (leaving time to undo what landed, at the
   * pace measured so far) or the signal aborts; then undoes and refuses with `RetryLaterError`, so
   * nothing is written after the answer.
   */
  async writeAll(write: ImportWrite, audit: AuditEvent, deadline?: Deadline): Promise<void> {
    const { items, previous } = this.itemsOf(write);
    const remaining = () => deadline?.remainingMs() ?? Number.POSITIVE_INFINITY;
    // The rate limit is per partition key: what counts is the busiest one (a site's capital checks).
    const writingMs = busiestPartition(items) * this.msPerItem;
    if (writingMs + SAFETY_MS > remaining()) {
      throw new RetryLaterError(
        `This file needs about ${Math.ceil(writingMs / 1000)} s of writing and the request has ${Math.max(0, Math.floor(remaining() / 1000))} s left. ${TRY_AGAIN}`,
        RETRY_AFTER_SECONDS,
      );
    }
    const chunks = chunked(items);
    const landed: TransactItem[][] = [];
    let failure: unknown;
    let spentMs = 0;
    // Undoing takes about as long per transaction as writing did: keep that time back.
    const undoReserveMs = () =>
      SAFETY_MS +
      Math.ceil((landed.length + CONCURRENCY) / CONCURRENCY) * (spentMs / Math.max(1, landed.length));
    const outOfTime = () => deadline?.signal.aborted === true || remaining() < undoReserveMs();
    await inPool(chunks, async (chunk) => {
      if (failure !== undefined) return;
      if (outOfTime()) {
        failure = new RetryLaterError(`The import ran out of time. ${TRY_AGAIN}`, RETRY_AFTER_SECONDS);
        return;
      }
      const started = Date.now();
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: chunk }));
        landed.push(chunk);
        spentMs += Date.now() - started;
      } catch (error) {
        failure ??= error;
      }
    });
    if (failure === undefined) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: [auditPut(this.tables.audit, audit)] }));
        return;
      } catch (error) {
        failure = error;
      }
    }
    await this.undo(landed.flat(), previous);
    countMetric(METRIC_NAMES.importUndone);
    if (isConditionFailure(failure)) {
      throw new ConflictError(
        'Records this file changes were changed by someone else while it was being imported. Nothing was imported; send the file again.',
      );
    }
    if (isThrottling(failure)) {
      throw new RetryLaterError(
        `The site's records are taking more writes than DynamoDB allows at once. ${TRY_AGAIN}`,
        RETRY_AFTER_SECONDS,
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
          // The summaries replaced, and the follow-up entries they had, which a check moves.
          previous: byKey(
            write.replaced.flatMap((summary) => [summaryItem(summary), followUpItemOf(summary) ?? []].flat()),
          ),
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
        return { items: write.interviews.flatMap((i) => interviewPuts(records, i)), previous: new Map() };
    }
  }

  /** Deletes what an unfinished import added and puts back what it replaced. */
  private async undo(landed: readonly TransactItem[], previous: ReadonlyMap<string, Item>): Promise<void> {
    const reverse = landed.flatMap((item): TransactItem[] => {
      // A deleted item (a follow-up entry the import moved) is put back as it was.
      const deleted = item.Delete?.TableName === this.tables.records ? item.Delete.Key : undefined;
      if (deleted) {
        const before = previous.get(keyOf(deleted));
        return before ? [{ Put: { TableName: this.tables.records, Item: before } }] : [];
      }
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
    await inPool(chunked(reverse), async (chunk) => {
      // The partition that throttled the import may throttle its undoing too: keep trying, backing off.
      for (let attempt = 0; ; attempt++) {
        try {
          await this.db.send(new TransactWriteCommand({ TransactItems: chunk }));
          return;
        } catch (error) {
          if (!isThrottling(error) || attempt >= UNDO_ATTEMPTS) throw error;
          await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** attempt));
        }
      }
    });
  }
}

/** The most items any one partition key receives. */
function busiestPartition(items: readonly TransactItem[]): number {
  const counts = new Map<unknown, number>();
  for (const item of items) {
    const pk: unknown = item.Put?.Item?.pk ?? item.Delete?.Key?.pk ?? item.Update?.Key?.pk;
    counts.set(pk, (counts.get(pk) ?? 0) + 1);
  }
  return Math.max(0, ...counts.values());
}

const keyOf = (item: Item): string => `${String(item.pk)}\u0000${String(item.sk)}`;
const byKey = (items: readonly Item[]): Map<string, Item> =>
  new Map(items.map((item) => [keyOf(item), item]));

const chunked = (items: readonly TransactItem[]): TransactItem[][] => {
  const chunks: TransactItem[][] = [];
  for (let i = 0; i < items.length; i += MAX_TRANSACT_ITEMS)
    chunks.push(items.slice(i, i + MAX_TRANSACT_ITEMS));
  return chunks;
};

/** Runs `work` over every task, `CONCURRENCY` at a time. */
async function inPool<T>(tasks: readonly T[], work: (task: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++] as T;
      await work(task);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tasks.length) }, worker));
}
