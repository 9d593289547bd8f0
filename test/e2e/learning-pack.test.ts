import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/emulators';

/**
 * A learning pack on the local stack as people use it: `npm start` in its own process, `npm run
 * seed`, tokens from `npm run token`, everything over HTTP, the builder running the real pipeline
 * in the background. The one setting changed is the release notice (a few seconds, not 15
 * minutes), read by the packs function at start, so the pack is released while the test waits.
 */
const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'clw-e2e-pack-'));
const NOTICE_SECONDS = 4;
/** Debian's Chromium, as the browser tests use it. */
const CHROMIUM = '/usr/bin/chromium';

let env: NodeJS.ProcessEnv;
let url: string;
let child: ChildProcess | undefined;
let output = '';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

async function token(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bin/token.ts', ...args], { env });
  return stdout.trim();
}

async function call(method: string, path: string, bearer: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    redirect: 'manual',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').includes('json') && text !== '';
  return {
    status: response.status,
    headers: response.headers,
    body: (json ? JSON.parse(text) : {}) as Record<string, unknown>,
  };
}

beforeAll(async () => {
  const [port, dynamoPort, s3Port] = [await freePort(), await freePort(), await freePort()];
  env = {
    ...process.env,
    LOCAL_DATA_DIR: dataDir,
    PORT: String(port),
    DYNAMODB_PORT: String(dynamoPort),
    S3_PORT: String(s3Port),
    LOG_LEVEL: 'error',
    PACK_MIN_RELEASE_NOTICE_MINUTES: String(NOTICE_SECONDS / 60),
  };
  url = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not up yet
    }
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`npm start did not come up:\n${output}`);
    await sleep(200);
  }
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child?.once('exit', resolve));
    child.kill('SIGINT');
    await Promise.race([exited, sleep(20_000)]);
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a learning pack on the local stack, from seeded evidence to audited downloads', () => {
  it('is built, approved by a second evaluator, released at its time, downloaded in every format and audited', async () => {
    const seeded = await run(process.execPath, ['--import', 'tsx', 'bin/seed.ts'], { env });
    const period = /Seeded (\d{4}-\d{2}-\d{2}) to (\d{4}-\d{2}-\d{2})/.exec(seeded.stdout);
    if (!period?.[1] || !period[2]) throw new Error(`the seed did not say its period:\n${seeded.stdout}`);
    const [from, to] = [period[1], period[2]];
    const [builder, approver, market, admin] = await Promise.all([
      token('--role', 'evaluator', '--user', 'eve'),
      token('--role', 'evaluator', '--user', 'ade'),
      token('--role', 'market', '--user', 'bidder'),
      token('--role', 'admin', '--user', 'root'),
    ]);

    // Build: 202 at once; the builder function runs in the background to a draft.
    const sites = ['london', 'north-east', 'yorkshire-humber'];
    const started = await call('POST', '/packs', builder, {
      from,
      to,
      sites,
      title: 'Seeded early learning',
    });
    expect(started).toMatchObject({ status: 202, body: { status: 'building' } });
    const id = started.body.id as string;
    let draft: Record<string, unknown> = {};
    const until = Date.now() + 90_000;
    for (;;) {
      draft = (await call('GET', `/packs/${id}`, builder)).body;
      if (draft.status !== 'building' || Date.now() > until) break;
      await sleep(250);
    }
    expect(draft).toMatchObject({ status: 'draft', disclosure: { passed: true } });
    expect((draft.disclosure as { suppressedCells: number }).suppressedCells).toBeGreaterThan(0);

    // Four eyes, then a release a few seconds ahead (the notice this stack was started with).
    expect((await call('POST', `/packs/${id}/approve`, builder)).status).toBe(403);
    expect((await call('POST', `/packs/${id}/approve`, approver)).status).toBe(200);
    const releaseAt = new Date(Date.now() + (NOTICE_SECONDS + 3) * 1000).toISOString();
    const published = await call('POST', `/packs/${id}/publish`, builder, { releaseAt });
    expect(published).toMatchObject({ status: 200, body: { status: 'published' } });

    // Not visible to the market before its time; visible from it.
    const before = await call('GET', '/published-packs', market);
    expect((before.body.packs as { id: string }[]).map((p) => p.id)).not.toContain(id);
    await sleep(Math.max(0, Date.parse(releaseAt) - Date.now()) + 500);
    const listed = await call('GET', '/published-packs', market);
    const entry = (
      listed.body.packs as { id: string; sha256: string; files: Record<string, { sha256: string }> }[]
    ).find((p) => p.id === id);
    expect(entry?.sha256).toBe(draft.sha256);

    // Every format: 302 to a presigned URL, whose bytes have the listed hash.
    const files: Record<string, Uint8Array> = {};
    for (const format of ['html', 'json', 'csv', 'ods']) {
      const answer = await call('GET', `/published-packs/${id}/download?format=${format}`, market);
      expect(answer.status).toBe(302);
      const location = answer.headers.get('location') ?? '';
      expect(Number(new URL(location).searchParams.get('X-Amz-Expires'))).toBeLessThanOrEqual(300);
      const bytes = new Uint8Array(await (await fetch(location)).arrayBuffer());
      expect(sha256(bytes)).toBe(entry?.files[format]?.sha256);
      files[format] = bytes;
    }
    expect(sha256(files.json ?? new Uint8Array())).toBe(entry?.sha256);
    const pack = JSON.parse(new TextDecoder().decode(files.json)) as { sections: unknown[] };
    expect(pack.sections.length).toBeGreaterThan(2);

    // The admin sees each download in the audit log.
    const audit = await call('GET', '/audit?limit=200', admin);
    const downloads = (audit.body.events as { action: string; subjectId: string }[])
      .filter((e) => e.subjectId === id && e.action.startsWith('learning-pack.download.'))
      .map((e) => e.action)
      .sort();
    expect(downloads).toEqual([
      'learning-pack.download.csv',
      'learning-pack.download.html',
      'learning-pack.download.json',
      'learning-pack.download.ods',
    ]);

    // The real pack's HTML has no accessibility violation axe-core can find, in Chromium.
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-quic'],
    });
    try {
      const tab = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
      await tab.setContent(new TextDecoder().decode(files.html), { waitUntil: 'load' });
      const results = await new AxeBuilder({ page: tab })
        .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
        .analyze();
      expect(
        results.violations.map(({ id: rule, nodes }) => ({ rule, targets: nodes.map((n) => n.target) })),
      ).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 300_000);
});
