import middy from '@middy/core';
import { listReferralBarriers, submitReferralBarrier } from './referral-barriers';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { referralsWiring } from './wiring';

const deps = await referralsWiring();

/** Referral barriers reported by practitioners, prison staff, providers and evaluators (question area 4.5). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      submitReferralBarrier: async ({ principal, params, body }) => ({
        body: await submitReferralBarrier(deps, principal, params.site, body),
      }),
      listReferralBarriers: async ({ principal, params, query }) => ({
        body: await listReferralBarriers(deps, principal, params.site, query),
      }),
    }),
  );
