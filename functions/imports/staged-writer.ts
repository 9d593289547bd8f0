import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
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
/** One write of a group, with the condition it carries, if any (the summary's). */
interface GroupWrite {
  readonly request: WriteRequest;
  readonly condition?: { readonly expression: string; readonly values: Item };
}
/**
 * A participant's records but the checks (summary, follow-up entry, the entry it moves), written
 * together in one transaction or not at all, on the summary's condition. A transaction costs twice
 * the write units of a plain put; single conditional puts (the same units, one request a record)
 * made a 10,000-row import twice as long on DynamoDB Local.
 */
type Group = readonly GroupWrite[];
/**
 * What one worker slot sends at a time: a batch of plain writes, or groups in one transaction of
 * at most 100 items (`undo`: putting back what the job staged, each group only while it is still
 * the job's).
 */
type Unit = { readonly batch: WriteRequest[] } | { readonly groups: Group[]; readonly undo: boolean };

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
    const groups = new Map<string, GroupWrite[]>();
    for (const record of records) {
      const request: WriteRequest = record.remove
        ? { PutRequest: { Item: { ...record.remove, [SUPERSEDED_BY_IMPORT]: job } } }
        : {
            PutRequest: {
              Item: {
                ...record.item,
                [IMPORT_JOB]: job,
                ...(record.before ? { [BEFORE_IMPORT]: record.before } : {}),
              },
            },
          };
      if (record.group === undefined) {
        plain.push(request);
        continue;
      }
      // The summary: still the one the import read (or none), or already staged by this job (a second run).
      const version = record.guarded ? record.before?.version : undefined;
      const condition = record.guarded
        ? {
            expression:
              version === undefined
                ? 'attribute_not_exists(pk) OR #job = :job'
                : '#version = :version OR #job = :job',
            values: { ':job': job, ...(version === undefined ? {} : { ':version': version }) },
          }
        : undefined;
      groupOf(groups, record.group).push({ request, ...(condition ? { condition } : {}) });
    }
    return this.writeAll(unitsOf(plain, [...groups.values()], false), control);
  }

  /**
   * Undoes `stage`: new records deleted, replaced and removed ones put back as they were. A group
   * is put back only while its summary is still this job's: never over a check recorded since, and
   * never bringing back a person erased since.
   */
  async rollback(job: string, records: readonly StagedRecord[], signal?: AbortSignal): Promise<void> {
    const plain: WriteRequest[] = [];
    const groups = new Map<string, GroupWrite[]>();
    for (const record of records) {
      const request: WriteRequest = record.remove
        ? { PutRequest: { Item: record.remove } }
        : record.before
          ? { PutRequest: { Item: record.before } }
          : { DeleteRequest: { Key: keyOf(record.item) } };
      if (record.group === undefined) plain.push(request);
      else {
        groupOf(groups, record.group).push({
          request,
          ...(record.guarded ? { condition: { expression: '#job = :job', values: { ':job': job } } } : {}),
        });
      }
    }
    await this.writeAll(unitsOf(plain, [...groups.values()], true), {
      ...(signal ? { signal } : {}),
      progress: () => Promise.resolve(true),
    });
  }

  /** After the commit: deletes the records the import removed (readers already ignore them). */
  async cleanUp(records: readonly StagedRecord[], signal?: AbortSignal): Promise<void> {
    const requests = records.flatMap((record): WriteRequest[] =>
      record.remove ? [{ DeleteRequest: { Key: keyOf(record.remove) } }] : [],
    );
    await this.writeAll(unitsOf(requests, [], false), {
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
          else if (unit.undo) await this.undoGroups(unit.groups, control.signal);
          else await this.stageGroups(unit.groups, control.signal);
          written += 'batch' in unit ? unit.batch.length : unit.groups.reduce((n, g) => n + g.length, 0);
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
   * Groups staged in one transaction, paced at twice their units (what a transaction costs): a
   * failed condition is a conflict; a throttle or a clash with another write is tried again after a
   * pause, and a transaction throttled three times in a row is split in two.
   */
  private async stageGroups(groups: readonly Group[], signal?: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.transact(groups, signal);
      if (outcome === 'written') return;
      if (outcome === 'condition failed') {
        throw new StagedConflictError(
          'A record the import read was changed before the import could write it.',
        );
      }
      // A transaction too big for what a key takes in a second never fits: halve it.
      if (attempt >= SPLIT_AFTER && groups.length > 1) {
        const half = Math.ceil(groups.length / 2);
        await this.stageGroups(groups.slice(0, half), signal);
        await this.stageGroups(groups.slice(half), signal);
        return;
      }
      if (attempt >= ATTEMPTS) {
        throw new Error(`DynamoDB kept refusing the import's writes after ${ATTEMPTS} attempts.`);
      }
      await pause(attempt);
    }
  }

  /** Groups put back together; when one is no longer this job's, each is tried alone and that one left. */
  private async undoGroups(groups: readonly Group[], signal?: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const outcome = await this.transact(groups, signal);
      if (outcome === 'written') return;
      if (outcome === 'condition failed') {
        if (groups.length === 1) return;
        for (const group of groups) await this.undoGroups([group], signal);
        return;
      }
      if (attempt >= ATTEMPTS) {
        throw new Error(`DynamoDB kept refusing the import's writes after ${ATTEMPTS} attempts.`);
      }
      await pause(attempt);
    }
  }

  /** One transaction of the groups' writes, paced; what became of it. */
  private async transact(
    groups: readonly Group[],
    signal?: AbortSignal,
  ): Promise<'written' | 'condition failed' | 'refused'> {
    const writes = groups.flat();
    for (const { request } of writes) {
      const item = 'PutRequest' in request ? request.PutRequest.Item : request.DeleteRequest.Key;
      await this.pacer.take(String(item.pk), 2 * writeUnits(item), signal);
    }
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: writes.map(({ request, condition }) => {
            const guard = condition
              ? {
                  ConditionExpression: condition.expression,
                  ExpressionAttributeNames: {
                    '#job': IMPORT_JOB,
                    ...(condition.expression.includes('#version') ? { '#version': 'version' } : {}),
                  },
                  ExpressionAttributeValues: condition.values,
                }
              : {};
            return 'PutRequest' in request
              ? { Put: { TableName: this.table, Item: request.PutRequest.Item, ...guard } }
              : { Delete: { TableName: this.table, Key: request.DeleteRequest.Key, ...guard } };
          }),
        }),
        signal ? { abortSignal: signal } : {},
      );
      return 'written';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException) && !isThrottling(error)) throw error;
      const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons.some((reason) => reason.Code === 'ConditionalCheckFailed')) return 'condition failed';
      const retryable = ['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict', 'None'];
      if (!reasons.every((reason) => retryable.includes(reason.Code ?? 'None'))) throw error;
      for (const { request } of writes) this.pacer.slowDown(partitionOf(request));
      return 'refused';
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

/** Plain writes in batches of 25, then groups: as many whole groups as fit in a transaction of 100. */
function unitsOf(plain: readonly WriteRequest[], groups: readonly Group[], undo: boolean): Unit[] {
  const units: Unit[] = [];
  for (let i = 0; i < plain.length; i += MAX_BATCH_WRITE) {
    units.push({ batch: plain.slice(i, i + MAX_BATCH_WRITE) });
  }
  let chunk: Group[] = [];
  let items = 0;
  for (const group of groups) {
    if (items + group.length > MAX_TRANSACT_ITEMS && chunk.length > 0) {
      units.push({ groups: chunk, undo });
      chunk = [];
      items = 0;
    }
    chunk.push(group);
    items += group.length;
  }
  if (chunk.length > 0) units.push({ groups: chunk, undo });
  return units;
}

function groupOf(groups: Map<string, GroupWrite[]>, key: string): GroupWrite[] {
  let group = groups.get(key);
  if (group === undefined) {
    group = [];
    groups.set(key, group);
  }
  return group;
}

/** Full jitter, so writes throttled together do not all come back together. */
const pause = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(5000, 50 * 2 ** attempt)));
