import middy from '@middy/core';
import { addCommunityResource, listCommunityResources } from './community-resources';
import { listEngagementReturns, submitEngagementReturn } from './engagement';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { engagementWiring } from './wiring';

const deps = await engagementWiring();

/** Monthly engagement returns (4.6) and the community resource map (4.7, outcome g). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      submitEngagementReturn: async ({ principal, params, body }) => {
        const receipt = await submitEngagementReturn(deps, principal, params.site, params.month, body);
        return { status: receipt.replaced ? 200 : 201, body: receipt };
      },
      listEngagementReturns: async ({ params }) => ({ body: await listEngagementReturns(deps, params.site) }),
      addCommunityResource: async ({ principal, params, body }) => ({
        body: await addCommunityResource(deps, principal, params.site, body),
      }),
      listCommunityResources: async ({ params, query }) => ({
        body: await listCommunityResources(deps, params.site, query),
      }),
    }),
  );
