import { afterAll, describe, expect, it } from 'vitest';
import { PARTITION_WRITE_UNITS_PER_SECOND } from '../../functions/imports/pacer';
import { writeUnits } from '../../functions/imports/staged-writer';
import { CAPITAL_SHARDS } from '../../functions/participants/participant-store';
import { capitalBody, uniqueRef } from '../support/capital';
import { csvOf } from '../support/csv';
import { startTestApi } from '../support/environment';
import {
  contextWithDeadline,
  freshClient,
  siteItems,
  throttlePerPartition,
  workerOver,
} from '../support/imports';

const api = await startTestApi();
afterAll(() => api.stop());

const EVALUATOR = { actor: 'importer', roles: ['evaluator' as const], site: undefined };

/** `count` capital-check baselines of new participants, as CSV. */
const baselines = (count: number) =>
  csvOf(
    Array.from({ length: count }, () => {
      const { questionnaireVersion: _version, ...row } = capitalBody(uniqueRef('PACE'));
      return row;
    }),
  );

/** Every item under a site's key, every shard of it. */
const partition = (pk: string) => siteItems(api.db, api.env.RECORDS_TABLE ?? '', pk);
const importEvents = async (id: string) => (await api.scan('AUDIT_TABLE')).filter((e) => e.subjectId === id);

/*
 * The throttle refuses writes above a per-partition-key rate the way DynamoDB does at its limit of
 * 1,000 write units a second, scaled down to 200 so a test of a few hundred rows takes seconds.
 */
const LIMIT = PARTITION_WRITE_UNITS_PER_SECOND / 5;

describe('an import into partitions that throttle', () => {
  it('spreads a site over its shards, paces each key under the limit, is seldom refused, and takes as long as its busiest key implies', async () => {
    const db = freshClient(api.env);
    const throttle = throttlePerPartition(db, LIMIT);
    // At half the limit: a full bucket and a second's refill together stay within any one second's limit.
    const worker = await workerOver(api.env, db, LIMIT / 2);
    const id = await worker.start(EVALUATOR, {
      stream: 'capital-checks',
      site: 'london',
      csv: baselines(400),
    });

    const started = Date.now();
    const outcome = await worker.run({ importId: id }, contextWithDeadline(120_000));
    const seconds = (Date.now() - started) / 1000;

    expect(outcome.state).toBe('committed');
    // A transaction's units are taken key by key before it is sent, so now and then a second sees a
    // little more than the pacer's rate and DynamoDB refuses it; it is sent again.
    expect(throttle.refused).toBeLessThan((throttle.accepted + throttle.refused) / 10);
    const written = [...(await partition('CAPITAL#london')), ...(await partition('FOLLOWUP#london'))].filter(
      (i) => i.importJob === id,
    );
    // A check and a summary per row under the capital keys, an entry under the follow-up keys.
    expect(written).toHaveLength(1_200);
    const unitsPerKey = new Map<string, number>();
    for (const item of written) {
      unitsPerKey.set(String(item.pk), (unitsPerKey.get(String(item.pk)) ?? 0) + writeUnits(item));
    }
    // Every shard of both lists took rows, and none went under the key from before sharding.
    expect([...unitsPerKey.keys()].sort()).toEqual(
      Array.from({ length: CAPITAL_SHARDS }, (_, n) => [`CAPITAL#london#${n}`, `FOLLOWUP#london#${n}`])
        .flat()
        .sort(),
    );
    // The busiest key's units at half the limit a second, less the first burst.
    const busiest = Math.max(...unitsPerKey.values());
    expect(seconds).toBeGreaterThan((busiest - LIMIT / 2) / (LIMIT / 2) - 0.1);
    expect(await importEvents(id)).toHaveLength(1);
  }, 120_000);

  it('backs off when throttled (a writer above the limit) and still finishes, all rows visible once', async () => {
    const db = freshClient(api.env);
    // A fifth of the scaled limit, so even a slow emulator cannot stay under it by accident.
    const throttle = throttlePerPartition(db, LIMIT / 5);
    // Paced at five times that limit, as if the pacer knew nothing of it: only backing off saves it.
    const worker = await workerOver(api.env, db, LIMIT);
    const id = await worker.start(EVALUATOR, {
      stream: 'capital-checks',
      site: 'north-east',
      csv: baselines(100),
    });

    const outcome = await worker.run({ importId: id }, contextWithDeadline(120_000));

    expect(outcome.state).toBe('committed');
    expect(throttle.refused).toBeGreaterThan(0);
    expect((await partition('CAPITAL#north-east')).filter((i) => i.importJob === id)).toHaveLength(200);
    expect((await partition('FOLLOWUP#north-east')).filter((i) => i.importJob === id)).toHaveLength(100);
    expect(await importEvents(id)).toHaveLength(1);
  }, 120_000);
});

describe('an import that cannot finish before the worker must stop', () => {
  it('fails the job, shows nothing, and a fresh run deletes what was staged', async () => {
    const worker = await workerOver(api.env, freshClient(api.env), 100);
    const id = await worker.start(EVALUATOR, {
      stream: 'capital-checks',
      site: 'yorkshire-humber',
      csv: baselines(2_000),
    });

    // 20 s are kept back from the deadline: this run has about 2 s to write about 1,000 units on
    // each capital shard at 100 a second.
    const outcome = await worker.run({ importId: id }, contextWithDeadline(22_000));
    const staged = (await partition('CAPITAL#yorkshire-humber')).filter((i) => i.importJob === id);
    const visible = await worker.deps.capital.listSummaries('yorkshire-humber');
    const cleanup = await worker.run({ importId: id }, contextWithDeadline(60_000));

    expect(outcome.state).toBe('failed');
    expect((await worker.deps.jobs.get(id))?.detail).toMatch(/ran out of time/);
    expect(staged.length).toBeGreaterThan(0);
    expect(visible).toEqual([]);
    expect(cleanup.state).toBe('failed');
    expect((await partition('CAPITAL#yorkshire-humber')).filter((i) => i.importJob === id)).toEqual([]);
    expect(await importEvents(id)).toEqual([]);
  }, 120_000);
});
