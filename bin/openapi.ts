/**
 * Writes the OpenAPI document of every route to `functions/platform/openapi.json`, which the
 * platform function serves as `GET /openapi.json` without carrying the other functions' schemas.
 * Run it after changing a route: `npm run openapi`. A test fails while the file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, openApiText } from '../local/openapi-file';

writeFileSync(OPENAPI_FILE, openApiText());
process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
