import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (see lib/bundling.ts).
 * Lambda hands a function its role's credentials in environment variables, so the default chain's
 * SSO, STS, INI-file and instance-metadata providers are dead weight there: about 130 KB of the
 * bundle and 20-30 ms of every cold start (measured with `npm run bench`). Locally the real chain
 * is used, unchanged.
 */
export const defaultProvider = () => fromEnv();
