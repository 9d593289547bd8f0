import { adminWiring } from '../functions/admin/wiring';
import { engagementWiring } from '../functions/engagement/wiring';
import { findingsWiring } from '../functions/findings/wiring';
import { importsWiring } from '../functions/imports/wiring';
import { participantsWiring } from '../functions/participants/wiring';
import { referralsWiring } from '../functions/referrals/wiring';
import { voiceWiring } from '../functions/voice/wiring';
import { wellbeingWiring } from '../functions/wellbeing/wiring';

/**
 * Every function's stores at once, for the demo-data generator and the tests, which write and read
 * across features. Built from each function's own composition root, so it wires exactly what the
 * deployed functions wire; no function imports this.
 */
export async function services(env: NodeJS.ProcessEnv = process.env) {
  const [admin, wellbeing, referrals, findings, participants, engagement, imports, voice] = await Promise.all(
    [
      adminWiring(env),
      wellbeingWiring(env),
      referralsWiring(env),
      findingsWiring(env),
      participantsWiring(env),
      engagementWiring(env),
      importsWiring(env),
      voiceWiring(env),
    ],
  );
  return {
    ...admin,
    ...wellbeing,
    ...referrals,
    ...findings,
    ...engagement,
    ...imports,
    ...voice,
    ...participants,
  };
}

export type Services = Awaited<ReturnType<typeof services>>;
