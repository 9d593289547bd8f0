/**
 * `npx tsx bin/backfill-read-lists.ts`: a one-off after deploying the lists the read routes page
 * through. Each site's list of interview findings (`GET /sites/{site}/interviews`) and each
 * reporter's own referral barrier reports (`GET /sites/{site}/referral-barriers` for practitioners
 * and provider staff) are written with every new finding or report; this writes them for those
 * stored before, site by site. Safe to run again: an entry already there is left alone, and an
 * interview finding erased meanwhile gets none.
 *
 * It takes the environment of the functions (`RECORDS_TABLE`, `IDEMPOTENCY_TABLE`, `AUDIT_TABLE`,
 * `PSEUDONYM_SECRET_ARN`; see the README), or, with none set, the stack `npm start` is running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoInterviewStore } from '../functions/findings/interview-store';
import { DynamoReferralBarrierStore } from '../functions/referrals/referral-store';
import { SITE_IDS } from '../shared/domain/sites';
import { commonWiring } from '../shared/wiring';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

if (process.env.RECORDS_TABLE === undefined) {
  const envFile = join(process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.data'), 'local-env.json');
  if (!existsSync(envFile)) {
    console.error('Set the functions environment (RECORDS_TABLE, ...), or start the local stack: npm start');
    process.exit(1);
  }
  Object.assign(
    process.env,
    (JSON.parse(readFileSync(envFile, 'utf8')) as { env: Record<string, string> }).env,
  );
}

const { db, tables } = await commonWiring(process.env);
const interviews = new DynamoInterviewStore(db, tables);
const barriers = new DynamoReferralBarrierStore(db, tables);
for (const site of SITE_IDS) {
  const listed = await interviews.backfillInterviewList(site);
  const copied = await barriers.backfillReporterCopies(site);
  console.log(`${site}: ${listed} interview list entries, ${copied} reporter copies written`);
}
