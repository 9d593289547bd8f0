import { cursorSigner } from '../../shared/adapters/cursor-signer';
import { commonWiring } from '../../shared/wiring';
import { DynamoCommunityResourceStore } from './community-resource-store';
import { DynamoEngagementReturnStore } from './engagement-store';

/** The engagement function's composition root: engagement returns and community resources. */
export async function engagementWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  return {
    ...common,
    engagementReturns: new DynamoEngagementReturnStore(common.db, common.tables),
    communityResources: new DynamoCommunityResourceStore(common.db, common.tables),
    /** Signs the paging cursors of the resource map. */
    cursors: cursorSigner(common.key),
  };
}
