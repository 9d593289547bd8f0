/**
 * `npm start`: the product on this machine, against DynamoDB Local and s3rver.
 * Data is kept under .data/ (git-ignored) so it survives a restart.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startLocalStack } from '../local/stack';

// Lambda runs Node 22; this machine's Node 20 is fine for the local stack, so spare the SDK's notice.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const dataDir = process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.data');
const port = Number(process.env.PORT ?? 3000);
const lockFile = join(dataDir, 'local.pid');
/** Where `npm run seed` finds the running stack: its URL and the environment its handlers read. */
const envFile = join(dataDir, 'local-env.json');

function alreadyRunning(): number | undefined {
  if (!existsSync(lockFile)) return undefined;
  const pid = Number(readFileSync(lockFile, 'utf8'));
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined; // a stale lock from a stack that did not shut down cleanly
  }
}

const running = alreadyRunning();
if (running !== undefined) {
  console.error(
    `The local stack is already running (process ${running}, http://127.0.0.1:${port}).\n` +
      'Use that one, or stop it with Ctrl-C in its terminal before starting another.',
  );
  process.exit(1);
}
mkdirSync(dataDir, { recursive: true });
writeFileSync(lockFile, String(process.pid));

try {
  const stack = await startLocalStack({
    dataDir,
    port,
    persist: true,
    dynamoPort: Number(process.env.DYNAMODB_PORT ?? 8000),
    s3Port: Number(process.env.S3_PORT ?? 4569),
  });
  writeFileSync(envFile, JSON.stringify({ url: stack.url, env: stack.env }, null, 2), { mode: 0o600 });
  console.log(`
Community link worker learning backend, running locally

  API            ${stack.url}   (try ${stack.url}/health)
  OpenAPI        ${stack.url}/openapi.json
  DynamoDB Local ${stack.dynamoEndpoint}   (data in .data/dynamodb)
  S3 (s3rver)    ${stack.s3Endpoint}   (objects in .data/s3)

Get a token for a demo user (roles: evaluator provider practitioner market admin):
  TOKEN=$(npm run -s token -- --role provider --site london --user sam)
  curl -H "Authorization: Bearer $TOKEN" ${stack.url}/sites

Six months of made-up evidence for the three sites:
  npm run seed            (--scale N multiplies the volumes)

Ctrl-C stops everything.`);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack...`);
    stack
      .stop()
      .catch((error: unknown) => {
        console.error('Could not stop cleanly:', error);
      })
      .finally(() => {
        rmSync(lockFile, { force: true });
        rmSync(envFile, { force: true });
        process.exit(0);
      });
  };
  process.on('SIGINT', () => {
    shutdown('SIGINT');
  });
  process.on('SIGTERM', () => {
    shutdown('SIGTERM');
  });
} catch (error) {
  rmSync(lockFile, { force: true });
  const message = error instanceof Error ? error.message : String(error);
  const inUse = /EADDRINUSE/.test(message);
  console.error(
    inUse
      ? `Port ${port} (or an emulator port) is already in use by another program. Set PORT, DYNAMODB_PORT or S3_PORT to free ones.`
      : `The local stack could not start: ${message}`,
  );
  process.exit(1);
}
