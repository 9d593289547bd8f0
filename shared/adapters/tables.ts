/**
 * The DynamoDB tables, defined once: the CDK stateful stack and the local stack both create them
 * from here, so the key schema cannot drift between AWS and a laptop.
 */
export interface TableDefinition {
  /** Logical name; also the construct id in the CDK and the table name suffix locally. */
  readonly id: 'Records' | 'Idempotency' | 'Audit';
  /** The environment variable that hands the table name to the functions. */
  readonly env: 'RECORDS_TABLE' | 'IDEMPOTENCY_TABLE' | 'AUDIT_TABLE';
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly timeToLiveAttribute?: string;
}

export const TABLES = {
  // `expiresAt` (seconds): feedback links are deleted by TTL once they have run out unanswered.
  records: {
    id: 'Records',
    env: 'RECORDS_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
  },
  idempotency: {
    id: 'Idempotency',
    env: 'IDEMPOTENCY_TABLE',
    partitionKey: 'pk',
    timeToLiveAttribute: 'expiresAt',
  },
  audit: { id: 'Audit', env: 'AUDIT_TABLE', partitionKey: 'pk', sortKey: 'sk' },
} as const satisfies Record<string, TableDefinition>;
