import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Item = Record<string, unknown>;

/** The id of the import job that wrote a record; kept on the record once the job has committed. */
export const IMPORT_JOB = 'importJob';
/** On a record an import replaces: the record as it was, which readers see until the job commits. */
export const BEFORE_IMPORT = 'beforeImport';
/** On a record an import removes (a follow-up entry it moves): hidden once that job commits. */
export const SUPERSEDED_BY_IMPORT = 'supersededByImport';

/** The key of an import job's item in the records table; its `state` says whether it committed. */
export const importJobKey = (id: string) => ({ pk: `IMPORT#${id}`, sk: 'JOB' });

/** DynamoDB's limit on the keys of one `BatchGetItem`. */
const MAX_KEYS = 100;

/**
 * The committed-rows-only filter every reader of imported streams passes its items through. A bulk
 * import writes its rows as pending under its job's id and makes them visible all at once with one
 * item, its job's `state: committed`; until then (and for ever if it fails or is cancelled) readers
 * see the records as they were before the import: a replaced record through its `beforeImport`
 * copy, a new one not at all, a removed one still there.
 *
 * A read that overlaps a commit must not show part of a file: a Query that passed a key before the
 * import had staged its rows there, and was filtered after the commit, would. So a job counts as
 * committed for a read only if its `committedAt` (taken by the worker once every row was staged,
 * just before the commit) is no later than when the read started: the read then finds every row.
 * This compares two functions' clocks, which Lambda keeps in step to about a millisecond; a read
 * begun within that of a commit is the one case left. Committed is final, so committed jobs are
 * remembered for the life of the process; any other state is read again on the next call.
 *
 * @example
 *   const started = Date.now();
 *   const visible = await committed.filter(await queryAll(db, input), started); // Query, then filter
 */
export class CommittedRows {
  /** Committed jobs and when they committed (0 for jobs committed before that was recorded). */
  private readonly committed = new Map<string, number>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
  ) {}

  /**
   * The items as readers must see them, without the import's bookkeeping attributes. `readStartedAt`
   * is when the read that returned them began (`Date.now()` before the Query).
   */
  async filter(items: readonly Item[], readStartedAt: number): Promise<Item[]> {
    const unknown = new Set<string>();
    for (const item of items) {
      for (const job of [item[IMPORT_JOB], item[SUPERSEDED_BY_IMPORT]]) {
        if (typeof job === 'string' && !this.committed.has(job)) unknown.add(job);
      }
    }
    await this.learn([...unknown]);
    const visible = (job: string) => (this.committed.get(job) ?? Infinity) <= readStartedAt;
    return items.flatMap((item) => {
      const superseded = item[SUPERSEDED_BY_IMPORT];
      if (typeof superseded === 'string' && visible(superseded)) return [];
      const job = item[IMPORT_JOB];
      if (typeof job !== 'string' || visible(job)) return [withoutBookkeeping(item)];
      const before = item[BEFORE_IMPORT] as Item | undefined;
      return before ? [withoutBookkeeping(before)] : [];
    });
  }

  /**
   * One item as readers must see it: `undefined` when it is not (yet) visible. One item is read
   * whole, so any commit before now counts: there is no part of a file to show.
   */
  async one(item: Item | undefined): Promise<Item | undefined> {
    return item ? (await this.filter([item], Infinity))[0] : undefined;
  }

  private async learn(jobs: readonly string[]): Promise<void> {
    for (let start = 0; start < jobs.length; start += MAX_KEYS) {
      let keys: Item[] = jobs.slice(start, start + MAX_KEYS).map(importJobKey);
      for (let attempt = 0; keys.length > 0; attempt++) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)));
        if (attempt > 8)
          throw new Error('DynamoDB left import job keys unprocessed after repeated attempts.');
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({
            RequestItems: {
              [this.table]: {
                Keys: keys,
                ConsistentRead: true,
                ProjectionExpression: 'id, #state, committedAt',
                ExpressionAttributeNames: { '#state': 'state' },
              },
            },
          }),
        );
        for (const job of Responses?.[this.table] ?? []) {
          if (job.state === 'committed' && typeof job.id === 'string') {
            this.committed.set(job.id, typeof job.committedAt === 'string' ? Date.parse(job.committedAt) : 0);
          }
        }
        keys = UnprocessedKeys?.[this.table]?.Keys ?? [];
      }
    }
  }
}

function withoutBookkeeping(item: Item): Item {
  const { [IMPORT_JOB]: _job, [BEFORE_IMPORT]: _before, [SUPERSEDED_BY_IMPORT]: _superseded, ...rest } = item;
  return rest;
}

/**
 * A record as a bulk import stages it: `item` put as pending (with `before`, the record it replaces,
 * if any), or `remove`, an existing record marked to disappear when the import commits.
 *
 * `group` gathers the records that must land together or not at all (a participant's summary, its
 * follow-up entry and the entry it moves): one transaction, on the condition of the group's
 * `guarded` record (the summary, which single checks and erasure also rewrite): staged only if it is
 * still the one the import read (its `version`, or none) or already this import's, and undone only
 * while it is still this import's. A check recorded, or a person erased, meanwhile is then never
 * overwritten or brought back: the import fails instead, and says why.
 */
export type StagedRecord =
  | {
      readonly item: Item;
      readonly before?: Item;
      readonly group?: string;
      readonly guarded?: true;
      readonly remove?: never;
    }
  | {
      readonly remove: Item;
      readonly group?: string;
      readonly item?: never;
      readonly before?: never;
      readonly guarded?: never;
    };
