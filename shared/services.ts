import { randomUUID } from 'node:crypto';
import { DynamoAuditReader } from './adapters/audit-store';
import { DynamoCodebookStore } from './adapters/codebook-store';
import { DynamoCommunityResourceStore } from './adapters/community-resource-store';
import { cursorSigner } from './adapters/cursor-signer';
import { documentClient } from './adapters/dynamo';
import { DynamoImportWriter } from './adapters/import-writer';
import { DynamoEngagementReturnStore } from './adapters/engagement-store';
import { DynamoIdempotencyStore } from './adapters/idempotency-store';
import { DynamoInterviewStore } from './adapters/interview-store';
import { participantRefCipher } from './adapters/participant-refs';
import { DynamoCapitalStore } from './adapters/participant-store';
import { DynamoProgrammeStore } from './adapters/programme-store';
import { loadPseudonymKey, pseudonymiser } from './adapters/pseudonymiser';
import { DynamoPulseStore } from './adapters/pulse-store';
import { DynamoReferralBarrierStore } from './adapters/referral-store';
import { readConfig } from './config';
import type { SiteId } from './domain/sites';

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
  const programme = new DynamoProgrammeStore(db, config.RECORDS_TABLE, config.AUDIT_TABLE);
  // Every record is written with its audit event, so the stores take both tables.
  const tables = { records: config.RECORDS_TABLE, audit: config.AUDIT_TABLE };
  const capital = new DynamoCapitalStore(db, tables);
  return {
    now,
    newId: randomUUID,
    pseudonymise,
    idempotency,
    programme,
    /** What every function's `httpApi` middleware needs. */
    http: { pseudonymise, idempotency, programme },
    audit: new DynamoAuditReader(db, config.AUDIT_TABLE),
    /** Signs the paging cursors every paged list hands out. */
    cursors: cursorSigner(key),
    pulses: new DynamoPulseStore(db, tables),
    referralBarriers: new DynamoReferralBarrierStore(db, tables),
    codebook: new DynamoCodebookStore(db, tables),
    interviews: new DynamoInterviewStore(db, tables),
    capital,
    participantRefs: participantRefCipher(key),
    /** A participant's keyed pseudonym at a site; pass the reference through `canonicalParticipantRef`. */
    pseudonymiseParticipant: (site: SiteId, ref: string) => pseudonym('participant', `${site}:${ref}`),
    engagementReturns: new DynamoEngagementReturnStore(db, tables),
    communityResources: new DynamoCommunityResourceStore(db, tables),
    imports: new DynamoImportWriter(db, tables, capital),
  };
}

export type Services = Awaited<ReturnType<typeof services>>;
