import middy from '@middy/core';
import { submitReferralBarrier } from './referral-barriers';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();

/** Referral barriers reported by practitioners, prison staff, providers and evaluators (question area 4.5). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'referrals', ...deps.http }))
  .handler(
    dispatch<'referrals'>({
      submitReferralBarrier: async ({ principal, params, body }) => ({
        body: await submitReferralBarrier(deps, principal, params.site, body),
      }),
    }),
  );
