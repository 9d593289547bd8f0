import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, IdempotencyKeyReusedError } from '../domain/errors';
import type { BeginOutcome, IdempotencyStore, StoredResponse } from '../http/idempotency';

/** How long a key is remembered, as Stripe and the IETF Idempotency-Key draft suggest: a day. */
const KEEP_SECONDS = 24 * 60 * 60;
/** A request still "in progress" after this long is taken to have died, and the key can be used again. */
const IN_PROGRESS_SECONDS = 60;

/** `Idempotency-Key` records in their own table, expired by DynamoDB's TTL. */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async begin(key: string, fingerprint: string): Promise<BeginOutcome> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: key,
            fingerprint,
            state: 'in-progress',
            lockedUntil: nowSeconds + IN_PROGRESS_SECONDS,
            expiresAt: nowSeconds + KEEP_SECONDS,
          },
          ConditionExpression:
            'attribute_not_exists(pk) OR expiresAt < :now OR (#state = :inProgress AND lockedUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':now': nowSeconds, ':inProgress': 'in-progress' },
        }),
      );
      return { kind: 'new' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: key }, ConsistentRead: true }),
    );
    if (Item?.fingerprint !== fingerprint) {
      throw new IdempotencyKeyReusedError('This Idempotency-Key was already used with a different request.');
    }
    if (Item.state !== 'done') {
      throw new ConflictError('A request with this Idempotency-Key is still being processed; retry shortly.');
    }
    return { kind: 'replay', response: Item.response as StoredResponse };
  }

  async complete(key: string, response: StoredResponse): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key },
          UpdateExpression: 'SET #state = :done, #response = :response',
          // An erasure may have removed the claim while the request ran: then no copy is kept, rather
          // than an update creating one, with no expiry, about a person who has just been erased.
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response' },
          ExpressionAttributeValues: { ':done': 'done', ':response': response },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Deletes records outright, whatever their state (erasure of the response copies they keep, on
   * withdrawn consent). Returns how many existed: an expired record may already be gone.
   */
  async forget(keys: readonly string[]): Promise<number> {
    const deleted = await Promise.all(
      keys.map((key) =>
        this.db.send(new DeleteCommand({ TableName: this.table, Key: { pk: key }, ReturnValues: 'ALL_OLD' })),
      ),
    );
    return deleted.filter((result) => result.Attributes !== undefined).length;
  }

  async release(key: string): Promise<void> {
    await this.db.send(
      new DeleteCommand({
        TableName: this.table,
        Key: { pk: key },
        ConditionExpression: '#state = :inProgress',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':inProgress': 'in-progress' },
      }),
    );
  }
}
