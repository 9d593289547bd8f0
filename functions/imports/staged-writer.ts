import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  BEFORE_IMPORT,
  IMPORT_JOB,
  type StagedRecord,
  SUPERSEDED_BY_IMPORT,
} from '../../shared/adapters/import-visibility';
import { PartitionPacer } from './pacer';

type Item = Record<string, unknown>;
type WriteRequest = { PutRequest: { Item: Item } } | { DeleteRequest: { Key: Item } };

/** DynamoDB's limit on the requests of one `BatchWriteItem`. */
const MAX_BATCH_WRITE = 25;
/** Batches in flight at once; the pacer keeps each partition key under its rate whatever this is. */
const CONCURRENCY = 4;
/** A batch DynamoDB throttles whole this many times in a row, backing off up to 5 s each, fails the job. */
const ATTEMPTS = 12;

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
    const requests = records.map((record): WriteRequest => ({
      PutRequest: {
        Item: record.remove
          ? { ...record.remove, [SUPERSEDED_BY_IMPORT]: job }
          : {
              ...record.item,
              [IMPORT_JOB]: job,
              ...(record.before ? { [BEFORE_IMPORT]: record.before } : {}),
            },
      },
    }));
    return this.writeAll(requests, control);
  }

  /** Undoes `stage`: new records deleted, replaced and removed ones put back as they were. */
  async rollback(records: readonly StagedRecord[], signal?: AbortSignal): Promise<void> {
    const requests = records.map((record): WriteRequest => {
      if (record.remove) return { PutRequest: { Item: record.remove } };
      return record.before
        ? { PutRequest: { Item: record.before } }
        : { DeleteRequest: { Key: keyOf(record.item) } };
    });
    await this.writeAll(requests, { ...(signal ? { signal } : {}), progress: () => Promise.resolve(true) });
  }

  /** After the commit: deletes the records the import removed (readers already ignore them). */
  async cleanUp(records: readonly StagedRecord[], signal?: AbortSignal): Promise<void> {
    const requests = records.flatMap((record): WriteRequest[] =>
      record.remove ? [{ DeleteRequest: { Key: keyOf(record.remove) } }] : [],
    );
    await this.writeAll(requests, { ...(signal ? { signal } : {}), progress: () => Promise.resolve(true) });
  }

  private async writeAll(
    requests: readonly WriteRequest[],
    control: { readonly signal?: AbortSignal; readonly progress: (written: number) => Promise<boolean> },
  ): Promise<boolean> {
    const batches: WriteRequest[][] = [];
    for (let i = 0; i < requests.length; i += MAX_BATCH_WRITE)
      batches.push(requests.slice(i, i + MAX_BATCH_WRITE));
    let next = 0;
    let written = 0;
    let stopped = false;
    let failure: { error: unknown } | undefined;
    const worker = async () => {
      while (!stopped && failure === undefined && next < batches.length) {
        const batch = batches[next++] as WriteRequest[];
        try {
          await this.writeBatch(batch, control.signal);
          written += batch.length;
          if (!(await control.progress(written))) stopped = true;
        } catch (error) {
          failure ??= { error };
        }
      }
    };
    // Every batch in flight settles before this returns, so nothing is written after a failure is reported.
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, batches.length) }, worker));
    if (failure) throw failure.error;
    return !stopped;
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
      // Full jitter, so batches throttled together do not all come back together.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5000, 50 * 2 ** attempt)));
    }
  }
}

const keyOf = (item: Item): Item => ({ pk: item.pk, sk: item.sk });

const partitionOf = (request: WriteRequest): string =>
  String('PutRequest' in request ? request.PutRequest.Item.pk : request.DeleteRequest.Key.pk);
