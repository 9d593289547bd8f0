import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchWriteCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { MAX_TRANSACT_ITEMS } from '../../shared/adapters/dynamo';
import {
  BEFORE_IMPORT,
  IMPORT_JOB,
  type StagedRecord,
  SUPERSEDED_BY_IMPORT,
} from '../../shared/adapters/import-visibility';
import { PartitionPacer } from './pacer';

type Item = Record<string, unknown>;
type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };
/**
 * A write with a condition (`BatchWriteItem` takes none). Staged ones go 100 to a transaction: it
 * costs twice the write units of a plain put, and one request for 100 records (single conditional
 * puts, at the same units, made a 10,000-row import twice as long on DynamoDB Local, one request a
 * record). `undo` ones go one by one and ignore a failed condition: the record is no longer this
 * import's, so there is nothing of it to undo.
 */
interface GuardedWrite {
  readonly request: WriteRequest;
  readonly condition: string;
  readonly values: Item;
  readonly undo: boolean;
}
/** What one worker slot sends at a time: a batch of plain writes, or guarded ones (see `unitsOf`). */
type Unit = { readonly batch: WriteRequest[] } | { readonly guarded: GuardedWrite[] };

/** A guarded record was changed by someone else after the import read it (see `StagedRecord`). */
export class StagedConflictError extends Error {
  override readonly name = 'StagedConflictError';
}

/** DynamoDB's limit on the requests of one `BatchWriteItem`. */
const MAX_BATCH_WRITE = 25;
/** Batches in flight at once; the pacer keeps each partition key under its rate whatever this is. */
const CONCURRENCY = 4;
/** A batch DynamoDB throttles whole this many times in a row, backing off up to 5 s each, fails the job. */
const ATTEMPTS = 12;
/** A transaction of guarded records throttled this many times in a row is split in two. */
const SPLIT_AFTER = 3;

/** DynamoDB's answers when a partition (or the table) is taking writes faster than it can. */
export const isThrottling = (error: unknown): boolean =>
  error instanceof Error &&
  ['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded'].includes(
    error.name,
  );

/** Write units of one item: a unit per started KB of its size (names and values, roughly as DynamoDB counts). */
export const writeUnits = (item: Item): number =>
  Math.max(1, Math.ceil(Buffer.byteLength(JSON.stringify(item)) / 1024));

/**
 * Writes an import's records with plain `BatchWriteItem` (no conditions, no transactions: half the
 * write units), paced per partition key by a {@link PartitionPacer}. Every request is a whole-item
 * put or delete with a key fixed by the records, so writing the same records again (a worker run
 * twice) writes nothing new and ends in the same state.
 */
export class StagedImportWriter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly pacer: PartitionPacer = new PartitionPacer(),
  ) {}

  /**
   * Puts every record pending under `job`: a new or replacing record with the job's id (and the
   * record it replaces), a removed one marked. `progress` is told the records written after each
   * batch; it returns false to stop (the job was cancelled), and then `stage` returns false.
   */
  stage(
    job: string,
    records: readonly StagedRecord[],
    control: { readonly signal?: AbortSignal; readonly progress: (written: number) => Promise<boolean> },
  ): Promise<boolean> {
    const plain: WriteRequest[] = [];
    const guarded: GuardedWrite[] = [];
    for (const record of records) {
      if (record.remove) {
        plain.push({ PutRequest: { Item: { ...record.remove, [SUPERSEDED_BY_IMPORT]: job } } });
        continue;
      }
      const request: WriteRequest = {
        PutRequest: {
          Item: {
            ...record.item,
            [IMPORT_JOB]: job,
            ...(record.before ? { [BEFORE_IMPORT]: record.before } : {}),
          },
        },
      };
      if (!record.guarded) {
        plain.push(request);
        continue;
      }
      // Still the record the import read (or none), or already staged by this job (a second run).
      const version = record.before?.version;
      guarded.push({
        request,
        condition:
          version === undefined
            ? 'attribute_not_exists(pk) OR #job = :job'
            : '#version = :version OR #job = :job',
        values: { ':job': job, ...(version === undefined ? {} : { ':version': version }) },
        undo: false,
      });
    }
    return this.writeAll(unitsOf(plain, guarded), control);
  }

  /** Undoes `stage`: new records deleted, replaced and removed ones put back as they were. */
  async rollback(job: string, records: readonly StagedRecord[], signal?: AbortSignal): Promise<void> {
    const plain: WriteRequest[] = [];
    const guarded: GuardedWrite[] = [];
    for (const record of records) {
      const request: WriteRequest = record.remove
        ? { PutRequest: { Item: record.remove } }
        : record.before
          ? { PutRequest: { Item: record.before } }
          : { DeleteRequest: { Key: keyOf(record.item) } };
      // A guarded record is put back only while it is still this job's: never over someone's later check.
      if (record.guarded) {
        guarded.push({ request, condition: '#job = :job', values: { ':job': job }, undo: true });
      } else plain.push(request);
    }
    await this.writeAll(unitsOf(plain, guarded), {
      ...(signal ? { signal } : {}),
      progress: () => Promise.resolve(true),
    });
  }

  /** After the commit: deletes the records the import removed (readers already ignore them). */
  async cleanUp(records: readonly StagedRecord[], signal?: AbortSignal): Promise<void> {
    const requests = records.flatMap((record): WriteRequest[] =>
      record.remove ? [{ DeleteRequest: { Key: keyOf(record.remove) } }] : [],
    );
    await this.writeAll(unitsOf(requests, []), {
      ...(signal ? { signal } : {}),
      progress: () => Promise.resolve(true),
    });
  }

  private async writeAll(
    units: readonly Unit[],
    control: { readonly signal?: AbortSignal; readonly progress: (written: number) => Promise<boolean> },
  ): Promise<boolean> {
    let next = 0;
    let written = 0;
    let stopped = false;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (!stopped && failure === undefined && next < units.length) {
        const unit = units[next++] as Unit;
        try {
          if ('batch' in unit) await this.writeBatch(unit.batch, control.signal);
          else if (unit.guarded.every((write) => write.undo)) {
            await Promise.all(unit.guarded.map((write) => this.undoGuarded(write, control.signal)));
          } else await this.stageGuarded(unit.guarded, control.signal);
          written += 'batch' in unit ? unit.batch.length : unit.guarded.length;
          if (!(await control.progress(written))) stopped = true;
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    // Every unit in flight settles before this returns, so nothing is written after a failure is reported.
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, units.length) }, worker));
    if (failure) throw failure.error;
    return !stopped;
  }

  /**
   * Guarded records staged in one transaction, paced at twice their units (what a transaction
   * costs); a failed condition on any of them is a conflict, a throttle or a clash with another
   * write is tried again after a pause, and a transaction throttled three times in a row is split
   * in two.
   */
  private async stageGuarded(writes: readonly GuardedWrite[], signal?: AbortSignal): Promise<void> {
    const puts = writes.map((write) => ({
      write,
      item: (write.request as { PutRequest: { Item: Item } }).PutRequest.Item,
    }));
    for (let attempt = 1; ; attempt++) {
      for (const { item } of puts) await this.pacer.take(String(item.pk), 2 * writeUnits(item), signal);
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: puts.map(({ write, item }) => ({
              Put: { ...conditionOf(this.table, write), Item: item },
            })),
          }),
          signal ? { abortSignal: signal } : {},
        );
        return;
      } catch (error) {
        if (!(error instanceof TransactionCanceledException) && !isThrottling(error)) throw error;
        const reasons =
          error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) {
          throw new StagedConflictError(
            'A record the import read was changed before the import could write it.',
          );
        }
        const retryable = ['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict', 'None'];
        if (!reasons.every((reason) => retryable.includes(reason.Code ?? 'None'))) throw error;
        for (const key of new Set(puts.map(({ item }) => String(item.pk)))) this.pacer.slowDown(key);
        // A transaction too big for what a key takes in a second never fits: halve it.
        if (attempt >= SPLIT_AFTER && writes.length > 1) {
          const half = Math.ceil(writes.length / 2);
          await this.stageGuarded(writes.slice(0, half), signal);
          await this.stageGuarded(writes.slice(half), signal);
          return;
        }
        if (attempt >= ATTEMPTS) {
          throw new Error(`DynamoDB kept refusing the import's writes after ${ATTEMPTS} attempts.`);
        }
        await pause(attempt);
      }
    }
  }

  /** Puts back (or deletes) one guarded record while it is still this import's. */
  private async undoGuarded(write: GuardedWrite, signal?: AbortSignal): Promise<void> {
    const put = 'PutRequest' in write.request ? write.request.PutRequest.Item : undefined;
    const key = put ? keyOf(put) : (write.request as { DeleteRequest: { Key: Item } }).DeleteRequest.Key;
    for (let attempt = 1; ; attempt++) {
      await this.pacer.take(String(key.pk), writeUnits(put ?? key), signal);
      try {
        const options = signal ? { abortSignal: signal } : {};
        const condition = conditionOf(this.table, write);
        if (put) await this.db.send(new PutCommand({ ...condition, Item: put }), options);
        else await this.db.send(new DeleteCommand({ ...condition, Key: key }), options);
        return;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return;
        if (!isThrottling(error)) throw error;
        this.pacer.slowDown(String(key.pk));
        if (attempt >= ATTEMPTS) {
          throw new Error(`DynamoDB kept throttling the import's writes after ${ATTEMPTS} attempts.`);
        }
        await pause(attempt);
      }
    }
  }

  /** One batch, paced; what DynamoDB leaves unprocessed (throttled) is sent again after a pause. */
  private async writeBatch(batch: readonly WriteRequest[], signal?: AbortSignal): Promise<void> {
    for (const request of batch) {
      const item = 'PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key;
      await this.pacer.take(String(item.pk), writeUnits(item), signal);
    }
    let pending = [...batch];
    for (let attempt = 1; pending.length > 0; attempt++) {
      signal?.throwIfAborted();
      try {
        const { UnprocessedItems } = await this.db.send(
          new BatchWriteCommand({ RequestItems: { [this.table]: pending } }),
          signal ? { abortSignal: signal } : {},
        );
        const unprocessed = (UnprocessedItems?.[this.table] ?? []) as WriteRequest[];
        for (const key of new Set(unprocessed.map(partitionOf))) this.pacer.slowDown(key);
        // Only attempts that wrote nothing count towards giving up: a batch that moves on is not stuck.
        if (unprocessed.length < pending.length) attempt = 0;
        pending = unprocessed;
      } catch (error) {
        if (!isThrottling(error)) throw error;
        for (const key of new Set(pending.map(partitionOf))) this.pacer.slowDown(key);
      }
      if (pending.length === 0) return;
      if (attempt >= ATTEMPTS) {
        throw new Error(`DynamoDB kept throttling the import's writes after ${ATTEMPTS} attempts.`);
      }
      await pause(attempt);
    }
  }
}

const keyOf = (item: Item): Item => ({ pk: item.pk, sk: item.sk });

const partitionOf = (request: WriteRequest): string =>
  String('PutRequest' in request ? request.PutRequest.Item.pk : request.DeleteRequest.Key.pk);

/** Plain writes in batches of 25, then guarded ones: 100 to a transaction when staged, 25 at a time when undone. */
function unitsOf(plain: readonly WriteRequest[], guarded: readonly GuardedWrite[]): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < plain.length; i += MAX_BATCH_WRITE)
    units.push({ batch: plain.slice(i, i + MAX_BATCH_WRITE) });
  const size = guarded.some((write) => !write.undo) ? MAX_TRANSACT_ITEMS : MAX_BATCH_WRITE;
  for (let i = 0; i < guarded.length; i += size) units.push({ guarded: guarded.slice(i, i + size) });
  return units;
}

function conditionOf(table: string, write: GuardedWrite) {
  return {
    TableName: table,
    ConditionExpression: write.condition,
    ExpressionAttributeNames: {
      '#job': IMPORT_JOB,
      ...(write.condition.includes('#version') ? { '#version': 'version' } : {}),
    },
    ExpressionAttributeValues: write.values,
  };
}

/** Full jitter, so writes throttled together do not all come back together. */
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5000, 50 * 2 ** attempt)));
