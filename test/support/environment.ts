import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { inject } from 'vitest';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/resources';
import { type LocalApi, prepareEnvironment, serveHandlers } from '../../local/stack';

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
  const dataDir = mkdtempSync(join(tmpdir(), 'clw-file-'));
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
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await db.send(new ScanCommand({ TableName: env[table], ExclusiveStartKey: startKey }));
        items.push(...(page.Items ?? []));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
      return items;
    },
  };
}

/** The HTTP API with the deployed handlers, on a free port, over a fresh test environment. */
export async function startTestApi(): Promise<LocalApi & TestEnvironment> {
  const environment = await useTestEnvironment();
  const api = await serveHandlers({ port: 0, dataDir: environment.dataDir, env: environment.env });
  return { ...environment, ...api };
}
