import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import type { ListedRoute } from './route-spec';

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/**
 * The OpenAPI 3.1 document of the given routes. `npm run openapi` writes it for every route to
 * `functions/platform/openapi.json`, which `GET /openapi.json` serves; a test keeps the two equal.
 */
export function openApiDocument(routes: readonly ListedRoute[]): Record<string, unknown> {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'cognito', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of routes) {
    const roles = route.access === 'public' ? undefined : route.access;
    const isPublic = roles === undefined;
    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
      path: route.path,
      operationId: route.operationId,
      summary: route.summary,
      description: roles ? `Roles: ${roles.join(', ')}.` : 'Public.',
      // An explicit empty list says a public route needs no token (rather than leaving it unstated).
      security: isPublic ? [] : [{ cognito: [] }],
      request: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(route.method === 'POST'
          ? { headers: z.object({ 'idempotency-key': z.string().min(1).max(128).optional() }) }
          : {}),
        ...(route.body ? { body: { content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses: {
        [route.response.status]: {
          description: route.response.description,
          content: { 'application/json': { schema: route.response.schema } },
        },
        // Every route validates what it is sent: a route without a query schema refuses any query.
        400: problem(
          route.body
            ? 'A field is missing or not valid'
            : route.query || route.params
              ? 'A parameter is not valid'
              : 'This route takes no query parameters',
        ),
        ...(route.body ? { 413: problem('Body too large') } : {}),
        ...(isPublic ? {} : { 401: problem('No valid token'), 403: problem('Wrong role or site') }),
        ...(route.submission ? { 423: problem('The programme is paused for bidding') } : {}),
      },
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Community link worker early testing: evidence and learning packs',
      version: '1.0.0',
      description: 'Every error is application/problem+json (RFC 9457).',
    },
    // Relative: the document is served by the API it describes (`GET /openapi.json`), wherever that is deployed.
    servers: [{ url: '/', description: 'The API serving this document' }],
  }) as unknown as Record<string, unknown>;
}
