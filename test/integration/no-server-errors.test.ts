import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ROUTE_LIST } from '../../shared/routes';
import { client } from '../support/client';
import { startTestApi } from '../support/environment';

/** Whatever a caller sends, the answer is never a 5xx: bad input gets a 4xx problem+json. */
const api = await startTestApi();
const http = client(api);
afterAll(() => api.stop());

const segment = fc.oneof(
  fc.constantFrom('london', 'north-east', 'yorkshire-humber', 'wellbeing-pulse', '%E0%A4%A', '..', '%00'),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
);
const query = fc.dictionary(fc.constantFrom('from', 'to', 'site', 'x'), fc.string({ maxLength: 30 }), {
  maxKeys: 3,
});
const body = fc.oneof(
  fc.json({ maxDepth: 4 }),
  fc.string({ maxLength: 200 }),
  fc
    .record({
      questionnaireVersion: fc.oneof(fc.constant(1), fc.integer(), fc.string()),
      answers: fc.dictionary(
        fc.string({ maxLength: 20 }),
        fc.oneof(fc.integer(), fc.double(), fc.string(), fc.constant(null)),
      ),
      comment: fc.oneof(fc.string({ maxLength: 1200 }), fc.integer()),
    })
    .map((v) => JSON.stringify(v)),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', '');

describe.each(ROUTE_LIST)('$method $path', (route) => {
  it('never answers a 5xx, whatever the path, query, body or content type', async () => {
    await fc.assert(
      fc.asyncProperty(segment, query, body, contentType, async (param, params, rawBody, type) => {
        const path = route.path.replace(/\{[^}]+\}/g, param);
        const search = new URLSearchParams(params).toString();
        const answer = await http.request(route.method, `${path}${search ? `?${search}` : ''}`, {
          as: route.path.includes('{site}')
            ? { role: 'provider', site: 'london', user: 'fuzz' }
            : { role: 'evaluator', user: 'fuzz' },
          ...(route.method === 'POST' ? { rawBody, headers: type ? { 'content-type': type } : {} } : {}),
        });
        expect(answer.status).toBeLessThan(500);
        if (answer.status >= 400) expect(answer.headers.get('content-type')).toBe('application/problem+json');
      }),
      { numRuns: 60 },
    );
  });
});
