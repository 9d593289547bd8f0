import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../local/emulators';
import { pulseBody } from '../support/client';

/**
 * `npm start` as a person runs it: the real entry point in its own process, tokens from the real
 * token command, everything over HTTP.
 */
const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'clw-e2e-'));
const SITES = ['yorkshire-humber', 'north-east', 'london'] as const;

interface Started {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

let env: NodeJS.ProcessEnv;
let url: string;
let stack: Started | undefined;

function startStack(): Started {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
  return { child, output: () => output, exited };
}

async function waitForHealth(started: Started): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    await sleep(200);
  }
  throw new Error(`npm start did not serve /health within 60 s:\n${started.output()}`);
}

async function token(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'bin/token.ts', ...args], { env });
  return stdout.trim();
}

async function call(method: string, path: string, bearer: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function stopStack(started: Started): Promise<number | null> {
  started.child.kill('SIGINT');
  return Promise.race([started.exited, sleep(20_000).then(() => 'timeout' as never)]);
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
  };
  url = `http://127.0.0.1:${port}`;
  stack = startStack();
  await waitForHealth(stack);
});

afterAll(async () => {
  if (stack && stack.child.exitCode === null) await stopStack(stack);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('serves /health and prints where things are and how to get a token', async () => {
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The server answers while the handlers are still loading; the banner follows once they are.
    await expect
      .poll(() => stack?.output(), { timeout: 20_000 })
      .toContain('npm run -s token -- --role provider --site london --user sam');
  });

  it('refuses a second start with a clear message, not a crash', async () => {
    const second = startStack();
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain('already running');
    expect(second.output()).not.toMatch(/at .*\.ts:\d+/); // no stack trace
  });

  it('lets three providers per site check in, and shows the programme while suppressing every site', async () => {
    const submissions = SITES.flatMap((site) =>
      [1, 2, 3].map(async (n) => {
        const bearer = await token('--role', 'provider', '--site', site, '--user', `${site}-worker-${n}`);
        return call('POST', `/sites/${site}/wellbeing-pulses`, bearer, pulseBody(n + 2));
      }),
    );
    const answers = await Promise.all(submissions);
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 9 }, () => 201));

    const evaluator = await token('--role', 'evaluator', '--user', 'eve');
    const summary = await call('GET', '/wellbeing/summary', evaluator);
    expect(summary.status).toBe(200);
    const groups = summary.body.groups as Record<string, unknown>[];
    expect(groups[0]).toMatchObject({ scope: 'programme', status: 'shown', respondents: 9, checkIns: 9 });
    expect(groups.slice(1).map((g) => [g.site, g.status])).toEqual(SITES.map((site) => [site, 'suppressed']));
  });

  it("refuses a provider posting to another site's route", async () => {
    const bearer = await token('--role', 'provider', '--site', 'london', '--user', 'london-worker-1');
    const answer = await call('POST', '/sites/north-east/wellbeing-pulses', bearer, pulseBody());
    expect(answer).toMatchObject({ status: 403, body: { title: 'Forbidden' } });
  });

  it('stops every child process on Ctrl-C, and keeps the data for the next start', async () => {
    if (!stack) throw new Error('not started');
    expect(await stopStack(stack)).toBe(0);
    await expect(fetch(`http://127.0.0.1:${env.DYNAMODB_PORT ?? ''}`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${env.S3_PORT ?? ''}`)).rejects.toThrow();

    stack = startStack();
    await waitForHealth(stack);
    const summary = await call(
      'GET',
      '/wellbeing/summary',
      await token('--role', 'evaluator', '--user', 'eve'),
    );
    expect((summary.body.groups as Record<string, unknown>[])[0]).toMatchObject({ respondents: 9 });
  });

  it('takes six months of demo data from npm run seed, once per seed, and serves it', async () => {
    const seeded = await run(process.execPath, ['--import', 'tsx', 'bin/seed.ts'], { env });
    const again = await run(process.execPath, ['--import', 'tsx', 'bin/seed.ts'], { env }).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    const provider = await token('--role', 'provider', '--site', 'london', '--user', 'sam');
    const evaluator = await token('--role', 'evaluator', '--user', 'eve');
    const followUps = await call('GET', '/sites/london/follow-ups', provider);
    const resources = await call('GET', '/sites/north-east/community-resources', evaluator);

    expect(seeded.stdout).toContain('--user');
    expect(again).toMatchObject({ code: 1 });
    expect((followUps.body.participants as { reference?: string }[]).length).toBeGreaterThan(0);
    expect((followUps.body.participants as { reference?: string }[])[0]?.reference).toMatch(/^DEMO-/);
    expect((resources.body.resources as unknown[]).length).toBeGreaterThan(0);
  }, 120_000);
});
