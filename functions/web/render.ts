import nunjucks from 'nunjucks';
import { WEB_DIRS } from './files';

export const SERVICE_NAME = 'Community link worker learning';

/**
 * The page templates: this function's own (`templates/`), extending govuk-frontend's page
 * template and using its component macros (`govuk/...`). Autoescaping is on: whatever the API
 * returns is text, never markup.
 */
export function pageRenderer(extraTemplateDirs: readonly string[] = []) {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([...extraTemplateDirs, WEB_DIRS.templates, WEB_DIRS.govukDist]),
    { autoescape: true, throwOnUndefined: false },
  );
  return (template: string, model: Record<string, unknown>): string => env.render(template, model);
}

export type RenderPage = ReturnType<typeof pageRenderer>;
