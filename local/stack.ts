import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { PACK_BUILDER_LIMITS } from '../functions/pack-builder/builder';
import { IMPORT_WORKER_LIMITS } from '../functions/import-worker/worker';
import { join } from 'node:path';
import { FUNCTION_NAMES, type FunctionName } from '../shared/routes';
import { type Emulator, freePort, startDynamoDbLocal, startS3rver } from './emulators';
import { type LocalIssuer, localIssuer } from './issuer';
import { createBuckets, createTables, LOCAL_CREDENTIALS, LOCAL_REGION, localTableNames } from './resources';
import { createLocalServer, type LambdaHandler, lambdaContext } from './server';
import { withLocalSignIn } from './web-sign-in';

/** A function invoked asynchronously (by name, through Lambda's Invoke API), such as the pack builder. */
export type BackgroundHandler = (event: unknown, context: Context) => Promise<unknown>;

/** Handlers to use instead of the deployed ones (tests: another clock, a stand-in pack pipeline). */
export interface HandlerOverrides {
  readonly handlers?: Partial<Record<FunctionName, LambdaHandler>>;
  readonly background?: Readonly<Record<string, BackgroundHandler>>;
}

/** The pack builder's function name locally; in AWS the CDK sets the deployed name. */
export const LOCAL_PACK_BUILDER = 'pack-builder';
/** The import worker's function name locally. */
export const LOCAL_IMPORT_WORKER = 'import-worker';
const BACKGROUND_LIMITS: Readonly<Record<string, typeof PACK_BUILDER_LIMITS | typeof IMPORT_WORKER_LIMITS>> =
  {
    [LOCAL_PACK_BUILDER]: PACK_BUILDER_LIMITS,
    [LOCAL_IMPORT_WORKER]: IMPORT_WORKER_LIMITS,
  };

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
    PSEUDONYM_KEY_FILE: ensureKey(options.dataDir, 'pseudonym.key'),
    WEB_SESSION_KEY_FILE: ensureKey(options.dataDir, 'web-session.key'),
    PACK_BUILDER_FUNCTION: LOCAL_PACK_BUILDER,
    IMPORT_WORKER_FUNCTION: LOCAL_IMPORT_WORKER,
    ...localTableNames(options.prefix),
    ...buckets,
  };
  Object.assign(process.env, env);
  return env;
}

/**
 * Serves the route table over HTTP with the deployed handlers, and Lambda's Invoke API for the
 * background functions (the pack builder, the import worker); call after `prepareEnvironment`. The server listens
 * before the handlers load, so they read its address (`LAMBDA_ENDPOINT`) at cold start, as they
 * read DynamoDB's and S3's.
 */
export async function serveHandlers(options: {
  port: number;
  dataDir: string;
  env: Readonly<Record<string, string>>;
  /** Made once the environment is complete, so overrides can build their services from it. */
  overrides?: () => Promise<HandlerOverrides>;
}): Promise<LocalApi> {
  const issuer = await localIssuer(options.dataDir);
  const handlers = {} as Record<FunctionName, LambdaHandler>;
  const background: Record<string, BackgroundHandler> = {};
  const running = new Set<Promise<unknown>>();
  const invokeAsync = (name: string, payload: unknown): boolean => {
    const fn = background[name];
    if (!fn) return false;
    const context = lambdaContext(name, randomUUID(), BACKGROUND_LIMITS[name] ?? PACK_BUILDER_LIMITS);
    const run = fn(payload, context)
      .catch((error: unknown) => {
        // Lambda would retry, then send the event to the on-failure destination; locally it is logged.
        console.error(
          JSON.stringify({
            level: 'error',
            message: 'background invocation failed',
            function: name,
            errorName: error instanceof Error ? error.name : 'Error',
          }),
        );
      })
      .finally(() => running.delete(run));
    running.add(run);
    return true;
  };
  const server = createLocalServer({ handlers, verifyToken: issuer.verify, invokeAsync });
  const port = await listen(server, options.port);
  const url = `http://127.0.0.1:${port}`;
  // The web pages call the API as the signed-in user: here, this same server.
  const env = { ...options.env, LAMBDA_ENDPOINT: url, WEB_API_URL: url };
  Object.assign(process.env, env);
  Object.assign(handlers, await loadHandlers());
  handlers.web = await withLocalSignIn(handlers.web, issuer, options.env.WEB_SESSION_KEY_FILE);
  background[LOCAL_PACK_BUILDER] = await loadBackground(LOCAL_PACK_BUILDER);
  background[LOCAL_IMPORT_WORKER] = await loadBackground(LOCAL_IMPORT_WORKER);
  const overrides = options.overrides ? await options.overrides() : {};
  Object.assign(handlers, overrides.handlers);
  Object.assign(background, overrides.background);
  return {
    url,
    issuer,
    env,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
        server.closeAllConnections();
      });
      // Builds still running finish before the emulators they write to are stopped.
      await Promise.all([...running]);
    },
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

async function loadBackground(name: string): Promise<BackgroundHandler> {
  const entry = `../functions/${name}/handler.ts`;
  const module = (await import(entry)) as { handler: BackgroundHandler };
  return module.handler;
}

/** A random 32-byte key in a file of the data folder (git-ignored), made the first time. */
function ensureKey(dataDir: string, name: string): string {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, name);
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
