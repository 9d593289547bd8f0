import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { FUNCTION_NAMES, type FunctionName } from '../shared/routes';
import { type Emulator, freePort, startDynamoDbLocal, startS3rver } from './emulators';
import { type LocalIssuer, localIssuer } from './issuer';
import { createBuckets, createTables, LOCAL_CREDENTIALS, LOCAL_REGION, localTableNames } from './resources';
import { createLocalServer, type LambdaHandler } from './server';

export interface LocalStackOptions {
  /** Where keys and (if `persist`) the database and objects live. */
  readonly dataDir: string;
  /** HTTP port; 0 picks a free one. */
  readonly port: number;
  /** Keep DynamoDB data on disk across restarts (`npm start`); tests use memory. */
  readonly persist: boolean;
  readonly dynamoPort?: number;
  readonly s3Port?: number;
}

export interface LocalStack {
  readonly url: string;
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
  readonly issuer: LocalIssuer;
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

/**
 * The whole product on a laptop: DynamoDB Local and s3rver, tables and buckets from the same
 * definitions as the CDK, the local token issuer, and the deployed handlers behind an HTTP adapter.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const started: Emulator[] = [];
  const stopAll = async () => {
    await Promise.all(started.map((e) => e.stop()));
  };
  try {
    const [dynamoPort, s3Port] = [
      options.dynamoPort ?? (await freePort()),
      options.s3Port ?? (await freePort()),
    ];
    const [dynamo, s3] = await Promise.all([
      startDynamoDbLocal({
        port: dynamoPort,
        ...(options.persist ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
      }),
      startS3rver({ port: s3Port, dataDir: join(options.dataDir, 's3') }),
    ]);
    started.push(dynamo, s3);
    const prefix = 'clw-local';
    await createTables(dynamo.endpoint, prefix);
    const buckets = await createBuckets(s3.endpoint, prefix);
    const env = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      DYNAMODB_ENDPOINT: dynamo.endpoint,
      S3_ENDPOINT: s3.endpoint,
      PSEUDONYM_KEY_FILE: ensurePseudonymKey(options.dataDir),
      ...localTableNames(prefix),
      ...buckets,
    };
    Object.assign(process.env, env);
    const handlers = await loadHandlers();
    const issuer = await localIssuer(options.dataDir);
    const server = createLocalServer({ handlers, verifyToken: issuer.verify });
    const port = await listen(server, options.port);
    return {
      url: `http://127.0.0.1:${port}`,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      issuer,
      env,
      stop: async () => {
        await new Promise<void>((resolve) =>
          server.close(() => {
            resolve();
          }),
        );
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** The handlers exactly as deployed; imported after the environment is set, as Lambda's init would. */
async function loadHandlers(): Promise<Record<FunctionName, LambdaHandler>> {
  const loaded = await Promise.all(
    FUNCTION_NAMES.map(async (fn) => {
      const module = (await import(`../functions/${fn}/handler.ts`)) as { handler: LambdaHandler };
      return [fn, module.handler] as const;
    }),
  );
  return Object.fromEntries(loaded) as Record<FunctionName, LambdaHandler>;
}

function ensurePseudonymKey(dataDir: string): string {
  const file = join(dataDir, 'pseudonym.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600 });
  return file;
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
