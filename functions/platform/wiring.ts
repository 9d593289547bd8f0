import { commonWiring } from '../../shared/wiring';

/** The platform function's composition root: reference data and the programme state; no stores of its own. */
export const platformWiring = commonWiring;
