import { packServices } from './pack-services';
import { packsHandler } from './packs-api';

/** The packs function, as Lambda runs it: its services made once, at cold start. */
export const handler = packsHandler(await packServices());
