/**
 * Learning-pack benchmark: `npm run bench:packs`.
 *
 * For 10k, 100k and 1M records (every stream the builder reads, written straight to NDJSON in the
 * OS temp dir by `bench/packs-data.ts`), each step in a fresh child process so peaks do not mix:
 *
 * - ours: the aggregation alone (the composer that turns records into the pack's tables, before
 *   disclosure control and formats), the files read line by line and folded one record at a time;
 * - arrays: the same, with every record first read into memory, as a caller holding arrays does;
 * - DuckDB: the same tables with SQL over the same files (`bench/packs-duckdb.ts`), every figure
 *   checked against ours;
 * - the whole build at 10k and 100k: the records loaded into DynamoDB Local with batch writes, then
 *   `POST /packs` on the local stack and the builder in the background until the draft is stored.
 *
 * Prints the time, peak RSS and peak heap of each, the ratio ours / DuckDB and the cost per 1,000
 * records at each size (linear if it stays flat). `-- --sizes 10000,100000` and
 * `-- --build-sizes 10000` choose the sizes (`--build-sizes none` skips the build), `-- --seed N`
 * other data.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  type EvidenceRecord,
  type EvidenceStream,
  composePack,
  packComposer,
} from '../functions/packs/compose';
import type { PackEvidence, PackTheme } from '../functions/packs/evidence';
import { redactFreeText } from '../functions/packs/evidence';
import { compareFigures, duckdbFigures, type Figures, flattenSections } from './packs-duckdb';
import { loadIntoDynamo } from './packs-dynamo';
import {
  ndjsonPath,
  PERIOD,
  readNdjson,
  SITE_IDS,
  STREAMS,
  themesPath,
  writeBenchEvidence,
} from './packs-data';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
process.env.LOG_LEVEL ??= 'silent';

/** What a child reports: its timing, its peaks, and (aggregations) the figures it computed. */
interface Measured {
  readonly ms: number;
  /** CPU time of the step (user and system, all threads): steadier than wall time on a busy machine. */
  readonly cpuMs: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly figures?: [string, number | null][];
  readonly detail?: Record<string, number | string>;
}

type Step = Omit<Measured, 'rssMb' | 'heapMb'>;

const MB = 1024 * 1024;
const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};
/** The highest heap seen: sampled by a timer and by the loops that read records. */
let heapPeak = 0;
const sampleHeap = () => {
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
};

/**
 * Loads the redactor's tagger and word lists (about a second, once per process: a cold-start cost,
 * not aggregation) before the clock starts; curating quotes redacts them again at build time.
 */
function warmRedactor(): number {
  const started = performance.now();
  redactFreeText('Warm up the tagger.');
  return performance.now() - started;
}

async function themesOf(dir: string): Promise<PackTheme[]> {
  return JSON.parse(await readFile(themesPath(dir), 'utf8')) as PackTheme[];
}

const composeOptions = (themes: readonly PackTheme[]) => ({
  period: PERIOD,
  sites: SITE_IDS,
  codebook: { themes },
});

/** Ours: every file read line by line and folded into the composer one record at a time. */
async function aggregateStreaming(dir: string): Promise<Step> {
  const themes = await themesOf(dir);
  const redactorMs = warmRedactor();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const composer = packComposer(composeOptions(themes));
  let n = 0;
  const feed = async (stream: EvidenceStream) => {
    for await (const record of readNdjson<EvidenceRecord<EvidenceStream>>(ndjsonPath(dir, stream))) {
      composer.add(stream, record);
      if (++n % 10_000 === 0) sampleHeap();
    }
  };
  for (const stream of STREAMS) await feed(stream);
  const sections = composer.finish();
  const ms = performance.now() - started;
  return {
    ms,
    cpuMs: cpuMsSince(cpu),
    figures: [...flattenSections(sections)],
    detail: { records: n, redactorMs },
  };
}

/** For comparison: every record read into arrays first, then composed. */
async function aggregateArrays(dir: string): Promise<Step> {
  const themes = await themesOf(dir);
  warmRedactor();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const evidence: Record<string, unknown[]> = {};
  let n = 0;
  for (const stream of STREAMS) {
    const records: unknown[] = (evidence[stream] = []);
    for await (const record of readNdjson(ndjsonPath(dir, stream))) {
      records.push(record);
      if (++n % 10_000 === 0) sampleHeap();
    }
  }
  const sections = composePack(evidence as unknown as PackEvidence, composeOptions(themes));
  sampleHeap();
  const ms = performance.now() - started;
  return { ms, cpuMs: cpuMsSince(cpu), figures: [...flattenSections(sections)], detail: { records: n } };
}

async function aggregateDuckdb(dir: string): Promise<Step> {
  const themes = await themesOf(dir);
  const cpu = process.cpuUsage();
  const started = performance.now();
  const figures = await duckdbFigures(dir, SITE_IDS, themes);
  const ms = performance.now() - started;
  return { ms, cpuMs: cpuMsSince(cpu), figures: [...figures] };
}

/** The child's side: runs one step and prints what it measured as the last line of its output. */
async function child(mode: string, dir: string): Promise<void> {
  const timer = setInterval(sampleHeap, 20);
  try {
    const steps: Record<string, (dir: string) => Promise<Step>> = {
      ours: aggregateStreaming,
      arrays: aggregateArrays,
      duckdb: aggregateDuckdb,
      build: loadAndBuild,
    };
    const step = steps[mode];
    if (!step) throw new Error(`unknown step ${mode}`);
    const result = await step(dir);
    sampleHeap();
    const measured: Measured = {
      ...result,
      rssMb: (process.resourceUsage().maxRSS * 1024) / MB,
      heapMb: heapPeak / MB,
    };
    process.stdout.write(`\n${JSON.stringify(measured)}\n`);
  } finally {
    clearInterval(timer);
  }
}

/** The whole build at this size: its own local stack, loaded, then a pack built through the API. */
async function loadAndBuild(dir: string): Promise<Step> {
  const { startLocalStack } = await import('../local/stack');
  const dataDir = await mkdtemp(join(tmpdir(), 'clw-bench-packs-stack-'));
  const stack = await startLocalStack({ dataDir, port: 0, persist: false }).catch(async (error: unknown) => {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  });
  try {
    const loadStarted = performance.now();
    const loaded = await loadIntoDynamo(stack.env, dir, await themesOf(dir), sampleHeap);
    const loadMs = performance.now() - loadStarted;
    const token = await stack.issuer.sign({ role: 'evaluator', user: 'bench' });
    const call = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${stack.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const cpu = process.cpuUsage();
    const started = performance.now();
    const posted = await call('POST', '/packs', {
      from: PERIOD.from,
      to: PERIOD.to,
      sites: SITE_IDS,
      title: 'Benchmark pack',
    });
    if (posted.status !== 202)
      throw new Error(`POST /packs: ${posted.status} ${JSON.stringify(posted.body)}`);
    const id = String(posted.body.id);
    let pack: Record<string, unknown> = {};
    // Answers other than 200 while the builder runs (DynamoDB Local busy serving it) are counted.
    const refused: string[] = [];
    for (;;) {
      // The builder runs in this process: while it computes, the server can drop a connection.
      const answer = await call('GET', `/packs/${id}`).catch((error: unknown) => ({
        status: 0,
        body: { title: error instanceof Error ? error.message : 'no answer' },
      }));
      if (answer.status === 200) {
        pack = answer.body;
        if (pack.status !== 'building') break;
      } else refused.push(`${answer.status} ${JSON.stringify(answer.body.title ?? '')}`);
      if (performance.now() - started > 300_000) throw new Error('the build was still running after 300 s');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const ms = performance.now() - started;
    const cpuMs = cpuMsSince(cpu);
    const disclosure = pack.disclosure as { passed: boolean; suppressedCells: number } | undefined;
    // The same build again, by hand and without the builder's deadline, timing its two halves.
    const parts = await timedPipeline(stack.env, await themesOf(dir));
    return {
      ms,
      cpuMs,
      detail: {
        loaded,
        loadS: loadMs / 1000,
        status: String(pack.status),
        ...(refused.length > 0
          ? { pollsRefused: `${refused.length} (${[...new Set(refused)].join('; ')})` }
          : {}),
        ...(pack.status === 'failed' ? { failure: String(pack.failure) } : {}),
        passed: String(disclosure?.passed ?? '-'),
        suppressed: disclosure?.suppressedCells ?? '-',
        ...parts,
      },
    };
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * The builder's pipeline by hand: reading the period's evidence from DynamoDB Local, then the pure
 * build (composition, disclosure control and its audit, the four formats), each timed.
 */
async function timedPipeline(
  env: Readonly<Record<string, string>>,
  themes: readonly PackTheme[],
): Promise<Record<string, number>> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient } = await import('@aws-sdk/lib-dynamodb');
  const { readPackEvidence } = await import('../functions/packs/evidence-store');
  const { buildPack } = await import('../functions/packs/build-pack');
  const { DEFAULT_PACK_DISCLOSURE_POLICY } = await import('../functions/packs/disclosure-policy');
  const { LOCAL_CREDENTIALS, LOCAL_REGION } = await import('../local/resources');
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: env.DYNAMODB_ENDPOINT,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    }),
  );
  try {
    const tables = { records: env.RECORDS_TABLE ?? '', audit: env.AUDIT_TABLE ?? '' };
    const readStarted = performance.now();
    const evidence = await readPackEvidence(db, tables, { ...PERIOD, sites: SITE_IDS });
    const readMs = performance.now() - readStarted;
    sampleHeap();
    const buildStarted = performance.now();
    buildPack(
      evidence,
      { id: 'bench', title: 'Benchmark pack', period: PERIOD, sites: SITE_IDS, version: 1 },
      { policy: DEFAULT_PACK_DISCLOSURE_POLICY, ledger: [], codebook: { themes } },
    );
    const buildMs = performance.now() - buildStarted;
    const records = STREAMS.reduce((n, stream) => n + evidence[stream].length, 0);
    return { readMs, readRecords: records, buildPackMs: buildMs };
  } finally {
    db.destroy();
  }
}

/** Runs one step in a fresh `node` and returns what it measured. */
async function inChild(mode: string, dir: string): Promise<Measured> {
  const script = new URL(import.meta.url).pathname;
  const proc = spawn(process.execPath, ['--import', 'tsx', script, '--child', mode, dir], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: process.env,
  });
  let output = '';
  proc.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  const last = output.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !last.startsWith('{'))
    throw new Error(`${mode} in ${dir} failed (exit ${code}):\n${output}`);
  return JSON.parse(last) as Measured;
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const pad = (text: string | number, width: number) => String(text).padStart(width);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'string' },
      sizes: { type: 'string', default: '10000,100000,1000000' },
      'build-sizes': { type: 'string', default: '10000,100000' },
      seed: { type: 'string', default: '1' },
    },
    allowPositionals: true,
  });
  if (values.child) {
    const dir = process.argv.at(-1) ?? '';
    await child(values.child, dir);
    return;
  }
  const sizes = values.sizes.split(',').map(Number);
  const buildSizes = values['build-sizes'] === 'none' ? [] : values['build-sizes'].split(',').map(Number);
  const seed = Number(values.seed);
  const root = await mkdtemp(join(tmpdir(), 'clw-bench-packs-'));
  const rows: { records: number; ours: Measured; arrays: Measured; duckdb: Measured; checked: string }[] = [];
  const builds: { records: number; build: Measured }[] = [];
  try {
    for (const records of [...new Set([...sizes, ...buildSizes])].sort((a, b) => a - b)) {
      const dir = join(root, String(records));
      const { mkdir } = await import('node:fs/promises');
      await mkdir(dir);
      const writeStarted = performance.now();
      const written = await writeBenchEvidence(dir, records, seed);
      console.log(
        `${records} records written in ${fmt((performance.now() - writeStarted) / 1000, 1)} s: ${STREAMS.map((s) => `${s} ${written[s]}`).join(', ')}`,
      );
      if (sizes.includes(records)) {
        const ours = await inChild('ours', dir);
        const arrays = await inChild('arrays', dir);
        const duckdb = await inChild('duckdb', dir);
        const mine: Figures = new Map(ours.figures);
        const { compared, differences } = compareFigures(mine, new Map(duckdb.figures));
        const same = compareFigures(mine, new Map(arrays.figures));
        if (differences.length > 0 || same.differences.length > 0) {
          console.log(`  MISMATCH at ${records}:`);
          for (const d of [...differences, ...same.differences].slice(0, 20)) console.log(`    ${d}`);
        }
        const checked = `${compared - differences.length}/${compared}`;
        console.log(
          `  ours ${fmt(ours.ms)} ms, arrays ${fmt(arrays.ms)} ms, DuckDB ${fmt(duckdb.ms)} ms; figures equal to DuckDB's: ${checked}`,
        );
        rows.push({ records, ours, arrays, duckdb, checked });
      }
      if (buildSizes.includes(records)) {
        const build = await inChild('build', dir);
        console.log(`  whole build ${fmt(build.ms)} ms (${JSON.stringify(build.detail)})`);
        builds.push({ records, build });
      }
      await rm(dir, { recursive: true, force: true });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }

  console.log(
    '\nAggregation alone (composer, before disclosure control and formats), each in a fresh process',
  );
  console.log(
    '  records |  ours ms |  CPU ms | DuckDB ms |  CPU ms | ours/DuckDB wall | CPU | ms per 1k | CPU per 1k | peak RSS MB | heap MB | DuckDB RSS MB | figures checked',
  );
  for (const { records, ours, duckdb, checked } of rows) {
    console.log(
      [
        pad(records, 9),
        pad(fmt(ours.ms), 8),
        pad(fmt(ours.cpuMs), 7),
        pad(fmt(duckdb.ms), 9),
        pad(fmt(duckdb.cpuMs), 7),
        pad(fmt(ours.ms / duckdb.ms, 2), 16),
        pad(fmt(ours.cpuMs / duckdb.cpuMs, 2), 4),
        pad(fmt(ours.ms / (records / 1000), 2), 9),
        pad(fmt(ours.cpuMs / (records / 1000), 2), 10),
        pad(fmt(ours.rssMb), 11),
        pad(fmt(ours.heapMb), 7),
        pad(fmt(duckdb.rssMb), 13),
        pad(checked, 15),
      ].join(' | '),
    );
  }
  console.log(
    '\nThe same records read into arrays first, then composed (how memory grows when records are held)',
  );
  console.log('  records | arrays ms | peak RSS MB | heap MB');
  for (const { records, arrays } of rows) {
    console.log(
      [pad(records, 9), pad(fmt(arrays.ms), 9), pad(fmt(arrays.rssMb), 11), pad(fmt(arrays.heapMb), 7)].join(
        ' | ',
      ),
    );
  }
  const redactor = rows.map((r) => fmt(Number(r.ours.detail?.redactorMs ?? 0))).join(', ');
  console.log(`  redactor load before the clock starts (once per process): ${redactor} ms`);
  const linear = (what: string, perK: number[]) => {
    if (perK.length > 1) {
      console.log(
        `  ${what} per 1k records, largest / smallest across sizes: ${fmt(Math.max(...perK) / Math.min(...perK), 2)} (1.00 is linear)`,
      );
    }
  };
  linear(
    'wall time',
    rows.map((r) => r.ours.ms / (r.records / 1000)),
  );
  linear(
    'CPU time',
    rows.map((r) => r.ours.cpuMs / (r.records / 1000)),
  );
  // Fixed costs (JIT, loading) weigh on the smallest size: the cost of each added 1k records shows
  // the growth better. Linear when it does not rise with the size.
  for (let i = 1; i < rows.length; i++) {
    const [a, b] = [rows[i - 1], rows[i]];
    if (!a || !b) continue;
    const added = (b.records - a.records) / 1000;
    console.log(
      `  each added 1k records from ${a.records} to ${b.records}: ${fmt((b.ours.cpuMs - a.ours.cpuMs) / added, 2)} ms CPU, ${fmt((b.ours.ms - a.ours.ms) / added, 2)} ms wall (DuckDB ${fmt((b.duckdb.cpuMs - a.duckdb.cpuMs) / added, 2)} ms CPU)`,
    );
  }
  if (builds.length > 0) {
    console.log('\nWhole build on the local stack (DynamoDB Local): POST /packs until the draft is stored');
    console.log(
      '  records | status |  build ms |  CPU ms | load s | read ms | buildPack ms | peak RSS MB | heap MB | audit passed | suppressed',
    );
    for (const { records, build } of builds) {
      console.log(
        [
          pad(records, 9),
          pad(String(build.detail?.status), 6),
          pad(fmt(build.ms), 9),
          pad(fmt(build.cpuMs), 7),
          pad(fmt(Number(build.detail?.loadS ?? 0), 1), 6),
          pad(fmt(Number(build.detail?.readMs ?? 0)), 7),
          pad(fmt(Number(build.detail?.buildPackMs ?? 0)), 12),
          pad(fmt(build.rssMb), 11),
          pad(fmt(build.heapMb), 7),
          pad(String(build.detail?.passed), 12),
          pad(String(build.detail?.suppressed), 10),
        ].join(' | '),
      );
    }
    console.log(
      '  build: POST /packs until the draft (or failure) is stored, through the builder with its deadline; read and buildPack: the same pipeline again by hand, without a deadline',
    );
    console.log(
      '  peak RSS and heap: the process running the stack, the builder and the second build; DynamoDB Local runs in its own JVM',
    );
    for (const { records, build } of builds) {
      if (build.detail?.failure) console.log(`  ${records}: ${String(build.detail.failure)}`);
      if (build.detail?.pollsRefused)
        console.log(
          `  ${records}: GET /packs/{id} refused while building: ${String(build.detail.pollsRefused)}`,
        );
    }
  }
}

await main();
