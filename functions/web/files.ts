import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

/**
 * Where the web function's files are. In the Lambda bundle the templates, this function's assets
 * and govuk-frontend's `dist` folder are copied beside the code (see `lib/api-function.ts`); in the
 * repository they are beside this file and in `node_modules`.
 */
export const WEB_DIRS = {
  templates: join(HERE, 'templates'),
  assets: join(HERE, 'assets'),
  govukDist:
    [
      join(HERE, 'govuk-frontend', 'dist'),
      join(HERE, '..', '..', 'node_modules', 'govuk-frontend', 'dist'),
    ].find((dir) => existsSync(join(dir, 'govuk', 'template.njk'))) ?? join(HERE, 'govuk-frontend', 'dist'),
};

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/manifest+json',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export interface StaticFile {
  readonly contentType: string;
  readonly bytes: Buffer;
}

/**
 * The static files pages use, by URL path, read once: govuk-frontend's CSS, JavaScript, fonts and
 * images, and the small script that starts its components. Only these paths are served, so no
 * request can name another file. `version` (a hash of the CSS and scripts) goes into their URLs,
 * which lets browsers keep every file for a year: a new release has new URLs.
 */
export function staticFiles(): { readonly files: ReadonlyMap<string, StaticFile>; readonly version: string } {
  const govuk = join(WEB_DIRS.govukDist, 'govuk');
  const files = new Map<string, StaticFile>();
  const add = (urlPath: string, file: string) => {
    files.set(urlPath, {
      contentType: CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      bytes: readFileSync(file),
    });
  };
  add('/assets/govuk-frontend.min.css', join(govuk, 'govuk-frontend.min.css'));
  add('/assets/govuk-frontend.min.js', join(govuk, 'govuk-frontend.min.js'));
  add('/assets/app.css', join(WEB_DIRS.assets, 'app.css'));
  for (const folder of ['fonts', 'images']) {
    for (const name of readdirSync(join(govuk, 'assets', folder))) {
      add(`/assets/${folder}/${name}`, join(govuk, 'assets', folder, name));
    }
  }
  add('/assets/manifest.json', join(govuk, 'assets', 'manifest.json'));
  const hash = createHash('sha256');
  for (const path of ['/assets/govuk-frontend.min.css', '/assets/govuk-frontend.min.js', '/assets/app.css']) {
    hash.update(files.get(path)?.bytes ?? Buffer.alloc(0));
  }
  const version = hash.digest('hex').slice(0, 12);
  // govuk-frontend's components start from a module script; served from here, not written inline.
  files.set('/assets/init.js', {
    contentType: CONTENT_TYPES['.js'] ?? '',
    bytes: Buffer.from(
      `import { initAll } from './govuk-frontend.min.js?v=${version}';\ninitAll();\n`,
      'utf8',
    ),
  });
  return { files, version };
}

/**
 * The hash, for the Content Security Policy, of the one inline script of govuk-frontend's page
 * template: it adds `js-enabled` to the body before the page paints. Read from the template itself,
 * so an upgrade that changes the snippet changes the hash with it.
 */
export function templateScriptHash(): string {
  const template = readFileSync(join(WEB_DIRS.govukDist, 'govuk', 'template.njk'), 'utf8');
  const script = /<script[^>]*>([^<]*)<\/script>/.exec(template)?.[1];
  if (script === undefined) throw new Error("govuk-frontend's template has no inline script to hash");
  return `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
}
