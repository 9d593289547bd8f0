import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SITE_SCOPED_ROLES } from '../../shared/domain/roles';
import { ROUTE_LIST } from '../../shared/routes';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';
import { arbitraryFor, mutatedArbitraryFor } from '../support/schema-arbitrary';

/**
 * Whatever a caller sends, the answer is never a 5xx: bad input gets a 4xx problem+json. Bodies and
 * queries are drawn from each route's own schema (mostly valid, so they reach the domain rules and the
 * database), from the same schema with one node replaced or added, and from arbitrary JSON and text.
 */
const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const junkSegment = fc.oneof(
  fc.constantFrom('wellbeing-pulse', 'capital-check', '%E0%A4%A', '..', '%00', '2026-13', 'x'.repeat(300)),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  '',
);

describe.each(ROUTE_LIST)('$method $path', (route) => {
  const segment = (name: string) => {
    const valid = route.params?.shape[name];
    const schemaDrawn = valid
      ? arbitraryFor(valid).map((v) => encodeURIComponent(typeof v === 'string' ? v : JSON.stringify(v)))
      : junkSegment;
    return fc.oneof({ arbitrary: schemaDrawn, weight: 4 }, { arbitrary: junkSegment, weight: 1 });
  };
  const names = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] ?? '');
  const params = fc.tuple(...names.map(segment));
  const query = route.query
    ? fc.oneof(
        arbitraryFor(route.query),
        mutatedArbitraryFor(route.query),
        fc.dictionary(fc.string({ maxLength: 10 }), fc.string({ maxLength: 30 }), { maxKeys: 3 }),
      )
    : fc.dictionary(fc.constantFrom('from', 'to', 'x'), fc.string({ maxLength: 30 }), { maxKeys: 2 });
  const body = route.body
    ? fc.oneof(
        { arbitrary: arbitraryFor(route.body).map((v) => JSON.stringify(v)), weight: 3 },
        { arbitrary: mutatedArbitraryFor(route.body).map((v) => JSON.stringify(v)), weight: 3 },
        { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 1 },
        { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
      )
    : fc.option(fc.string({ maxLength: 50 }));
  const role = route.access === 'public' ? undefined : route.access[0];

  it('never answers a 5xx, whatever the path, query, body or content type', async () => {
    await fc.assert(
      fc.asyncProperty(params, query, body, contentType, async (values, search, rawBody, type) => {
        let path = route.path;
        names.forEach((name, i) => (path = path.replace(`{${name}}`, values[i] ?? '')));
        // A mutated query may have become any JSON value: a non-object is sent as one parameter.
        const fields =
          search !== null && typeof search === 'object' && !Array.isArray(search)
            ? Object.entries(search)
            : [['q', search] as const];
        const queryString = new URLSearchParams(
          fields.map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
        ).toString();
        const answer = await http.request(route.method, `${path}${queryString ? `?${queryString}` : ''}`, {
          ...(role
            ? { as: { role, user: 'fuzz', ...(SITE_SCOPED_ROLES.includes(role) ? { site: 'london' } : {}) } }
            : {}),
          ...(route.method === 'GET' || rawBody === null
            ? {}
            : { rawBody, headers: type ? { 'content-type': type } : {} }),
        });
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 60 },
    );
  });
});
