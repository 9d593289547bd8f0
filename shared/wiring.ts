import { randomUUID } from 'node:crypto';
import { documentClient } from './adapters/dynamo';
import { DynamoIdempotencyStore } from './adapters/idempotency-store';
import { DynamoProgrammeStore } from './adapters/programme-store';
import { loadPseudonymKey, pseudonymiser } from './adapters/pseudonymiser';
import { readConfig } from './config';

/**
 * What every function's composition root starts from: config read once, the DynamoDB client, the
 * pseudonymisation key, and what the `httpApi` middleware needs (idempotency, programme state).
 * Each function adds only its own stores in `functions/<fn>/wiring.ts`; tests call those too,
 * against DynamoDB Local, so there is one code path.
 */
export async function commonWiring(env: NodeJS.ProcessEnv = process.env) {
  const config = readConfig(env);
  const db = documentClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  const key = await loadPseudonymKey({
    region: config.AWS_REGION,
    secretArn: config.PSEUDONYM_SECRET_ARN,
    keyFile: config.PSEUDONYM_KEY_FILE,
  });
  const pseudonym = pseudonymiser(key);
  const now = () => new Date();
  const pseudonymise = (subject: string) => pseudonym('staff', subject);
  // Tombstones of erased requests are keyed by a hash under their own purpose label, never the key itself.
  const idempotency = new DynamoIdempotencyStore(
    db,
    config.IDEMPOTENCY_TABLE,
    (record) => pseudonym('erased-request', record),
    now,
  );
  const programme = new DynamoProgrammeStore(db, config.RECORDS_TABLE, config.AUDIT_TABLE);
  return {
    config,
    db,
    key,
    pseudonym,
    // Every record is written with its audit event, so the stores take both tables.
    tables: { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE },
    now,
    newId: randomUUID,
    pseudonymise,
    idempotency,
    programme,
    /** What every function's `httpApi` middleware needs. */
    http: { pseudonymise, idempotency, programme },
  };
}

export type CommonWiring = Awaited<ReturnType<typeof commonWiring>>;
