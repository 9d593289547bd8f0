/**
 * Bulk import benchmark: `npm run bench:import`.
 *
 * Starts the local stack (DynamoDB Local, s3rver, the deployed handlers behind the HTTP adapter) in a
 * temp dir, then sends `POST /imports` files of capital-check baselines (a new participant per row:
 * the heaviest stream, two items per row) of 1,000, 2,500 and 5,000 rows (the most one file
 * takes), BENCH_RUNS times each (default 3), round-robin, and prints the median and worst request time and rows per second.
 * A warm-up import runs first: DynamoDB Local's JVM is several times slower on its first writes.
 *
 * The figures are DynamoDB Local's, not DynamoDB's: it stores in SQLite and serialises
 * transactions, so AWS is expected to be faster. The function's limit is 29 s (`FUNCTION_LIMITS`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CAPITAL_CHECK_V1 } from '../shared/domain/questionnaires';
import { FUNCTION_LIMITS } from '../shared/routes';
import { startLocalStack } from '../local/stack';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

const SIZES = [1_000, 2_500, 5_000];
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));

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
      `B${batch}-${String(i).padStart(5, '0')}`,
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
  const token = await stack.issuer.sign({ role: 'evaluator', user: 'bench' });
  let batch = 0;
  const importRows = async (rows: number): Promise<number> => {
    const csv = baselines(rows, String(batch++));
    const started = performance.now();
    const response = await fetch(`${stack.url}/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ stream: 'capital-checks', site: 'london', csv }),
    });
    const elapsed = performance.now() - started;
    if (response.status !== 201) throw new Error(`${rows} rows: ${response.status} ${await response.text()}`);
    return elapsed;
  };
  await importRows(2_000);
  const times = new Map<number, number[]>(SIZES.map((size) => [size, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const size of SIZES) times.get(size)?.push(await importRows(size));
  }
  console.log(
    `POST /imports, capital-check baselines, ${RUNS} runs each (limit ${FUNCTION_LIMITS.imports?.timeoutSeconds} s)`,
  );
  console.log('rows     median ms   worst ms   rows/s (median)');
  for (const [size, ms] of times) {
    const sorted = ms.toSorted((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
    const worst = sorted.at(-1) ?? 0;
    console.log(
      `${String(size).padEnd(8)} ${median.toFixed(0).padStart(9)}   ${worst.toFixed(0).padStart(8)}   ${Math.round((size / median) * 1000)}`,
    );
  }
} finally {
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
