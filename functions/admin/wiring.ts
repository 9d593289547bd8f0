import { cursorSigner } from '../../shared/adapters/cursor-signer';
import { commonWiring } from '../../shared/wiring';
import { DynamoAuditReader } from './audit-store';

/** The admin function's composition root: the programme writer and the audit log reader. */
export async function adminWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  return {
    ...common,
    audit: new DynamoAuditReader(common.db, common.config.AUDIT_TABLE),
    /** Signs the paging cursors the audit log hands out. */
    cursors: cursorSigner(common.key),
  };
}
