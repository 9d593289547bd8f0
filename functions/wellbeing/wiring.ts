import { commonWiring } from '../../shared/wiring';
import { DynamoPulseStore } from './pulse-store';

/** The wellbeing function's composition root: the check-in store. */
export async function wellbeingWiring(env: NodeJS.ProcessEnv = process.env) {
  const common = await commonWiring(env);
  return { ...common, pulses: new DynamoPulseStore(common.db, common.tables) };
}
