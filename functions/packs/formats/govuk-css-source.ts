import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * Reads govuk-frontend's compiled CSS from the installed package and makes it fit a page that must
 * work offline once downloaded: the `@font-face` rules (GDS Transport may only be used on GOV.UK;
 * the stack falls back to Arial), the crest images of the footer this page does not use, the
 * `@charset` (meaningless inside a style element) and the source map comment are removed.
 *
 * Only the generator of `templates/govuk-frontend-css.ts` and the test that it is current use this;
 * the page reads the generated string, which esbuild bundles like any other module.
 */
export function offlineGovukCss(): { css: string; version: string } {
  const require = createRequire(import.meta.url);
  const css = readFileSync(require.resolve('govuk-frontend/dist/govuk/govuk-frontend.min.css'), 'utf8');
  const { version } = require('govuk-frontend/package.json') as { version: string };
  const offline = css
    .replace(/^@charset "UTF-8";/, '')
    .replace(/@font-face\{[^}]*\}/g, '')
    .replace(/[a-z-]+:url\(\/assets\/[^)]*\);?/g, '')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\/\s*$/, '')
    .trim();
  return { css: offline, version };
}
