/**
 * Cold-start benchmark: `npm run bench` (add `-- --analyze` for what fills each bundle).
 *
 * What it measures, and why. A Lambda cold start is the first caller's wait: Node boots, the
 * bundle is loaded and evaluated (our functions build their stores (`functions/<fn>/wiring.ts`) at import: config is read,
 * the key file loaded, the DynamoDB client built), then the first invoke runs. Bundle size drives the
 * load-and-evaluate part, so both are budgeted. The measured baseline: an ESM
 * bundle with `mainFields: module,main` and `import * as z from 'zod'` came to ~430 KB and ~1.8x an
 * empty handler's start (the CommonJS-first bundle was ~1 MB and ~2.5x).
 *
 * How:
 * 1. Each function in FUNCTION_NAMES, plus a trivial "empty" handler as the baseline, is bundled
 *    exactly as deployed (ESM, node22 target, minified, everything but node builtins bundled) into
 *    a temp dir. The size is the .mjs file alone: source maps are separate files.
 * 2. Each bundle is started BENCH_RUNS times (default 15) in a fresh `node` process that imports it
 *    and invokes the handler once with an API Gateway v2 `GET /health` event. The child measures
 *    with `performance.now()`, whose zero is process start, so the figure is process start to the
 *    end of the first invoke. Runs are interleaved round-robin so machine noise hits all bundles alike.
 * 3. One untimed check run per bundle first refuses every socket connect: the measured path must
 *    make no network call (the DynamoDB client is built but /health never uses it).
 *
 * Budget: bundle <= 450 KB and median cold start <= 2.0x the empty handler's. Over budget is
 * printed, and fails the process only with BENCH_STRICT=1. Never part of `npm test`: the machines
 * are shared and noisy, so a timing can't be a pass/fail test.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as esbuild from 'esbuild';
import { LAMBDA_BUNDLING } from '../lib/bundling';
import { FUNCTION_NAMES, routeKey, routes } from '../shared/routes';
import type { InvokeResult } from './invoke-once';

const BUDGET = { bundleBytes: 450 * 1024, coldStartRatio: 2.0 } as const;
const RUNS = positiveInteger(process.env.BENCH_RUNS, 15);
const STRICT = process.env.BENCH_STRICT === '1';
const ANALYZE = process.argv.includes('--analyze');
const TOP_CONTRIBUTORS = 12;

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASELINE = 'empty';

/** The deployed bundling, from the same definition the CDK function construct uses. */
const BENCH_BUNDLING = {
  bundle: true,
  platform: 'node',
  // The Lambda runtime is nodejs22.x; the local Node 20 runs this output too.
  target: LAMBDA_BUNDLING.target,
  format: LAMBDA_BUNDLING.format,
  mainFields: [...LAMBDA_BUNDLING.mainFields],
  minify: LAMBDA_BUNDLING.minify,
  sourcemap: false,
  banner: { js: LAMBDA_BUNDLING.banner },
  alias: LAMBDA_BUNDLING.alias,
  metafile: true,
  logLevel: 'warning',
} as const satisfies esbuild.BuildOptions;

interface Bundle {
  readonly name: string;
  /** The empty handler is the baseline; a reference is measured for context, with no budget. */
  readonly kind: 'baseline' | 'reference' | 'function';
  readonly file: string;
  readonly bytes: number;
  readonly metafile: esbuild.Metafile;
  /** /health answers 200 from the function that owns it; any other function's middleware says 404. */
  readonly expectedStatus: number;
}

interface Summary {
  readonly bundle: Bundle;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly medianImportMs: number;
  readonly medianInvokeMs: number;
}

async function main(): Promise<void> {
  const workDir = await mkdtemp(path.join(tmpdir(), 'clw-cold-start-'));
  try {
    const bundles = await buildBundles(workDir);
    const runner = await buildRunner(workDir);
    const env = await childEnvironment(workDir);
    const event = JSON.stringify(healthEvent());

    for (const bundle of bundles) await checkRun(runner, bundle, event, env);

    const results = new Map<string, InvokeResult[]>(bundles.map((b) => [b.name, []]));
    for (let round = 0; round < RUNS; round++) {
      // Rotate the starting bundle each round, so none is always first after a pause.
      for (let i = 0; i < bundles.length; i++) {
        const bundle = bundles[(round + i) % bundles.length];
        if (!bundle) continue;
        results.get(bundle.name)?.push(await invokeInFreshProcess(runner, bundle.file, event, env));
      }
    }

    const summaries = bundles.map((bundle) => summarise(bundle, results.get(bundle.name) ?? []));
    const overBudget = printReport(summaries);
    if (ANALYZE) for (const bundle of bundles) printContributors(bundle);
    if (overBudget && STRICT) process.exitCode = 1;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

async function buildBundles(workDir: string): Promise<Bundle[]> {
  const emptyEntry = path.join(workDir, 'empty-handler.mjs');
  await writeFile(emptyEntry, 'export const handler = async () => ({ statusCode: 200 });\n');
  const entries: { name: string; kind: Bundle['kind']; entry: string; expectedStatus: number }[] = [
    { name: BASELINE, kind: 'baseline', entry: emptyEntry, expectedStatus: 200 },
    {
      name: 'ref: dynamodb client',
      kind: 'reference',
      entry: path.join(REPO_ROOT, 'bench', 'reference', 'dynamodb-client-only.ts'),
      expectedStatus: 200,
    },
    ...FUNCTION_NAMES.map((name) => ({
      name,
      kind: 'function' as const,
      entry: path.join(REPO_ROOT, 'functions', name, 'handler.ts'),
      expectedStatus: routes.health.fn === name ? 200 : 404,
    })),
  ];
  return Promise.all(
    entries.map(async ({ name, kind, entry, expectedStatus }) => {
      const file = path.join(workDir, 'bundles', name.replace(/\W+/g, '-'), 'index.mjs');
      const { metafile } = await esbuild.build({
        ...BENCH_BUNDLING,
        absWorkingDir: REPO_ROOT,
        entryPoints: [entry],
        outfile: file,
      });
      return { name, kind, file, bytes: (await stat(file)).size, metafile, expectedStatus };
    }),
  );
}

/** The child script, compiled for the local Node (it is the harness, not the thing measured). */
async function buildRunner(workDir: string): Promise<string> {
  const outfile = path.join(workDir, 'invoke-once.mjs');
  await esbuild.build({
    entryPoints: [path.join(REPO_ROOT, 'bench', 'invoke-once.ts')],
    outfile,
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: `node${process.versions.node}`,
    logLevel: 'warning',
  });
  return outfile;
}

/**
 * A clean, valid Lambda-like environment: nothing inherited (no NODE_OPTIONS from tsx, no local
 * DYNAMODB_ENDPOINT), static dummy credentials so the SDK never looks for instance metadata, and no
 * shared AWS config files from this machine.
 */
async function childEnvironment(workDir: string): Promise<NodeJS.ProcessEnv> {
  const keyFile = path.join(workDir, 'pseudonym.key');
  await writeFile(keyFile, randomBytes(32).toString('base64'));
  return {
    AWS_REGION: 'eu-west-2',
    AWS_ACCESS_KEY_ID: 'AKIABENCHMARKDUMMY00',
    AWS_SECRET_ACCESS_KEY: 'cold-start-bench-dummy-secret',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: path.join(workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: path.join(workDir, 'no-aws-credentials'),
    RECORDS_TABLE: 'bench-records',
    IDEMPOTENCY_TABLE: 'bench-idempotency',
    AUDIT_TABLE: 'bench-audit',
    UPLOADS_BUCKET: 'bench-uploads',
    PACKS_BUCKET: 'bench-packs',
    PUBLISHED_PACKS_BUCKET: 'bench-published-packs',
    PACK_BUILDER_FUNCTION: 'bench-pack-builder',
    PSEUDONYM_KEY_FILE: keyFile,
    TZ: 'UTC',
  };
}

/** A minimal HTTP API (payload 2.0) request for the public /health route. */
function healthEvent(): APIGatewayProxyEventV2 {
  const key = routeKey(routes.health);
  return {
    version: '2.0',
    routeKey: key,
    rawPath: routes.health.path,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'bench.execute-api.eu-west-2.amazonaws.com',
      domainPrefix: 'bench',
      http: {
        method: routes.health.method,
        path: routes.health.path,
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'cold-start-bench',
      },
      requestId: 'bench-request-1',
      routeKey: key,
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: 1767225600000,
    },
  };
}

/** Untimed: proves the bundle starts, answers the expected status and opens no socket. */
async function checkRun(runner: string, bundle: Bundle, event: string, env: NodeJS.ProcessEnv) {
  const result = await invokeInFreshProcess(runner, bundle.file, event, {
    ...env,
    BENCH_NETWORK_GUARD: '1',
  });
  if (result.socketConnects > 0) {
    throw new Error(`${bundle.name}: the cold start attempted ${result.socketConnects} network call(s)`);
  }
  if (result.statusCode !== bundle.expectedStatus) {
    throw new Error(
      `${bundle.name}: /health answered ${String(result.statusCode)}, expected ${bundle.expectedStatus}`,
    );
  }
}

function invokeInFreshProcess(
  runner: string,
  bundleFile: string,
  event: string,
  env: NodeJS.ProcessEnv,
): Promise<InvokeResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runner, pathToFileURL(bundleFile).href, event], {
      env,
      // The handler's own logs (stdout) are dropped; the result arrives on fd 3.
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    });
    const resultPipe = child.stdio[3];
    if (!(resultPipe instanceof Readable)) {
      child.kill();
      reject(new Error('the result pipe (fd 3) did not open'));
      return;
    }
    let stderr = '';
    let output = '';
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    resultPipe.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && output) resolve(JSON.parse(output) as InvokeResult);
      else reject(new Error(`${bundleFile} exited with ${String(code)}:\n${stderr}`));
    });
  });
}

function summarise(bundle: Bundle, runs: readonly InvokeResult[]): Summary {
  const total = runs.map((r) => r.totalMs);
  return {
    bundle,
    medianMs: percentile(total, 50),
    p90Ms: percentile(total, 90),
    medianImportMs: percentile(
      runs.map((r) => r.importMs),
      50,
    ),
    medianInvokeMs: percentile(
      runs.map((r) => r.invokeMs),
      50,
    ),
  };
}

/** Nearest-rank percentile. */
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? Number.NaN;
}

/** Prints the table; answers whether any function is over budget. */
function printReport(summaries: readonly Summary[]): boolean {
  const baseline = summaries.find((s) => s.bundle.name === BASELINE);
  if (!baseline) throw new Error('no baseline run');
  const verdicts = summaries.map((s) => {
    const ratio = s.medianMs / baseline.medianMs;
    const problems = [
      ...(s.bundle.bytes > BUDGET.bundleBytes ? ['bundle'] : []),
      ...(ratio > BUDGET.coldStartRatio ? ['cold start'] : []),
    ];
    return { s, ratio, problems };
  });
  const overBudget = verdicts.some((v) => v.s.bundle.kind === 'function' && v.problems.length > 0);
  const rows = verdicts.map(({ s, ratio, problems }) => [
    s.bundle.name,
    (s.bundle.bytes / 1024).toFixed(1),
    s.medianMs.toFixed(1),
    s.p90Ms.toFixed(1),
    `${ratio.toFixed(2)}x`,
    s.bundle.kind !== 'function'
      ? `(${s.bundle.kind})`
      : problems.length > 0
        ? `OVER BUDGET (${problems.join(', ')})`
        : 'yes',
    s.medianImportMs.toFixed(1),
    s.medianInvokeMs.toFixed(1),
    String(s.bundle.expectedStatus),
  ]);

  console.log(
    `\nCold start: ${RUNS} fresh processes per bundle, interleaved; Node ${process.version} locally ` +
      `(Lambda runs nodejs22.x). Times are process start to the end of the first invoke.\n`,
  );
  console.log(
    formatTable([
      [
        'function',
        'bundle KB',
        'median cold start ms',
        'p90 ms',
        'ratio vs empty',
        'within budget',
        'import ms',
        '1st invoke ms',
        '/health',
      ],
      ...rows,
    ]),
  );
  console.log(
    `\nBudget: bundle <= ${BUDGET.bundleBytes / 1024} KB, median cold start <= ${BUDGET.coldStartRatio}x ` +
      'empty. import/1st invoke are medians of their own (they need not add up to the median total).',
  );
  const notOwners = FUNCTION_NAMES.filter((name) => routes.health.fn !== name);
  if (notOwners.length > 0) {
    console.log(
      `/health belongs to '${routes.health.fn}': ${notOwners.join(', ')} answer(s) 404 problem+json ` +
        'through the same middleware stack, still without a network call.',
    );
  }
  if (overBudget) {
    console.log(
      STRICT ? 'Over budget (BENCH_STRICT=1: failing).' : 'Over budget (set BENCH_STRICT=1 to fail on it).',
    );
  }
  return overBudget;
}

/** The packages that fill a bundle, by bytes in the minified output. */
function printContributors(bundle: Bundle): void {
  const output = Object.values(bundle.metafile.outputs)[0];
  if (!output) return;
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const key = contributorOf(input);
    byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
  }
  const top = [...byPackage.entries()].sort((a, b) => b[1] - a[1]).slice(0, TOP_CONTRIBUTORS);
  console.log(`\n${bundle.name}: ${(bundle.bytes / 1024).toFixed(1)} KB, top contributors`);
  console.log(
    formatTable([
      ['package', 'KB', 'share'],
      ...top.map(([name, bytes]) => [
        name,
        (bytes / 1024).toFixed(1),
        `${((100 * bytes) / bundle.bytes).toFixed(1)}%`,
      ]),
    ]),
  );
}

/** `node_modules/@scope/pkg/...` to `@scope/pkg`; zod's locales apart, as a known cost of named imports. */
function contributorOf(input: string): string {
  const at = input.lastIndexOf('node_modules/');
  if (at < 0) return '(this repo)';
  const [first = '', second = ''] = input.slice(at + 'node_modules/'.length).split('/');
  const name = first.startsWith('@') ? `${first}/${second}` : first;
  return name === 'zod' && input.includes('/locales/') ? 'zod (locales)' : name;
}

function formatTable(rows: readonly (readonly string[])[]): string {
  const widths =
    rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows
    .map((row, index) => {
      const line = row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ');
      return index === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('-|-')}` : line;
    })
    .join('\n');
}

function positiveInteger(value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) throw new Error('BENCH_RUNS must be a positive integer');
  return parsed;
}

await main();
