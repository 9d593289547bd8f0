import type { Context } from 'aws-lambda';
import { packServices } from '../packs/pack-services';
import { type BuildOutcome, packBuilder } from './builder';
import { packPipeline } from './pipeline';

const services = await packServices(process.env, 'builder');
const build = packBuilder(services, packPipeline(services));

/**
 * The pack builder function, invoked asynchronously (`Event`) by the packs function with `{ packId }`.
 * An error thrown from here (storage unreachable) is retried by Lambda, then sent to the on-failure
 * destination; a build that fails on its own terms is recorded as failed and returns normally.
 */
export const handler = (event: unknown, context: Context): Promise<BuildOutcome> => build(event, context);
