/**
 * Bulk import benchmark: `npm run bench:import`.
 *
 * Starts the local stack (DynamoDB Local, s3rver, the deployed handlers) in a temp dir, then runs
 * import jobs of capital-check baselines (a new participant per row: the heaviest stream) of 10,000
 * and 100,000 rows through the import worker, whose DynamoDB client refuses writes above 1,000 write
 * units a second per partition key, as DynamoDB does (the test suite's throttle). It prints the time
 * each job took from its first read of the file to its commit, the write units each partition key
 * took, and the floor that limit implies: the busiest key's units / 1,000 seconds (a site's rows are
 * spread over its shards, so that is about rows x units a row / (1,000 x shards)).
 *
 * The figures are DynamoDB Local's: it keeps data in SQLite on a shared machine, so the time above
 * the floor is partly its own. `BENCH_SIZES=10000` runs fewer sizes.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { IMPORT_WORKER_LIMITS } from '../functions/import-worker/worker';
import { PARTITION_WRITE_UNITS_PER_SECOND } from '../functions/imports/pacer';
import { CAPITAL_SHARDS } from '../functions/participants/participant-store';
import { CAPITAL_CHECK_V1 } from '../shared/domain/questionnaires';
import { DynamoCapitalStore } from '../functions/participants/participant-store';
import { startLocalStack, type LocalStack } from '../local/stack';
import { client } from '../test/support/client';
import { contextWithDeadline, freshClient, throttlePerPartition, workerOver } from '../test/support/imports';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const SIZES = (process.env.BENCH_SIZES ?? '10000,100000')
  .split(',')
  .map(Number)
  .filter((rows) => rows > 0);

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
    `Import jobs of capital-check baselines, throttled at ${PARTITION_WRITE_UNITS_PER_SECOND} write units/s per partition key, ${CAPITAL_SHARDS} shards a site`,
  );
  console.log('rows      seconds   floor s   x floor   rows/s   units by partition key');
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
    // The busiest key sets the pace: each takes at most the limit, whatever the others do.
    const floor = Math.max(...units.map(([, u]) => u)) / PARTITION_WRITE_UNITS_PER_SECOND;
    console.log(
      `${String(rows).padEnd(9)} ${seconds.toFixed(1).padStart(7)}   ${floor.toFixed(1).padStart(7)}   ${(seconds / floor).toFixed(2).padStart(7)}   ${(rows / seconds).toFixed(0).padStart(6)}   ${units.map(([pk, u]) => `${pk.replace('#london', '')} ${u}`).join(', ')}; throttled requests ${throttle.refused}`,
    );
  }
  await asAProvider(stack);
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}

/**
 * What a provider does: `POST /imports` as a london provider, the file PUT to the presigned URL,
 * then `GET /imports/{id}` every few seconds until the job ends, printing its progress and how many
 * of the file's participants a reader of the site sees (none until the commit, then all).
 */
async function asAProvider(stack: LocalStack): Promise<void> {
  const rows = Number(process.env.BENCH_PROVIDER_ROWS ?? 100_000);
  if (rows === 0) return;
  const http = client(stack);
  const as = { role: 'provider' as const, site: 'london' as const, user: 'bench-provider' };
  const capital = new DynamoCapitalStore(freshClient(stack.env), {
    records: stack.env.RECORDS_TABLE ?? '',
    audit: stack.env.AUDIT_TABLE ?? '',
  });
  const batch = 'P';
  // Summaries keep a sealed reference: what the file added is the count above the one before it.
  const before = (await capital.listSummaries('london')).length;
  const visible = async () => (await capital.listSummaries('london')).length - before;
  console.log(
    `\nA provider imports ${rows} rows through the local stack (presigned upload, background worker):`,
  );
  const started = performance.now();
  const job = await http.request('POST', '/imports', {
    as,
    body: { stream: 'capital-checks', site: 'london' },
  });
  const upload = job.body.upload as { url: string; headers: Record<string, string> };
  const put = await fetch(upload.url, {
    method: 'PUT',
    headers: upload.headers,
    body: baselines(rows, batch),
  });
  if (!put.ok) throw new Error(`the upload was refused: ${put.status}`);
  console.log('seconds   state        validated   written / to write   participants visible');
  for (let look = 0; ; look++) {
    const view = (await http.request('GET', `/imports/${String(job.body.id)}`, { as })).body;
    const ended = ['committed', 'refused', 'failed', 'cancelled'].includes(String(view.state));
    // Counting what a reader sees reads the whole site: every fourth look, and at the end.
    const seen = ended || look % 4 === 0 ? String(await visible()) : '';
    console.log(
      `${((performance.now() - started) / 1000).toFixed(0).padStart(7)}   ${String(view.state).padEnd(12)} ${String(view.validated).padStart(9)}   ${`${Number(view.written)} / ${Number(view.toWrite ?? 0)}`.padStart(18)}   ${seen.padStart(20)}`,
    );
    if (ended) break;
    await new Promise((resolve) => setTimeout(resolve, 5_000));
  }
}
