import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, paginateScan } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/resources';
import { type HandlerOverrides, type LocalApi, prepareEnvironment, serveHandlers } from '../../local/stack';

export interface TestEnvironment {
  readonly env: Readonly<Record<string, string>>;
  readonly dataDir: string;
  readonly db: DynamoDBDocumentClient;
  /** Every item in a table, by its environment variable name. */
  scan(table: 'RECORDS_TABLE' | 'AUDIT_TABLE' | 'IDEMPOTENCY_TABLE'): Promise<Record<string, unknown>[]>;
}

/**
 * Fresh tables and buckets (a unique prefix) in the run's shared DynamoDB Local and s3rver, and the
 * environment set for the handlers. Call before importing a handler.
 */
export async function useTestEnvironment(): Promise<TestEnvironment> {
  const { dynamoEndpoint, s3Endpoint } = inject('emulators');
  // Under the run's folder, which the global setup removes at the end: it holds this file's keys.
  const dataDir = mkdtempSync(join(inject('runDir'), 'file-'));
  const env = await prepareEnvironment({
    dynamoEndpoint,
    s3Endpoint,
    prefix: `t${randomUUID().slice(0, 8)}`,
    dataDir,
  });
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: dynamoEndpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS }),
  );
  return {
    env,
    dataDir,
    db,
    scan: async (table) => {
      const items: Record<string, unknown>[] = [];
      for await (const page of paginateScan({ client: db }, { TableName: env[table] })) {
        items.push(...(page.Items ?? []));
      }
      return items;
    },
  };
}

/**
 * The HTTP API with the deployed handlers, on a free port, over a fresh test environment.
 * `overrides` is called once the environment is complete, to build handlers that replace deployed ones.
 */
export async function startTestApi(
  overrides?: () => Promise<HandlerOverrides>,
): Promise<LocalApi & TestEnvironment> {
  const environment = await useTestEnvironment();
  const api = await serveHandlers({
    port: 0,
    dataDir: environment.dataDir,
    env: environment.env,
    ...(overrides ? { overrides } : {}),
  });
  return { ...environment, ...api, env: api.env };
}

/** Runs `act` while the programme is paused for bidding, and resumes it afterwards whatever happens. */
export async function whilePaused<T>(environment: TestEnvironment, act: () => Promise<T>): Promise<T> {
  const key = { pk: 'PROGRAMME', sk: 'STATE' };
  await environment.db.send(
    new PutCommand({
      TableName: environment.env.RECORDS_TABLE,
      Item: {
        ...key,
        state: 'paused',
        pausedReason: 'Paused while the competition is open.',
        disclosurePolicy: { minGroupSize: 5 },
      },
    }),
  );
  try {
    return await act();
  } finally {
    await environment.db.send(new DeleteCommand({ TableName: environment.env.RECORDS_TABLE, Key: key }));
  }
}
