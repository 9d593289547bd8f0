import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { auditPut, isConditionFailure, queryAll, withoutKeys } from '../../shared/adapters/dynamo';
import type { AuditEvent } from '../../shared/domain/audit';
import { RetryLaterError } from '../../shared/domain/errors';
import type { SiteId } from '../../shared/domain/sites';
import type { ChangeStore, StoredChange } from './changes';
import type {
  InterestStatus,
  StoredFeedbackAnswer,
  StoredFeedbackLink,
  StoredInterest,
  VoiceStore,
} from './feedback';

type Tables = { readonly records: string; readonly audit: string };

/** `FEEDBACK-LINK#<keyed hash>`: one partition per link, found only by whoever holds the token. */
const linkKey = (hash: string) => ({ pk: `FEEDBACK-LINK#${hash}`, sk: 'LINK' });

const CONFLICT_ATTEMPTS = 4;

/**
 * Links, answers, interest and changes in the records table:
 * - a link under the keyed hash of its token, with `expiresAt` (seconds) for DynamoDB's TTL;
 * - answers in `FEEDBACK#<site>`, sorted by month then a random id (nothing else orders them);
 * - interest in `INTEREST#<site>`, sorted by a random id of its own;
 * - changes in one partition, `CHANGES`, sorted by date then id.
 */
export class DynamoVoiceStore implements VoiceStore, ChangeStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: Tables,
  ) {}

  async saveLink(hash: string, link: StoredFeedbackLink, audit: AuditEvent): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tables.records,
              Item: { ...linkKey(hash), ...link },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditPut(this.tables.audit, audit),
        ],
      }),
    );
  }

  async findLink(hash: string, nowSeconds: number): Promise<StoredFeedbackLink | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tables.records, Key: linkKey(hash), ConsistentRead: true }),
    );
    // TTL deletes expired items some time after they expire, not at once: the expiry is checked here.
    if (!Item || typeof Item.expiresAt !== 'number' || Item.expiresAt <= nowSeconds) return undefined;
    return withoutKeys(Item) as unknown as StoredFeedbackLink;
  }

  async spendLink(
    hash: string,
    nowSeconds: number,
    answer: StoredFeedbackAnswer,
    interest: StoredInterest | undefined,
  ): Promise<'spent' | 'gone'> {
    const items: NonNullable<TransactWriteCommandInput['TransactItems']> = [
      {
        Delete: {
          TableName: this.tables.records,
          Key: linkKey(hash),
          ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now',
          ExpressionAttributeValues: { ':now': nowSeconds },
        },
      },
      {
        Put: {
          TableName: this.tables.records,
          Item: { pk: `FEEDBACK#${answer.site}`, sk: `${answer.month}#${answer.id}`, ...answer },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    if (interest) {
      items.push({
        Put: {
          TableName: this.tables.records,
          Item: { pk: `INTEREST#${interest.site}`, sk: interest.id, ...interest },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }
    for (let attempt = 1; ; attempt++) {
      try {
        await this.db.send(new TransactWriteCommand({ TransactItems: items }));
        return 'spent';
      } catch (error) {
        if (isConditionFailure(error, 0)) return 'gone';
        // Two answers at the same moment: DynamoDB cancels one; tried again, it finds the link spent.
        if (!isConflict(error)) throw error;
        if (attempt >= CONFLICT_ATTEMPTS) {
          throw new RetryLaterError('The answer could not be saved just now; send it again.', 1);
        }
        await pause(attempt * 25);
      }
    }
  }

  async listAnswers(site: SiteId, fromMonth: string, toMonth: string): Promise<StoredFeedbackAnswer[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      // '~' sorts after every id character, so the last month's answers are included.
      ExpressionAttributeValues: { ':pk': `FEEDBACK#${site}`, ':from': fromMonth, ':to': `${toMonth}~` },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredFeedbackAnswer);
  }

  async listInterest(site: SiteId): Promise<StoredInterest[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': `INTEREST#${site}` },
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredInterest);
  }

  async recordOutcome(
    site: SiteId,
    id: string,
    outcome: { readonly status: Exclude<InterestStatus, 'waiting'>; readonly attempts: number },
    audit: AuditEvent,
  ): Promise<boolean> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tables.records,
                Key: { pk: `INTEREST#${site}`, sk: id },
                UpdateExpression: 'SET #status = :status, attempts = :attempts REMOVE sealedReference',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':status': outcome.status, ':attempts': outcome.attempts },
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

  async saveChange(change: StoredChange, audit: AuditEvent): Promise<void> {
    await this.db.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.tables.records,
              Item: { pk: 'CHANGES', sk: `${change.when}#${change.id}`, ...change },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          auditPut(this.tables.audit, audit),
        ],
      }),
    );
  }

  async listChanges(): Promise<StoredChange[]> {
    const items = await queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': 'CHANGES' },
      ScanIndexForward: false,
    });
    return items.map((item) => withoutKeys(item) as unknown as StoredChange);
  }
}

function isConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((reason) => reason.Code === 'TransactionConflict')
  );
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
