import { randomUUID } from 'node:crypto';
import { documentClient } from './adapters/dynamo';
import { DynamoIdempotencyStore } from './adapters/idempotency-store';
import { DynamoProgrammeStore } from './adapters/programme-store';
import { loadPseudonymKey, pseudonymiser } from './adapters/pseudonymiser';
import { DynamoPulseStore } from './adapters/pulse-store';
import { readConfig } from './config';

/**
 * The composition root: reads config once and wires the real adapters. Every function calls it at
 * cold start; tests call it too, against DynamoDB Local, so there is one code path.
 */
export async function services(env: NodeJS.ProcessEnv = process.env) {
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
  const idempotency = new DynamoIdempotencyStore(db, config.IDEMPOTENCY_TABLE, now);
  const programme = new DynamoProgrammeStore(db, config.RECORDS_TABLE);
  return {
    now,
    newId: randomUUID,
    pseudonymise,
    idempotency,
    programme,
    /** What every function's `httpApi` middleware needs. */
    http: { pseudonymise, idempotency, programme },
    pulses: new DynamoPulseStore(db, { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE }),
    // ── referrals ──
    // ── findings ──
    // ── participants ──
    // ── engagement ──
    // ── imports ──
  };
}

export type Services = Awaited<ReturnType<typeof services>>;
