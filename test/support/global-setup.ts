import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type Emulator, freePort, startDynamoDbLocal, startS3rver } from '../../local/emulators';

declare module 'vitest' {
  export interface ProvidedContext {
    emulators: { dynamoEndpoint: string; s3Endpoint: string };
    /** A folder in the system temp folder for this run's files; removed, with all in it, at the end. */
    runDir: string;
  }
}

/**
 * One DynamoDB Local (in memory) and one s3rver for the whole run; each test file makes its own
 * tables, and its own folder (keys) under the run's folder, which goes when the run ends.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = mkdtempSync(join(tmpdir(), 'clw-test-'));
  const started: Emulator[] = [];
  try {
    const [dynamo, s3] = await Promise.all([
      freePort().then((port) => startDynamoDbLocal({ port })),
      freePort().then((port) => startS3rver({ port, dataDir: join(dir, 's3') })),
    ]);
    started.push(dynamo, s3);
    project.provide('emulators', { dynamoEndpoint: dynamo.endpoint, s3Endpoint: s3.endpoint });
    project.provide('runDir', dir);
  } catch (error) {
    await Promise.all(started.map((e) => e.stop()));
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await Promise.all(started.map((e) => e.stop()));
    rmSync(dir, { recursive: true, force: true });
  };
}
