import middy from '@middy/core';
import { NotFoundError } from '../../shared/domain/errors';
import { QUESTIONNAIRES } from '../../shared/domain/questionnaires';
import { SITES } from '../../shared/domain/sites';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { openApiDocument } from '../../shared/http/openapi';
import { services } from '../../shared/services';

const deps = await services();

/** Health, the OpenAPI document, reference data and the programme state; also answers unknown routes. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'platform', ...deps.http }))
  .handler(
    dispatch<'platform'>({
      health: () => Promise.resolve({ body: { status: 'ok' } }),
      openapi: () => Promise.resolve({ body: openApiDocument() }),
      listSites: () => Promise.resolve({ body: { sites: SITES } }),
      getQuestionnaire: ({ params }) => {
        const questionnaire = QUESTIONNAIRES.get(params.id);
        if (!questionnaire) throw new NotFoundError(`There is no questionnaire '${params.id}'.`);
        return Promise.resolve({ body: questionnaire });
      },
      getProgramme: async () => ({ body: await deps.programme.getProgramme() }),
    }),
  );
