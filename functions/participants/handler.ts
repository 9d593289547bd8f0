import middy from '@middy/core';
import { eraseParticipant, listFollowUps, recordCapitalCheck } from './participants';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { participantsWiring } from './wiring';

const deps = await participantsWiring();

/** Capital checks of the people supported (4.3, outcomes a-f), their follow-ups, and erasure on withdrawn consent. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      submitCapitalAssessment: async ({ principal, params, body, idempotencyRecord }) => ({
        body: await recordCapitalCheck(deps, principal, params.site, body, idempotencyRecord),
      }),
      listFollowUps: async ({ principal, params, query }) => ({
        body: await listFollowUps(deps, principal, params.site, query),
      }),
      eraseParticipant: async ({ principal, params }) => ({
        body: await eraseParticipant(deps, principal, params.site, params.ref),
      }),
    }),
  );
