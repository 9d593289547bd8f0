import { fileURLToPath } from 'node:url';
import { openApiDocument } from '../shared/http/openapi';
import { ROUTE_LIST } from '../shared/routes';

/** Where the committed OpenAPI document lives: beside the function that serves it. */
export const OPENAPI_FILE = fileURLToPath(new URL('../functions/platform/openapi.json', import.meta.url));

/** The document as committed: generated from every route, two-space indented, ending in a newline. */
export const openApiText = (): string => `${JSON.stringify(openApiDocument(ROUTE_LIST), null, 2)}\n`;
