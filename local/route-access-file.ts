import { fileURLToPath } from 'node:url';
import { ROUTE_LIST } from '../shared/routes';

/**
 * Where the web function's copy of the route table's access rules lives: method, path and `access`
 * of every API route by operation id, generated from the route table (`npm run openapi` writes it,
 * and a test fails while it is out of date), so the web function checks a page with the very rules
 * the API enforces without carrying the other functions' schemas and rules.
 */
export const ROUTE_ACCESS_FILE = fileURLToPath(
  new URL('../functions/web/route-access.json', import.meta.url),
);

/** The file as committed: two-space indented, ending in a newline. */
export const routeAccessText = (): string =>
  `${JSON.stringify(
    Object.fromEntries(
      ROUTE_LIST.map((route) => [
        route.operationId,
        { method: route.method, path: route.path, access: route.access },
      ]),
    ),
    null,
    2,
  )}\n`;
