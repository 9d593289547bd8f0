import { participantRefCipher } from '../../shared/adapters/participant-refs';
import type { SiteId } from '../../shared/domain/sites';
import { commonWiring } from '../../shared/wiring';
import { DynamoCodebookStore } from '../findings/codebook-store';
import { DynamoEngagementReturnStore } from '../engagement/engagement-store';
import { DynamoCapitalStore } from '../participants/participant-store';
import { DynamoImportWriter } from './import-writer';

/**
 * The imports function's composition root. An import writes into the streams it imports into, so
 * this is the one function that wires other features' stores.
 */
export async function importsWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  const capital = new DynamoCapitalStore(common.db, common.tables);
  return {
    ...common,
    capital,
    codebook: new DynamoCodebookStore(common.db, common.tables),
    engagementReturns: new DynamoEngagementReturnStore(common.db, common.tables),
    participantRefs: participantRefCipher(common.key),
    /** A participant's keyed pseudonym at a site; pass the reference through `canonicalParticipantRef`. */
    pseudonymiseParticipant: (site: SiteId, ref: string) => common.pseudonym('participant', `${site}:${ref}`),
    imports: new DynamoImportWriter(
      common.db,
      common.tables,
      capital,
      // DynamoDB Local has no per-partition write limit to plan for.
      common.config.DYNAMODB_ENDPOINT ? 0 : undefined,
    ),
  };
}
