import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, found from this file so synthesis and benchmarks work from any directory. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * How every Lambda function is bundled: one definition, used by the CDK construct and by
 * `npm run bench`, so the benchmark measures what is deployed.
 */
export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: 'node22',
  // `module` first: ESM builds tree-shake far better (measured: ~1 MB down to ~430 KB).
  mainFields: ['module', 'main'],
  minify: true,
  /**
   * Gives the ESM bundle a `require`: bundled CommonJS dependencies still call it for Node built-ins,
   * and an ES module has none, so without this they fail at cold start with "Dynamic require".
   */
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /** Lambda's credentials come from the environment: see shared/adapters/lambda-credentials.ts. */
  alias: {
    '@aws-sdk/credential-provider-node': join(REPO_ROOT, 'shared', 'adapters', 'lambda-credentials.ts'),
  },
} as const;

/**
 * What the web function reads from disk besides its code, copied beside its bundle (from the
 * repository root, to the bundle's folder): its page templates and small assets, and govuk-frontend's
 * `dist` folder (page template, component macros, CSS, JavaScript, fonts and images). The function
 * finds them there (`functions/web/files.ts`).
 */
export const WEB_BUNDLE_FILES: readonly (readonly [from: string, to: string])[] = [
  ['functions/web/templates', 'templates'],
  ['functions/web/assets', 'assets'],
  ['node_modules/govuk-frontend/dist', 'govuk-frontend/dist'],
];
