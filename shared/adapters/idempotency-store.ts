import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { ConflictError, GoneError, IdempotencyKeyReusedError } from '../domain/errors';
import type { BeginOutcome, IdempotencyStore, StoredResponse } from '../http/idempotency';

/** How long a key is remembered, as Stripe and the IETF Idempotency-Key draft suggest: a day. */
const KEEP_SECONDS = 24 * 60 * 60;
/** A request still "in progress" after this long is taken to have died, and the key can be used again. */
const IN_PROGRESS_SECONDS = 60;

/** The partition key of an erased request's tombstone: no other record's key starts like this. */
const TOMBSTONE_PREFIX = 'ERASED#';

/**
 * `Idempotency-Key` records in their own table, expired by DynamoDB's TTL.
 *
 * Erasing a participant (`forget`) replaces each response copy about them with a tombstone, so that
 * replaying the key (a client's retry queue, say) cannot run the request again and bring the person
 * back: the replay is refused with 410 Gone. A tombstone holds no personal data, not even the key
 * the client chose (which could hold a reference): its partition key is `ERASED#` and a keyed hash
 * of the record key (`tombstoneOf`), and it expires when the key would have, a day after erasure.
 */
export class DynamoIdempotencyStore implements IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    /** A keyed hash of a record key, e.g. an HMAC under a key of its own purpose. */
    private readonly tombstoneOf: (key: string) => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async begin(key: string, fingerprint: string): Promise<BeginOutcome> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const tombstone = await this.db.send(
      new GetCommand({ TableName: this.table, Key: { pk: this.tombstoneKey(key) }, ConsistentRead: true }),
    );
    if (tombstone.Item && (tombstone.Item.expiresAt as number) >= nowSeconds) {
      throw new GoneError(
        'The participant this request was about has since been erased: the request is not run again. Do not retry it.',
      );
    }
    const claim = randomUUID();
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: key,
            fingerprint,
            claim,
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
      return { kind: 'new', claim };
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

  async complete(key: string, claim: string, response: StoredResponse): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: key },
          UpdateExpression: 'SET #state = :done, #response = :response',
          // An erasure may have removed the claim while the request ran: then no copy is kept, rather
          // than an update creating one, with no expiry, about a person who has just been erased. A
          // claim taken over after its lock lapsed belongs to the later request, which keeps its own copy.
          ConditionExpression: 'attribute_exists(pk) AND #claim = :claim',
          ExpressionAttributeNames: { '#state': 'state', '#response': 'response', '#claim': 'claim' },
          ExpressionAttributeValues: { ':done': 'done', ':response': response, ':claim': claim },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * Deletes records outright, whatever their state (erasure of the response copies they keep, on
   * withdrawn consent), leaving a tombstone for each so that a replay of the key is refused. Returns
   * how many records existed: an expired record may already be gone (its tombstone is still left,
   * since the erasure may have raced the request's first attempt).
   */
  async forget(keys: readonly string[]): Promise<number> {
    const expiresAt = Math.floor(this.now().getTime() / 1000) + KEEP_SECONDS;
    const deleted = await Promise.all(
      keys.map(async (key) => {
        // The tombstone first: if the delete then fails, the key is refused rather than run again.
        await this.db.send(
          new PutCommand({ TableName: this.table, Item: { pk: this.tombstoneKey(key), expiresAt } }),
        );
        return this.db.send(
          new DeleteCommand({ TableName: this.table, Key: { pk: key }, ReturnValues: 'ALL_OLD' }),
        );
      }),
    );
    return deleted.filter((result) => result.Attributes !== undefined).length;
  }

  async release(key: string, claim: string): Promise<void> {
    try {
      await this.db.send(
        new DeleteCommand({
          TableName: this.table,
          Key: { pk: key },
          ConditionExpression: '#state = :inProgress AND #claim = :claim',
          ExpressionAttributeNames: { '#state': 'state', '#claim': 'claim' },
          ExpressionAttributeValues: { ':inProgress': 'in-progress', ':claim': claim },
        }),
      );
    } catch (error) {
      // Someone else's claim, or already gone: nothing of ours to release.
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  private tombstoneKey(key: string): string {
    return `${TOMBSTONE_PREFIX}${this.tombstoneOf(key)}`;
  }
}
