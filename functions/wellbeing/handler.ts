import middy from '@middy/core';
import { submitPulse, summariseWellbeing } from './wellbeing';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();

/** Staff wellbeing check-ins (question area 4.4, outcome j) and their disclosure-controlled summary. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'wellbeing', ...deps.http }))
  .handler(
    dispatch<'wellbeing'>({
      submitWellbeingPulse: async ({ principal, params, body }) => {
        const receipt = await submitPulse(deps, principal, params.site, body);
        return { status: receipt.replaced ? 200 : 201, body: receipt };
      },
      wellbeingSummary: async ({ query }) => ({ body: await summariseWellbeing(deps, query) }),
    }),
  );
