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

export interface LocalApi {
  readonly url: string;
  readonly issuer: LocalIssuer;
  readonly env: Readonly<Record<string, string>>;
  stop(): Promise<void>;
}

export interface LocalStack extends LocalApi {
  readonly dynamoEndpoint: string;
  readonly s3Endpoint: string;
}

/**
 * The whole product on a laptop: DynamoDB Local and s3rver, tables and buckets from the same
 * definitions as the CDK, the local token issuer, and the deployed handlers behind an HTTP adapter.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  mkdirSync(options.dataDir, { recursive: true });
  const started: Emulator[] = [];
  const stopEmulators = async () => {
    await Promise.all(started.map((e) => e.stop()));
  };
  try {
    const dynamoPort = options.dynamoPort ?? (await freePort());
    const s3Port = options.s3Port ?? (await freePort());
    const [dynamo, s3] = await Promise.all([
      startDynamoDbLocal({
        port: dynamoPort,
        ...(options.persist ? { dataDir: join(options.dataDir, 'dynamodb') } : {}),
      }),
      startS3rver({ port: s3Port, dataDir: join(options.dataDir, 's3') }),
    ]);
    started.push(dynamo, s3);
    const env = await prepareEnvironment({
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      prefix: 'clw-local',
      dataDir: options.dataDir,
    });
    const api = await serveHandlers({ port: options.port, dataDir: options.dataDir, env });
    return {
      ...api,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      stop: async () => {
        await api.stop();
        await stopEmulators();
      },
    };
  } catch (error) {
    await stopEmulators();
    throw error;
  }
}

/**
 * Creates the tables and buckets (named `prefix-...`) and the pseudonymisation key, and sets the
 * environment the handlers read at cold start, exactly as the CDK sets it in AWS.
 */
export async function prepareEnvironment(options: {
  dynamoEndpoint: string;
  s3Endpoint: string;
  prefix: string;
  dataDir: string;
}): Promise<Record<string, string>> {
  await createTables(options.dynamoEndpoint, options.prefix);
  const buckets = await createBuckets(options.s3Endpoint, options.prefix);
  const env = {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    DYNAMODB_ENDPOINT: options.dynamoEndpoint,
    S3_ENDPOINT: options.s3Endpoint,
    // No GuardDuty locally: attachments are checked for their type only.
    UPLOAD_SCAN: 'none',
    PSEUDONYM_KEY_FILE: ensurePseudonymKey(options.dataDir),
    ...localTableNames(options.prefix),
    ...buckets,
  };
  Object.assign(process.env, env);
  return env;
}

/** Serves the route table over HTTP with the deployed handlers; call after `prepareEnvironment`. */
export async function serveHandlers(options: {
  port: number;
  dataDir: string;
  env: Readonly<Record<string, string>>;
}): Promise<LocalApi> {
  const handlers = await loadHandlers();
  const issuer = await localIssuer(options.dataDir);
  const server = createLocalServer({ handlers, verifyToken: issuer.verify });
  const port = await listen(server, options.port);
  return {
    url: `http://127.0.0.1:${port}`,
    issuer,
    env: options.env,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      }),
  };
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
  mkdirSync(dataDir, { recursive: true });
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
