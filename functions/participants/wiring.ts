import { cursorSigner } from '../../shared/adapters/cursor-signer';
import { participantRefCipher } from '../../shared/adapters/participant-refs';
import type { SiteId } from '../../shared/domain/sites';
import { commonWiring } from '../../shared/wiring';
import { DynamoCapitalStore } from './participant-store';

/** The participants function's composition root: capital checks, reference sealing and pseudonyms. */
export async function participantsWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  return {
    ...common,
    capital: new DynamoCapitalStore(common.db, common.tables),
    participantRefs: participantRefCipher(common.key),
    /** Signs the paging cursors of the follow-up list. */
    cursors: cursorSigner(common.key),
    /** A participant's keyed pseudonym at a site; pass the reference through `canonicalParticipantRef`. */
    pseudonymiseParticipant: (site: SiteId, ref: string) => common.pseudonym('participant', `${site}:${ref}`),
  };
}
