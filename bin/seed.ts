/**
 * `npm run seed -- [--scale N] [--seed N]`: six months of made-up evidence for the three sites,
 * written into the stack `npm start` is running (it leaves its address and environment in
 * `.data/local-env.json`). See local/seed.ts for what is written and how.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_USERS, MAX_SCALE, SeedRefusedError, type SeedSummary, seedDemoData } from '../local/seed';
import { SITE_IDS } from '../shared/domain/sites';
import { services } from '../local/services';

// Lambda runs Node 22; this machine's Node 20 is fine for the local stack, so spare the SDK's notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const USAGE = `Usage: npm run seed -- [--scale N] [--seed N]
  --scale N  multiplies participants, referral barriers, interviews and community resources (1-${MAX_SCALE}; default 1)
  --seed N   the same seed gives the same data (a whole number, 0 or more; default 1)`;

function usage(problem?: string): never {
  if (problem) console.error(problem);
  console.error(USAGE);
  process.exit(problem ? 2 : 0);
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = /^\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n >= min && n <= max)) usage(`--${name} must be a whole number from ${min} to ${max}`);
  return n;
}

let values: { scale?: string; seed?: string; help?: boolean };
try {
  ({ values } = parseArgs({
    options: { scale: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
    allowPositionals: false,
  }));
} catch (error) {
  usage(error instanceof Error ? error.message : String(error));
}
if (values.help) usage();
const scale = wholeNumber('scale', values.scale ?? '1', 1, MAX_SCALE);
const seed = wholeNumber('seed', values.seed ?? '1', 0, 2 ** 31 - 1);

const dataDir = process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.data');
const envFile = join(dataDir, 'local-env.json');
if (!existsSync(envFile)) {
  console.error('Start the local stack first: npm start');
  process.exit(1);
}
const local = JSON.parse(readFileSync(envFile, 'utf8')) as { url: string; env: Record<string, string> };
Object.assign(process.env, local.env);

const started = performance.now();
let summary: SeedSummary;
try {
  summary = await seedDemoData(await services(local.env), { scale, seed, today: new Date() });
} catch (error) {
  if (error instanceof SeedRefusedError) {
    console.error(error.message);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    console.error(
      `Seeding stopped part way: ${message}\nIs the local stack (npm start) still running? It was at ${local.url}.`,
    );
  }
  process.exit(1);
}
const seconds = ((performance.now() - started) / 1000).toFixed(1);

const rows: [string, keyof SeedSummary['sites'][keyof SeedSummary['sites']]][] = [
  ['provider staff', 'staff'],
  ['wellbeing check-ins', 'pulses'],
  ['participants (baselines)', 'participants'],
  ['follow-up checks', 'followUps'],
  ['exits', 'exits'],
  ['follow-ups due today', 'followUpsDue'],
  ['follow-ups overdue today', 'followUpsOverdue'],
  ['engagement returns', 'engagementReturns'],
  ['community resources', 'communityResources'],
  ['  skipped (already mapped, or refused)', 'communityResourcesSkipped'],
  ['referral barriers', 'referralBarriers'],
  ['interviews', 'interviews'],
  ['  findings', 'findings'],
  ['  quotes', 'quotes'],
  ['feedback links', 'feedbackLinks'],
  ['  answered', 'feedbackAnswers'],
  ['  asked to talk to an evaluator', 'involvementInterest'],
];
const columns = [...SITE_IDS, 'total'];
const width = Math.max(...rows.map(([label]) => label.length));
const line = (label: string, cells: readonly (string | number)[]) =>
  `  ${label.padEnd(width)}  ${cells.map((cell, i) => String(cell).padStart((columns[i] ?? '').length)).join('  ')}`;

console.log(
  `\nSeeded ${summary.from} to ${summary.to} (--seed ${summary.seed}, --scale ${summary.scale}) in ${seconds} s\n`,
);
console.log(line('', columns));
for (const [label, key] of rows) {
  const cells = SITE_IDS.map((site) => summary.sites[site][key]);
  console.log(line(label, [...cells, cells.reduce((sum, n) => sum + n, 0)]));
}
console.log(
  `\n  codebook themes: ${summary.themes.added} added${summary.themes.reused ? `, ${summary.themes.reused} already there` : ''}`,
);

const byRole = new Map<string, string[]>();
for (const { role, site, user } of DEMO_USERS) {
  const key = `${role.padEnd(13)}${site ? `--site ${site}` : ''}`;
  byRole.set(key, [...(byRole.get(key) ?? []), user]);
}
console.log('\nThe demo users who wrote it (each --user is always the same person):');
for (const [key, users] of byRole) console.log(`  ${key.padEnd(37)} --user ${users.join(' | ')}`);
console.log(`
Try:
  TOKEN=$(npm run -s token -- --role evaluator --user eve)
  curl -H "Authorization: Bearer $TOKEN" ${local.url}/wellbeing/summary
  curl -H "Authorization: Bearer $TOKEN" ${local.url}/sites/london/follow-ups
  curl -H "Authorization: Bearer $TOKEN" ${local.url}/sites/north-east/community-resources`);
