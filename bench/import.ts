/**
 * Bulk import benchmark: `npm run bench:import`.
 *
 * Starts the local stack (DynamoDB Local, s3rver, the deployed handlers) in a temp dir, then runs
 * import jobs of capital-check baselines (a new participant per row: the heaviest stream) of 10,000
 * and 100,000 rows through the import worker, whose DynamoDB client refuses writes above 1,000 write
 * units a second per partition key, as DynamoDB does (the test suite's throttle). It prints the time
 * each job took from its first read of the file to its commit, the write units each partition key
 * took, and the floor that limit implies: the busiest key's units / (1,000 x shards) seconds.
 *
 * The figures are DynamoDB Local's: it keeps data in SQLite on a shared machine, so the time above
 * the floor is partly its own. `BENCH_SIZES=10000` runs fewer sizes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IMPORT_WORKER_LIMITS } from '../functions/import-worker/worker';
import { PARTITION_WRITE_UNITS_PER_SECOND } from '../functions/imports/pacer';
import { CAPITAL_CHECK_V1 } from '../shared/domain/questionnaires';
import { startLocalStack } from '../local/stack';
import { contextWithDeadline, freshClient, throttlePerPartition, workerOver } from '../test/support/imports';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
/** Partition-key shards a site's capital checks are spread over (not sharded yet: one key a site). */
const SHARDS = 1;

/** A file of baselines at london, one new participant per row; `batch` keeps references unique. */
function baselines(rows: number, batch: string): string {
  const { barriers, needs, strengths } = CAPITAL_CHECK_V1.sections;
  const columns = [
    'participantRef',
    'kind',
    'date',
    'ageBand',
    ...barriers.items.map((i) => `barriers.${i.id}`),
    ...needs.items.map((i) => `needs.${i.id}`),
    ...strengths.domains.map((d) => `strengths.${d.id}`),
  ];
  const lines = Array.from({ length: rows }, (_, i) =>
    [
      `B${batch}-${String(i).padStart(6, '0')}`,
      'baseline',
      '2025-01-06',
      i % 2 === 0 ? '18-20' : '21-25',
      ...barriers.items.map((_, j) => ((i + j) % 3 === 0 ? 'yes' : 'no')),
      ...needs.items.map((_, j) => ((i + j) % 4 === 0 ? 'yes' : 'no')),
      ...strengths.domains.map((d, j) => String(d.scale.min + ((i + j) % (d.scale.max - d.scale.min + 1)))),
    ].join(','),
  );
  return [columns.join(','), ...lines].join('\n');
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'clw-bench-import-'));
const stack = await startLocalStack({ dataDir, port: 0, persist: false });
try {
  console.log(
    `Import jobs of capital-check baselines, throttled at ${PARTITION_WRITE_UNITS_PER_SECOND} write units/s per partition key, ${SHARDS} shard(s)`,
  );
  console.log('rows      seconds   floor s   x floor   units by partition key');
  let batch = 0;
  for (const rows of SIZES) {
    const db = freshClient(stack.env);
    const throttle = throttlePerPartition(db, PARTITION_WRITE_UNITS_PER_SECOND);
    const worker = await workerOver(stack.env, db);
    const id = await worker.start(
      { actor: 'bench', roles: ['evaluator'], site: undefined },
      // Inline for the benchmark: the file is stored under the job's id either way.
      { stream: 'capital-checks', site: 'london', csv: baselines(rows, String(batch++)) },
    );
    const started = performance.now();
    const outcome = await worker.run(
      { importId: id },
      contextWithDeadline(IMPORT_WORKER_LIMITS.timeoutSeconds * 1000),
    );
    const seconds = (performance.now() - started) / 1000;
    if (outcome.state !== 'committed') throw new Error(`${rows} rows: the job ended ${outcome.state}`);
    const units = [...throttle.unitsByPartition].filter(([pk]) => !pk.startsWith('IMPORT#'));
    const floor = Math.max(...units.map(([, u]) => u)) / (PARTITION_WRITE_UNITS_PER_SECOND * SHARDS);
    console.log(
      `${String(rows).padEnd(9)} ${seconds.toFixed(1).padStart(7)}   ${floor.toFixed(1).padStart(7)}   ${(seconds / floor).toFixed(2).padStart(7)}   ${units.map(([pk, u]) => `${pk.replace(/#.*/, '')} ${u}`).join(', ')}; throttled requests ${throttle.refused}`,
    );
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
