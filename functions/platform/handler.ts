import middy from '@middy/core';
import { NotFoundError } from '../../shared/domain/errors';
import { QUESTIONNAIRES } from '../../shared/domain/questionnaires';
import { SITES } from '../../shared/domain/sites';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import type { HttpMethod } from '../../shared/http/route-spec';
import openApiDocument from './openapi.json';
import { routes } from './routes';
import { platformWiring } from './wiring';

const deps = await platformWiring();

/**
 * API Gateway sends every unknown route (`$default`) here, so this function tells a wrong method
 * which ones exist: from the committed document, not the other functions' route tables.
 */
const knownRoutes = Object.entries(openApiDocument.paths).flatMap(([path, operations]) =>
  Object.keys(operations).map((method) => ({ method: method.toUpperCase() as HttpMethod, path })),
);

/** Health, the OpenAPI document, reference data and the programme state; also answers unknown routes. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, knownRoutes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      health: () => Promise.resolve({ body: { status: 'ok' } }),
      openapi: () => Promise.resolve({ body: openApiDocument }),
      listSites: () => Promise.resolve({ body: { sites: SITES } }),
      getQuestionnaire: ({ params }) => {
        const questionnaire = QUESTIONNAIRES.get(params.id);
        if (!questionnaire) throw new NotFoundError(`There is no questionnaire '${params.id}'.`);
        return Promise.resolve({ body: questionnaire });
      },
      getProgramme: async () => ({ body: await deps.programme.getProgramme() }),
    }),
  );
