/**
 * Free-text redaction benchmark: `npm run bench:redaction`. `-- --misses` lists what was missed
 * and what was over-redacted in the tuning corpus only (the held-out texts are never printed, so
 * nobody tunes on them); `-- --tuning` prints only the tuning table, `-- --timing` only the times.
 *
 * Quality: span-level recall (labelled spans fully removed) and precision (removed spans that were
 * labelled) per kind and overall, for the tuning corpus (test/fixtures/redaction-corpus.ts, what the
 * rules were tuned on) and the held-out corpus (test/fixtures/redaction-heldout.ts, written before
 * tuning and never tuned on: the honest estimate). `-- --held-out` prints only the held-out table.
 *
 * Speed: redaction runs inside Lambda on every submission with free text, so the time per 1,000
 * characters is measured on warm code (median of several passes over the whole corpus), and the
 * first call separately: the name tagger loads on first use, so that call carries its load time.
 * Both wall time and the process's CPU time are printed: on a loaded machine only the second is
 * comparable between runs.
 */
import { performance } from 'node:perf_hooks';
import { findRedactions, redactFreeText, type RedactionKind } from '../shared/domain/redaction';
import { type CorpusEntry, REDACTION_CORPUS, scoreCorpus } from '../test/fixtures/redaction-corpus';
import { REDACTION_HELDOUT } from '../test/fixtures/redaction-heldout';

const PASSES = 15;
const SHOW_MISSES = process.argv.includes('--misses');

const ratio = (part: number, whole: number) =>
  whole === 0 ? '   -  ' : (part / whole).toFixed(3).padStart(6);

function table(title: string, entries: readonly CorpusEntry[], showMisses = false) {
  const score = scoreCorpus(entries, (e) => findRedactions(e.text, e.names ? { names: e.names } : {}));
  console.log(`\n${title} (${entries.length} texts)`);
  console.log('kind                       labelled caught  recall removed correct precision');
  const kinds = Object.keys(score.byKind).sort() as RedactionKind[];
  for (const [kind, s] of [
    ...kinds.map((k) => [k, score.byKind[k]] as const),
    ['OVERALL', score.overall] as const,
  ]) {
    if (!s) continue;
    console.log(
      `${kind.padEnd(26)} ${String(s.labelled).padStart(8)} ${String(s.caught).padStart(6)} ${ratio(s.caught, s.labelled)}` +
        ` ${String(s.removed).padStart(7)} ${String(s.correct).padStart(7)}    ${ratio(s.correct, s.removed)}`,
    );
  }
  console.log(`removed spans whose label was another kind: ${score.kindMismatches}`);
  if (showMisses) {
    for (const m of score.misses) console.log(`  missed     ${m.id} ${m.kind}: ${JSON.stringify(m.text)}`);
    for (const f of score.falsePositives)
      console.log(`  over-redact ${f.id} ${f.kind}: ${JSON.stringify(f.text)}`);
  }
}

function timing() {
  const sample = REDACTION_CORPUS[0];
  if (!sample) return;
  const firstStart = performance.now();
  redactFreeText(sample.text);
  const first = performance.now() - firstStart;

  const chars = REDACTION_CORPUS.reduce((n, e) => n + e.text.length, 0);
  // Warm-up passes, so the figures are for compiled code, as on a warm Lambda.
  for (let pass = 0; pass < 3; pass++) for (const e of REDACTION_CORPUS) redactFreeText(e.text);
  const perThousand: number[] = [];
  const cpuPerThousand: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (const e of REDACTION_CORPUS) redactFreeText(e.text, e.names ? { names: e.names } : {});
    const used = process.cpuUsage(cpu);
    perThousand.push(((performance.now() - start) / chars) * 1000);
    cpuPerThousand.push(((used.user + used.system) / 1000 / chars) * 1000);
  }
  cpuPerThousand.sort((a, b) => a - b);
  perThousand.sort((a, b) => a - b);
  const median = perThousand[Math.floor(perThousand.length / 2)] ?? NaN;

  // One long note (about 2,000 characters), as a worst-ish single submission.
  const long = REDACTION_CORPUS.map((e) => e.text)
    .join(' ')
    .slice(0, 2000);
  const longRuns: number[] = [];
  for (let i = 0; i < PASSES; i++) {
    const start = performance.now();
    redactFreeText(long);
    longRuns.push(performance.now() - start);
  }
  longRuns.sort((a, b) => a - b);

  console.log(
    `\nTiming (${PASSES} passes; corpus is ${chars} characters in ${REDACTION_CORPUS.length} texts)`,
  );
  console.log(`first call, including loading the name tagger: ${first.toFixed(1)} ms`);
  console.log(`warm, median per 1,000 characters:              ${median.toFixed(2)} ms`);
  // CPU time is what the process itself spent: on a shared, loaded machine the wall time above also
  // holds the time spent waiting for a core, and CPU time is the fairer figure to compare runs by.
  console.log(
    `warm, median CPU time per 1,000 characters:     ${(cpuPerThousand[Math.floor(PASSES / 2)] ?? NaN).toFixed(2)} ms`,
  );
  console.log(
    `warm, median for one 2,000-character note:      ${(longRuns[Math.floor(PASSES / 2)] ?? NaN).toFixed(2)} ms`,
  );
}

const ONLY_HELDOUT = process.argv.includes('--held-out');
const ONLY_TUNING = process.argv.includes('--tuning') || SHOW_MISSES;
const ONLY_TIMING = process.argv.includes('--timing');
if (ONLY_TIMING) {
  timing();
  process.exit(0);
}
if (!ONLY_HELDOUT && !ONLY_TUNING) timing();
if (!ONLY_HELDOUT) table('tuning corpus (the rules were tuned on it)', REDACTION_CORPUS, SHOW_MISSES);
if (!ONLY_TUNING) table('held-out corpus (written before tuning, never tuned on)', REDACTION_HELDOUT);
