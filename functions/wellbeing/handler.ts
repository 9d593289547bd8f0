import middy from '@middy/core';
import { readPulseThisWeek, submitPulse, summariseWellbeing } from './wellbeing';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { wellbeingWiring } from './wiring';

const deps = await wellbeingWiring();

/** Staff wellbeing check-ins (question area 4.4, outcome j) and their disclosure-controlled summary. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      submitWellbeingPulse: async ({ principal, params, body }) => {
        const receipt = await submitPulse(deps, principal, params.site, body);
        return { status: receipt.replaced ? 200 : 201, body: receipt };
      },
      getWellbeingPulseThisWeek: async ({ principal, params }) => ({
        body: await readPulseThisWeek(deps, principal, params.site),
      }),
      wellbeingSummary: async ({ query }) => ({ body: await summariseWellbeing(deps, query) }),
    }),
  );
