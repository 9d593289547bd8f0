import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { TABLES } from '../shared/adapters/tables';

export const LOCAL_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
export const LOCAL_REGION = 'eu-west-2';

/** The local names of the tables, from the same definitions the CDK stateful stack uses. */
export function localTableNames(prefix: string): Record<(typeof TABLES)[keyof typeof TABLES]['env'], string> {
  return Object.fromEntries(Object.values(TABLES).map((t) => [t.env, `${prefix}-${t.id}`])) as Record<
    (typeof TABLES)[keyof typeof TABLES]['env'],
    string
  >;
}

/** Creates every table (if missing) in DynamoDB Local. */
export async function createTables(endpoint: string, prefix: string): Promise<void> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  for (const table of Object.values(TABLES)) {
    const TableName = `${prefix}-${table.id}`;
    const keys = [table.partitionKey, ...('sortKey' in table ? [table.sortKey] : [])];
    try {
      await client.send(
        new CreateTableCommand({
          TableName,
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: keys.map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
          KeySchema: keys.map((AttributeName, i) => ({ AttributeName, KeyType: i === 0 ? 'HASH' : 'RANGE' })),
        }),
      );
      if ('timeToLiveAttribute' in table) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName,
            TimeToLiveSpecification: { AttributeName: table.timeToLiveAttribute, Enabled: true },
          }),
        );
      }
    } catch (error) {
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  client.destroy();
}

export const BUCKETS = {
  uploads: 'UPLOADS_BUCKET',
  packs: 'PACKS_BUCKET',
  'published-packs': 'PUBLISHED_PACKS_BUCKET',
} as const;

/** Creates the uploads, packs and published-packs buckets (if missing) in s3rver. */
export async function createBuckets(endpoint: string, prefix: string): Promise<Record<string, string>> {
  const client = new S3Client({
    endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
    forcePathStyle: true,
  });
  const names: Record<string, string> = {};
  for (const [id, env] of Object.entries(BUCKETS)) {
    const Bucket = `${prefix}-${id}`;
    try {
      await client.send(new CreateBucketCommand({ Bucket }));
    } catch (error) {
      // s3rver answers BucketAlreadyExists where S3 says BucketAlreadyOwnedByYou: both mean "made already".
      if (!(
        error instanceof Error && ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(error.name)
      ))
        throw error;
    }
    names[env] = Bucket;
  }
  client.destroy();
  return names;
}
