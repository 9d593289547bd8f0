import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openApiText } from '../../local/openapi-file';
import { ROUTE_LIST } from '../../shared/routes';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';

const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

interface Operation {
  operationId?: string;
  security?: unknown[];
  responses?: Record<string, unknown>;
}

describe('GET /openapi.json', () => {
  it('is the committed document, and that document is up to date with every route (npm run openapi)', async () => {
    expect(readFileSync(OPENAPI_FILE, 'utf8')).toBe(openApiText());
    const answer = await http.request('GET', '/openapi.json');
    expect(answer.body).toEqual(JSON.parse(openApiText()));
  });

  it('is an OpenAPI 3.1 document describing every route of the route table, and only those', async () => {
    const answer = await http.request('GET', '/openapi.json');
    expect(answer.status).toBe(200);
    expect(answer.body.openapi).toBe('3.1.0');
    const paths = answer.body.paths as Record<string, Record<string, Operation>>;
    const documented = Object.entries(paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => `${method.toUpperCase()} ${path} ${op.operationId ?? ''}`),
    );
    expect(documented.sort()).toEqual(ROUTE_LIST.map((r) => `${r.method} ${r.path} ${r.operationId}`).sort());
  });

  it('marks exactly the routes that need a token as secured, public ones with an empty list, and documents their 401 and 403', async () => {
    const paths = (await http.request('GET', '/openapi.json')).body.paths as Record<
      string,
      Record<string, Operation>
    >;
    for (const route of ROUTE_LIST) {
      const op = paths[route.path]?.[route.method.toLowerCase()];
      const secured = route.access !== 'public';
      expect(op?.security, route.operationId).toEqual(secured ? [{ cognito: [] }] : []);
      expect(Object.keys(op?.responses ?? {}).includes('403'), route.operationId).toBe(secured);
    }
  });

  it('documents a 400 for every route, since each refuses what its schemas do not allow', async () => {
    const paths = (await http.request('GET', '/openapi.json')).body.paths as Record<
      string,
      Record<string, Operation>
    >;
    for (const route of ROUTE_LIST) {
      const op = paths[route.path]?.[route.method.toLowerCase()];
      expect(Object.keys(op?.responses ?? {}), route.operationId).toContain('400');
    }
    // A route without a query schema does refuse a query, as its 400 says.
    const health = await http.request('GET', '/health?verbose=1');
    expect(health.status).toBe(400);
  });
});
