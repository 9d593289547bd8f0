import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUNDLING, REPO_ROOT, WEB_BUNDLE_FILES } from '../../lib/bundling';
import { FUNCTION_NAMES, type FunctionName, routes } from '../../shared/routes';

/**
 * The bundles as Lambda gets them (same esbuild settings as the CDK construct) load in a fresh Node
 * process and answer a request: this catches what only bundling breaks (ESM `require`, aliases).
 */
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'clw-bundle-'));
const keyFile = join(dir, 'key');
writeFileSync(keyFile, randomBytes(32).toString('base64'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function bundle(name: string, entry = join('functions', name, 'handler.ts')) {
  const outfile = join(dir, name, 'index.mjs');
  const { metafile } = await esbuild.build({
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: LAMBDA_BUNDLING.format,
    target: LAMBDA_BUNDLING.target,
    mainFields: [...LAMBDA_BUNDLING.mainFields],
    minify: LAMBDA_BUNDLING.minify,
    banner: { js: LAMBDA_BUNDLING.banner },
    alias: LAMBDA_BUNDLING.alias,
    metafile: true,
    logLevel: 'silent',
  });
  // The web function's templates and static files, copied beside its bundle as the CDK does.
  if (name === 'web') {
    for (const [from, to] of WEB_BUNDLE_FILES) {
      cpSync(join(REPO_ROOT, from), join(dir, name, to), { recursive: true });
    }
  }
  return { outfile, inputs: Object.keys(metafile.inputs), bytes: statSync(outfile).size };
}

/** The configuration the CDK gives the functions, with made-up names. */
const BUNDLE_ENV = {
  RECORDS_TABLE: 'records',
  IDEMPOTENCY_TABLE: 'idempotency',
  AUDIT_TABLE: 'audit',
  UPLOADS_BUCKET: 'uploads',
  PACKS_BUCKET: 'packs',
  PUBLISHED_PACKS_BUCKET: 'published-packs',
  PACK_BUILDER_FUNCTION: 'pack-builder',
  PSEUDONYM_KEY_FILE: keyFile,
  WEB_API_URL: 'https://api.example.org',
  WEB_SESSION_KEY_FILE: keyFile,
};

const invokeHealth = `
const { handler } = await import(process.argv[1]);
const event = { version: '2.0', routeKey: 'GET /health', rawPath: '/health', rawQueryString: '', headers: {},
  isBase64Encoded: false, requestContext: { http: { method: 'GET', path: '/health' }, requestId: 'r1' } };
const result = await handler(event, { awsRequestId: 'r1', functionName: 'bundle-test' });
process.stdout.write(JSON.stringify(result));
`;

describe.each(FUNCTION_NAMES)('the %s bundle', (name) => {
  it('loads in a fresh Node process and answers through its middleware', async () => {
    const { outfile } = await bundle(name);
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', invokeHealth, pathToFileURL(outfile).href],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-2',
          AWS_ACCESS_KEY_ID: 'bundle-test',
          AWS_SECRET_ACCESS_KEY: 'bundle-test',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          LOG_LEVEL: 'silent',
          ...BUNDLE_ENV,
        },
      },
    );
    const result = JSON.parse(stdout) as { statusCode: number; headers: Record<string, string> };
    if (routes.health.fn === name) expect(result.statusCode).toBe(200);
    // The web function answers pages: an unknown one is GOV.UK's "Page not found".
    else if (name === 'web')
      expect(result).toMatchObject({
        statusCode: 404,
        headers: { 'content-type': 'text/html; charset=utf-8' },
      });
    else
      expect(result).toMatchObject({
        statusCode: 404,
        headers: { 'content-type': 'application/problem+json' },
      });
  });

  it('leaves out the SDK default credential chain, which Lambda does not need', async () => {
    const { inputs } = await bundle(name);
    expect(inputs.some((input) => input.includes('credential-provider-node'))).toBe(false);
    expect(inputs.some((input) => input.includes('lambda-credentials'))).toBe(true);
  });
});

/**
 * What each function's minified bundle may weigh, in bytes (about 5% above what it weighs today).
 * A function that starts carrying another feature's code, or a new dependency, fails here first;
 * the cold-start times that follow from it are measured by `npm run bench:cold-start`.
 */
// The functions that redact free text carry the name, place and organisation lists (about 197 KB,
// Brotli-compressed and decoded on first use); the budgets are today's sizes plus about 2%.
// Every function logs and counts through Powertools for AWS Lambda's logger and metrics: 36 KB more each.
const BUNDLE_BUDGET_BYTES: Record<FunctionName, number> = {
  // The platform function serves the OpenAPI document, which grows with every route (the four
  // read routes the web pages need added about 10 KB of it, the voice routes about 12 KB).
  platform: 510_000,
  admin: 921_000,
  wellbeing: 931_000,
  referrals: 922_000,
  findings: 1_118_000,
  participants: 409_000,
  engagement: 932_000,
  imports: 997_000,
  packs: 736_000,
  voice: 952_000,
  // Pages, templates and govuk-frontend's macros: 474 KB with every kind of user's pages and the
  // feedback questionnaire.
  web: 485_000,
};

/** The other functions' modules an import may carry: the rules and stores of the streams it writes. */
const IMPORTED_STREAMS = [
  'functions/participants/participants.ts',
  'functions/participants/participant-store.ts',
  'functions/engagement/engagement.ts',
  'functions/engagement/engagement-store.ts',
  'functions/findings/codebook.ts',
  'functions/findings/codebook-store.ts',
  'functions/findings/interviews.ts',
  'functions/findings/interview-store.ts',
  'functions/findings/uploads.ts',
];

describe.each(FUNCTION_NAMES)('the %s bundle, as deployed', (name) => {
  it("holds no other function's routes, wiring or handler, and none of its rules or stores", async () => {
    const { inputs } = await bundle(name);
    const foreign = inputs.filter((input) => {
      const folder = /^functions\/([^/]+)\//.exec(input)?.[1];
      if (folder === undefined || folder === name) return false;
      return !(name === 'imports' && IMPORTED_STREAMS.includes(input));
    });
    expect(foreign).toEqual([]);
    expect(inputs).not.toContain('shared/routes.ts');
    // The web function has no API routes: its pages and what they may use are in pages.ts.
    expect(inputs).toContain(`functions/${name}/${name === 'web' ? 'pages' : 'routes'}.ts`);
  });

  it('stays within its byte budget', async () => {
    const { bytes } = await bundle(name);
    expect(bytes).toBeLessThanOrEqual(BUNDLE_BUDGET_BYTES[name]);
  });
});

describe('pack building, bundled only where packs are built', () => {
  // Composition, disclosure control, its solver and the renderers run only in the builder: the
  // packs API function answers requests and starts builds, and should not load them at cold start.
  const BUILD_ONLY =
    /^functions\/packs\/(compose|disclosure-(audit|control)|build-pack|formats\/)|node_modules\/(yalps|nunjucks|fflate|govuk-frontend)\//;

  it('leaves the composer, disclosure control, the solver and the renderers out of the packs API function', async () => {
    const { inputs } = await bundle('packs');
    expect(inputs.filter((input) => BUILD_ONLY.test(input))).toEqual([]);
  });

  it('carries them in the pack builder', async () => {
    const { inputs } = await bundle('pack-builder');
    for (const module of [
      'functions/packs/compose.ts',
      'functions/packs/disclosure-audit.ts',
      'node_modules/yalps/',
    ])
      expect(inputs.some((input) => input.startsWith(module))).toBe(true);
  });
});

describe('the pack builder bundle', () => {
  it('loads in a fresh Node process and refuses an event without a pack id before touching storage', async () => {
    const { outfile } = await bundle('pack-builder');
    const script = `
const { handler } = await import(process.argv[1]);
try {
  await handler({}, { getRemainingTimeInMillis: () => 60000 });
  process.stdout.write('built');
} catch (error) {
  process.stdout.write(error.name);
}
`;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(outfile).href],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-2',
          AWS_ACCESS_KEY_ID: 'bundle-test',
          AWS_SECRET_ACCESS_KEY: 'bundle-test',
          LOG_LEVEL: 'silent',
          ...BUNDLE_ENV,
        },
      },
    );
    expect(stdout).toBe('ZodError');
  });
});

describe('the quarantine bundle', () => {
  it('loads in a fresh Node process and ignores an event that is not a scan result, touching nothing', async () => {
    const { outfile, bytes, inputs } = await bundle('quarantine');
    const script = `
const { handler } = await import(process.argv[1]);
process.stdout.write(JSON.stringify(await handler({ source: 'aws.s3' })));
`;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(outfile).href],
      {
        env: {
          PATH: process.env.PATH,
          AWS_REGION: 'eu-west-2',
          AWS_ACCESS_KEY_ID: 'bundle-test',
          AWS_SECRET_ACCESS_KEY: 'bundle-test',
          UPLOADS_BUCKET: 'uploads',
        },
      },
    );
    expect(JSON.parse(stdout)).toEqual({ outcome: 'ignored', why: 'not-a-scan-result' });
    // S3 and zod only: no DynamoDB, no middleware, no redaction.
    expect(inputs.some((input) => input.includes('client-dynamodb'))).toBe(false);
    expect(bytes).toBeLessThanOrEqual(400_000);
  });
});

describe('redaction, bundled as Lambda gets it', () => {
  // The name tagger is loaded on first use through a `require` that only bundling resolves: a
  // mistake there would pass every unbundled test and fail every redaction in AWS.
  it('loads the name tagger on first use, from a folder with no node_modules', async () => {
    const { outfile } = await bundle('redaction', join('shared', 'domain', 'redaction.ts'));
    const script = `
const { redactFreeText } = await import(process.argv[1]);
process.stdout.write(JSON.stringify(redactFreeText('Priya Shah rang on 07700 900123 about her referral.')));
`;
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(outfile).href],
      { env: { PATH: process.env.PATH }, cwd: dir },
    );
    expect(JSON.parse(stdout)).toEqual({
      text: '[name removed] rang on [phone number removed] about her referral.',
      removed: { name: 1, phone: 1 },
    });
  });
});
