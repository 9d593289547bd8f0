/**
 * `npx tsx bin/backfill-follow-ups.ts`: a one-off after deploying the follow-up list kept by due date.
 * Participants whose last check was stored before then have a summary but no follow-up entry; each
 * new check writes the entry, and this writes it for the rest, site by site (`backfillFollowUps`:
 * conditional on the summary being unchanged, and safe to run again).
 *
 * It takes the same environment as the participants function (`RECORDS_TABLE`, `IDEMPOTENCY_TABLE`,
 * `AUDIT_TABLE`, `PSEUDONYM_SECRET_ARN`; see the README), or, with none set, the stack `npm start`
 * is running.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { participantsWiring } from '../functions/participants/wiring';
import { SITE_IDS } from '../shared/domain/sites';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

if (process.env.RECORDS_TABLE === undefined) {
  const envFile = join(process.env.LOCAL_DATA_DIR ?? join(process.cwd(), '.data'), 'local-env.json');
  if (!existsSync(envFile)) {
    console.error(
      'Set the participants function environment (RECORDS_TABLE, ...), or start the local stack: npm start',
    );
    process.exit(1);
  }
  Object.assign(
    process.env,
    (JSON.parse(readFileSync(envFile, 'utf8')) as { env: Record<string, string> }).env,
  );
}

const { capital } = await participantsWiring(process.env);
for (const site of SITE_IDS) {
  console.log(`${site}: ${await capital.backfillFollowUps(site)} follow-up entries written`);
}
