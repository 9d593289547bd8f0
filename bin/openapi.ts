/**
 * Writes the OpenAPI document of every route to `functions/platform/openapi.json`, which the
 * platform function serves as `GET /openapi.json` without carrying the other functions' schemas,
 * and each route's method, path and access to `functions/web/route-access.json`, which the web
 * function checks pages with. Run it after changing a route: `npm run openapi`. A test fails while
 * either file is out of date.
 */
import { writeFileSync } from 'node:fs';
import { OPENAPI_FILE, openApiText } from '../local/openapi-file';
import { ROUTE_ACCESS_FILE, routeAccessText } from '../local/route-access-file';

writeFileSync(OPENAPI_FILE, openApiText());
process.stdout.write(`Wrote ${OPENAPI_FILE}\n`);
writeFileSync(ROUTE_ACCESS_FILE, routeAccessText());
process.stdout.write(`Wrote ${ROUTE_ACCESS_FILE}\n`);
