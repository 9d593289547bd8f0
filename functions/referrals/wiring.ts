import { cursorSigner } from '../../shared/adapters/cursor-signer';
import { commonWiring } from '../../shared/wiring';
import { DynamoReferralBarrierStore } from './referral-store';

/** The referrals function's composition root: the referral barrier store. */
export async function referralsWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  return {
    ...common,
    referralBarriers: new DynamoReferralBarrierStore(common.db, common.tables),
    /** Signs the paging cursors of the lists of reports. */
    cursors: cursorSigner(common.key),
  };
}
