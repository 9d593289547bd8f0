import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { localIssuer } from '../../local/issuer';

/** `npm run token` as a person types it: the real command in its own process. */
const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'clw-token-'));
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function token(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bin/token.ts', ...args], {
      env: { ...process.env, LOCAL_DATA_DIR: dataDir },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

const USAGE = /^Usage: npm run -s token -- --role </m;

// Each case is its own process: run them side by side.
describe.concurrent('npm run token', () => {
  it('prints a token the local issuer accepts, carrying the site of a provider', async () => {
    const outcome = await token('--role', 'provider', '--site', 'london', '--user', 'sam');
    expect(outcome.code).toBe(0);
    const claims = await (await localIssuer(dataDir)).verify(outcome.stdout.trim());
    expect(claims['cognito:groups']).toEqual(['provider']);
    expect(claims['custom:site']).toBe('london');
  });

  it.each([
    [['--role', 'provider', '--sitee', 'london', '--user', 'sam'], /Unknown option '--sitee'/],
    [['--role', 'evaluator', '--user'], /--user/],
    [['--role', 'evaluator', '--user', 'eve', 'extra'], /Unexpected argument 'extra'/],
    [['--user', 'eve'], /Both --role and --user are needed/],
    [['--role', 'boss', '--user', 'eve'], /Unknown role 'boss'/],
    [['--role', 'provider', '--site', 'paris', '--user', 'sam'], /Unknown site 'paris'/],
    [['--role', 'provider', '--user', 'sam'], /The provider role needs --site/],
    [['--role', 'evaluator', '--user', 'eve', '--expires-in', 'soon'], /whole number of seconds/],
  ])('refuses %j with the reason and its usage, no stack trace, exit 2', async (args, reason) => {
    const outcome = await token(...args);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(reason);
    expect(outcome.stderr).toMatch(USAGE);
    expect(outcome.stderr).not.toMatch(/^\s+at /m);
  });

  it.each(['evaluator', 'market', 'admin'])(
    'refuses a site for the %s role, which has none, instead of putting it in the token',
    async (role) => {
      const outcome = await token('--role', role, '--site', 'london', '--user', 'eve');
      expect(outcome.code).toBe(2);
      expect(outcome.stdout).toBe('');
      expect(outcome.stderr).toContain(`The ${role} role has no site: leave out --site`);
    },
  );

  it('prints its usage on --help and exits 0', async () => {
    const outcome = await token('--help');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(USAGE);
  });
});
