import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../shared/domain/audit';
import {
  type CapitalStore,
  type FollowUpEntry,
  type FollowUpRange,
  followUpEntryOf,
  followUpWindow,
  type ParticipantRecords,
  type ParticipantSummary,
  type ParticipantWrite,
  type StoredCheck,
} from './participants';
import type { SiteId } from '../../shared/domain/sites';
import {
  auditPut,
  isConditionFailure,
  queryAll,
  type TransactItem,
  MAX_TRANSACT_ITEMS,
} from '../../shared/adapters/dynamo';
import { CommittedRows, type StagedRecord } from '../../shared/adapters/import-visibility';

/** DynamoDB's limit on the keys of one `BatchGetItem`. */
export const MAX_BATCH_GET_KEYS = 100;

/**
 * How many partition keys one site's capital records (and its follow-up list) are spread over. Each
 * key takes about 1,000 write units a second; a bulk import writes three items a row (check and
 * summary on the capital key, the entry on the follow-up key), so one key held a site to about 500
 * rows a second, and four hold it to 2,000: 100,000 rows in under a minute of writing. More shards
 * would cost every listing of the site one more Query each, for imports no site needs yet.
 */
export const CAPITAL_SHARDS = 4;

/**
 * Where a participant's items live: `#<n>` (a shard, from a hash of the pseudonym) or `''`, the
 * site's one key from before records were sharded. A participant stays where its summary is, so
 * records written before sharding are read and updated in place and never moved.
 */
type Home = '' | `#${number}`;
const LEGACY: Home = '';
const HOMES: readonly Home[] = [LEGACY, ...Array.from({ length: CAPITAL_SHARDS }, (_, n): Home => `#${n}`)];
const shardOf = (participant: string): Home =>
  `#${createHash('sha256').update(participant).digest().readUInt32BE(0) % CAPITAL_SHARDS}`;

const partition = (site: SiteId, home: Home) => `CAPITAL#${site}${home}`;
const followUpPartition = (site: SiteId, home: Home) => `FOLLOWUP#${site}${home}`;
/** Every partition key a site's capital checks may be under (the one from before sharding first). */
export const capitalPartitions = (site: SiteId): string[] => HOMES.map((home) => partition(site, home));
/** A follow-up entry's sort key: its deadline first, so a range of deadlines is one key range. */
const followUpKey = (dueBy: string, participant: string) => `${dueBy}#${participant}`;
const summaryKey = (participant: string) => `SUMMARY#${participant}`;
const checkPrefix = (participant: string) => `CHECK#${participant}#`;
const linkPrefix = (participant: string) => `IDEM#${participant}#`;

/**
 * Capital checks in the records table, a site's spread over `CAPITAL#<site>#<n>` (n from 0 to
 * {@link CAPITAL_SHARDS} - 1, from a hash of the pseudonym) so a bulk import can write a site faster
 * than one partition key allows; a participant recorded before that stays under `CAPITAL#<site>`.
 * All of one participant's items share one key, their home. The sort key starts
 * with the item type, then the participant's pseudonym:
 * - `SUMMARY#<pseudonym>`: the running summary (sealed reference, age band, baseline, last check,
 *   next due, exited, distance travelled), so the follow-up list is one Query of `SUMMARY#` that
 *   reads summaries only, however many checks there are;
 * - `CHECK#<pseudonym>#<date>#<id>`: each check, in date order per participant;
 * - `IDEM#<pseudonym>#<record>`: a link to an `Idempotency-Key` record holding a copy of a response
 *   about the participant, so erasure can find and delete the copy.
 * Erasure finds a participant's items with one GetItem and two Queries on those prefixes.
 *
 * The follow-up list has partitions of its own, `FOLLOWUP#<site><home>` (the participant's home
 * again), with one entry per participant who has not exited, sorted by deadline:
 * `<due by>#<pseudonym>`. Each write of a summary moves its entry in the same transaction (removed
 * at exit), and erasure deletes it, so listing what is due is one Query of a key range per key,
 * merged, whatever the size of the site.
 *
 * A participant's home is learnt when its summary is read (both keys it could be under, in one
 * request), which every write and every erasure does first; one never read is new, and goes to its
 * shard.
 */
export class DynamoCapitalStore implements CapitalStore {
  /** Rows of a bulk import stay invisible until its job commits (see `CommittedRows`). */
  private readonly committed: CommittedRows;
  /** Participants (`<site> <pseudonym>`) whose summary was found under the key from before sharding. */
  private readonly legacy = new Set<string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tables: { readonly records: string; readonly audit: string },
  ) {
    this.committed = new CommittedRows(db, tables.records);
  }

  async getSummary(site: SiteId, participant: string): Promise<ParticipantSummary | undefined> {
    return (await this.getSummaries(site, [participant]))[0];
  }

  /**
   * The summaries of the given participants, read by key in batches of 100 keys (strongly
   * consistent): each participant's shard and the key from before sharding, so the time taken follows
   * how many are asked for, not how many the site has. Those with no summary are left out. Keys
   * DynamoDB leaves unprocessed (throttling) are asked for again.
   */
  async getSummaries(site: SiteId, participants: readonly string[]): Promise<ParticipantSummary[]> {
    const keys = [...new Set(participants)].flatMap((participant) =>
      [shardOf(participant), LEGACY].map((home) => ({
        pk: partition(site, home),
        sk: summaryKey(participant),
      })),
    );
    const items: Record<string, unknown>[] = [];
    const started = Date.now();
    for (let start = 0; start < keys.length; start += MAX_BATCH_GET_KEYS) {
      let pending: Record<string, unknown>[] = keys.slice(start, start + MAX_BATCH_GET_KEYS);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const { Responses, UnprocessedKeys } = await this.db.send(
          new BatchGetCommand({
            RequestItems: { [this.tables.records]: { Keys: pending, ConsistentRead: true } },
          }),
        );
        items.push(...(Responses?.[this.tables.records] ?? []));
        pending = UnprocessedKeys?.[this.tables.records]?.Keys ?? [];
        if (attempt >= 8 && pending.length > 0) {
          throw new Error('DynamoDB left keys unprocessed after repeated attempts.');
        }
      }
    }
    // A participant found under the old key stays there, even if an item under its shard exists.
    for (const item of items) {
      if (item.pk === partition(site, LEGACY)) this.legacy.add(`${site} ${String(item.participant)}`);
    }
    const found = items.filter(
      (item) => item.pk === partition(site, this.homeOf(site, String(item.participant))),
    );
    return (await this.committed.filter(found, started)).map(toSummary);
  }

  /** The key a participant's items are under (see the class comment). */
  private homeOf(site: SiteId, participant: string): Home {
    return this.legacy.has(`${site} ${participant}`) ? LEGACY : shardOf(participant);
  }

  async listSummaries(site: SiteId): Promise<ParticipantSummary[]> {
    const started = Date.now();
    return (await this.committed.filter(await this.queryEveryHome(site, 'SUMMARY#'), started)).map(toSummary);
  }

  async saveChecks(write: ParticipantWrite, audit: readonly AuditEvent[]): Promise<'saved' | 'stale'> {
    return this.writePrepared(this.prepareWrite(write, audit));
  }

  /**
   * The transaction items for one participant's write, without sending them: the checks, the
   * summary (conditional on the version read, or on there being none), the audit events and the
   * idempotency links. A bulk import gathers these and sends them with `writePrepared`.
   */
  prepareWrite(write: ParticipantWrite, audit: readonly AuditEvent[]): TransactItem[] {
    const pk = partition(write.site, this.homeOf(write.site, write.participant));
    return [
      ...write.checks.map((check): TransactItem => ({
        Put: {
          TableName: this.tables.records,
          Item: { pk, sk: checkKey(check), recordType: 'capital-check', ...check },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      })),
      {
        Put: {
          TableName: this.tables.records,
          Item: this.summaryItem(write.summary),
          ...(write.expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :expected',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':expected': write.expectedVersion },
              }),
        },
      },
      ...this.followUpMoves(write),
      ...audit.map((event) => auditPut(this.tables.audit, event)),
      ...write.idempotencyRecords.map((record): TransactItem => ({
        Put: {
          TableName: this.tables.records,
          Item: {
            pk,
            sk: `${linkPrefix(write.participant)}${record}`,
            recordType: 'idempotency-link',
            record,
          },
        },
      })),
    ];
  }

  /**
   * One participant's write as a bulk import stages it: the checks and the summary put (a replaced
   * summary kept as it was, for readers, until the import commits), the follow-up entry put where
   * the new summary puts it, and the old entry marked removed when it moves. No conditions and no
   * audit event: the import's one commit item makes all of it visible at once.
   */
  stagedRecords(write: ParticipantWrite): StagedRecord[] {
    const pk = partition(write.site, this.homeOf(write.site, write.participant));
    const before = write.replaces && followUpEntryOf(write.replaces);
    const after = followUpEntryOf(write.summary);
    // The summary and the follow-up entries land together, on the summary's condition: a check
    // recorded, or the person erased, while the import runs is never overwritten or brought back.
    const group = `${pk} ${write.participant}`;
    return [
      ...write.checks.map((check): StagedRecord => ({
        item: { pk, sk: checkKey(check), recordType: 'capital-check', ...check },
      })),
      {
        item: this.summaryItem(write.summary),
        ...(write.replaces ? { before: this.summaryItem(write.replaces) } : {}),
        group,
        guarded: true,
      },
      ...(after
        ? [
            {
              item: this.followUpItem(write.site, after),
              ...(before?.dueBy === after.dueBy ? { before: this.followUpItem(write.site, before) } : {}),
              group,
            },
          ]
        : []),
      ...(before && before.dueBy !== after?.dueBy
        ? [{ remove: this.followUpItem(write.site, before), group }]
        : []),
    ];
  }

  /** Moves the participant's follow-up entry to where the new summary puts it, or removes it at exit. */
  private followUpMoves(write: ParticipantWrite): TransactItem[] {
    const pk = followUpPartition(write.site, this.homeOf(write.site, write.participant));
    const before = write.replaces && followUpEntryOf(write.replaces);
    const after = followUpEntryOf(write.summary);
    const moves: TransactItem[] = [];
    if (before && before.dueBy !== after?.dueBy) {
      moves.push({
        Delete: {
          TableName: this.tables.records,
          Key: { pk, sk: followUpKey(before.dueBy, write.participant) },
        },
      });
    }
    if (after)
      moves.push({ Put: { TableName: this.tables.records, Item: this.followUpItem(write.site, after) } });
    return moves;
  }

  async listFollowUpEntries(
    site: SiteId,
    range: FollowUpRange,
  ): Promise<{ entries: FollowUpEntry[]; more?: string }> {
    // One Query per key, each after the same position; the keys hold different participants, so
    // their entries merge into one order by sort key (deadline, then pseudonym).
    const started = Date.now();
    const perHome = await Promise.all(
      HOMES.map(async (home) => {
        const pk = followUpPartition(site, home);
        const { Items = [] } = await this.db.send(
          new QueryCommand({
            TableName: this.tables.records,
            KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':pk': pk,
              ':from': range.dueByFrom,
              // '~' sorts after every character of a pseudonym, so the whole last day is in range.
              ':to': `${range.dueByTo}#~`,
            },
            ...(range.after ? { ExclusiveStartKey: { pk, sk: range.after } } : {}),
            // One more than the page, to know whether there is a next page without an empty last one.
            Limit: range.limit + 1,
          }),
        );
        return Items;
      }),
    );
    const items = perHome.flat().sort((a, b) => (String(a.sk) < String(b.sk) ? -1 : 1));
    const page = items.slice(0, range.limit);
    const last = page.at(-1);
    // A page may come back shorter than asked while an import is pending; the cursor still follows the keys read.
    return {
      entries: (await this.committed.filter(page, started)).map(toFollowUpEntry),
      ...(items.length > range.limit && last ? { more: last.sk as string } : {}),
    };
  }

  /**
   * Writes the follow-up entry of every participant of a site who has none yet, for summaries stored
   * before the follow-up list was kept (a one-off after deploying; see `bin/backfill-follow-ups.ts`).
   * Each entry is written on condition that its summary is still the version read, so a check landing
   * meanwhile (which writes its own entry) wins. Safe to run again; returns how many were written.
   */
  async backfillFollowUps(site: SiteId): Promise<number> {
    const items = await this.queryEveryHome(site, 'SUMMARY#');
    let written = 0;
    for (const item of items) {
      if (item.pk === partition(site, LEGACY)) this.legacy.add(`${site} ${String(item.participant)}`);
    }
    const summaries = items.map(toSummary);
    for (const summary of summaries) {
      const entry = followUpEntryOf(summary);
      if (!entry) continue;
      try {
        await this.db.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: this.tables.records,
                  Key: {
                    pk: partition(site, this.homeOf(site, summary.participant)),
                    sk: summaryKey(summary.participant),
                  },
                  ConditionExpression: '#version = :read',
                  ExpressionAttributeNames: { '#version': 'version' },
                  ExpressionAttributeValues: { ':read': summary.version },
                },
              },
              {
                Put: {
                  TableName: this.tables.records,
                  Item: this.followUpItem(site, entry),
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
            ],
          }),
        );
        written++;
      } catch (error) {
        // Already there, or the summary changed (its new check wrote the entry): nothing to do.
        if (!isConditionFailure(error)) throw error;
      }
    }
    return written;
  }

  /**
   * Sends prepared items as one transaction: all land or none. `stale` when a condition failed
   * (a summary changed, or already exists, since it was read).
   */
  async writePrepared(items: readonly TransactItem[]): Promise<'saved' | 'stale'> {
    if (items.length > MAX_TRANSACT_ITEMS) {
      throw new RangeError(`One transaction takes at most ${MAX_TRANSACT_ITEMS} items, not ${items.length}.`);
    }
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: [...items] }));
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'stale';
      throw error;
    }
  }

  async findParticipantRecords(site: SiteId, participant: string): Promise<ParticipantRecords> {
    // Reading the summary (under either key it could be) learns the participant's home first.
    const [summary] = await this.getSummaries(site, [participant]);
    const pk = partition(site, this.homeOf(site, participant));
    const [checks, links] = await Promise.all([
      this.queryPrefix(pk, checkPrefix(participant), ['sk']),
      this.queryPrefix(pk, linkPrefix(participant), ['sk', 'record']),
    ]);
    return {
      site,
      participant,
      summaryVersion: summary?.version,
      lastCheckDate: summary?.lastCheck.date,
      checks: checks.length,
      idempotencyRecords: links.map((link) => link.record as string),
      sortKeys: [...checks, ...links].map((item) => item.sk as string),
    };
  }

  async eraseParticipantRecords(records: ParticipantRecords, audit: AuditEvent): Promise<'erased' | 'stale'> {
    const home = this.homeOf(records.site, records.participant);
    const pk = partition(records.site, home);
    const deletes = records.sortKeys.map((sk): TransactItem => ({
      Delete: { TableName: this.tables.records, Key: { pk, sk } },
    }));
    // The summary goes last, with the audit event, on condition that it is still the version found
    // (or still absent): a check that lands meanwhile makes the erasure start again, never survive it.
    const last: TransactItem[] = [
      {
        Delete: {
          TableName: this.tables.records,
          Key: { pk, sk: summaryKey(records.participant) },
          ...(records.summaryVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : {
                ConditionExpression: '#version = :found',
                ExpressionAttributeNames: { '#version': 'version' },
                ExpressionAttributeValues: { ':found': records.summaryVersion },
              }),
        },
      },
      auditPut(this.tables.audit, audit),
    ];
    if (records.lastCheckDate !== undefined) {
      const { dueBy } = followUpWindow(records.lastCheckDate, records.lastCheckDate);
      last.push({
        Delete: {
          TableName: this.tables.records,
          Key: { pk: followUpPartition(records.site, home), sk: followUpKey(dueBy, records.participant) },
        },
      });
    }
    // A participant has a handful of checks; more than one transaction's worth is deleted in batches first.
    while (deletes.length + last.length > MAX_TRANSACT_ITEMS) {
      await this.db.send(new TransactWriteCommand({ TransactItems: deletes.splice(0, MAX_TRANSACT_ITEMS) }));
    }
    return (await this.writePrepared([...deletes, ...last])) === 'saved' ? 'erased' : 'stale';
  }

  /** Every item of a site whose sort key starts with `prefix`, under every key the site's items may be. */
  private async queryEveryHome(site: SiteId, prefix: string): Promise<Record<string, unknown>[]> {
    return (await Promise.all(HOMES.map((home) => this.queryPrefix(partition(site, home), prefix)))).flat();
  }

  private async queryPrefix(
    pk: string,
    prefix: string,
    attributes?: readonly string[],
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.db, {
      TableName: this.tables.records,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      ...(attributes
        ? {
            ProjectionExpression: attributes.map((_, i) => `#a${i}`).join(', '),
            ExpressionAttributeNames: Object.fromEntries(attributes.map((name, i) => [`#a${i}`, name])),
          }
        : {}),
      ConsistentRead: true,
    });
  }

  /** The stored item of a summary, under its participant's home. */
  private summaryItem(summary: ParticipantSummary): Record<string, unknown> {
    return {
      pk: partition(summary.site, this.homeOf(summary.site, summary.participant)),
      sk: summaryKey(summary.participant),
      recordType: 'capital-summary',
      ...summary,
    };
  }

  /** The item of a follow-up entry, under its participant's home. */
  private followUpItem(site: SiteId, entry: FollowUpEntry): Record<string, unknown> {
    return {
      pk: followUpPartition(site, this.homeOf(site, entry.participant)),
      sk: followUpKey(entry.dueBy, entry.participant),
      recordType: 'follow-up',
      ...entry,
    };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const checkKey = (check: StoredCheck) => `${checkPrefix(check.participant)}${check.date}#${check.id}`;

function toFollowUpEntry(item: Record<string, unknown>): FollowUpEntry {
  const { pk: _pk, sk: _sk, recordType: _type, ...entry } = item;
  return entry as unknown as FollowUpEntry;
}

function toSummary(item: Record<string, unknown>): ParticipantSummary {
  const { pk: _pk, sk: _sk, recordType: _type, ...summary } = item;
  return summary as unknown as ParticipantSummary;
}
