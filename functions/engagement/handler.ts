import middy from '@middy/core';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();

/** Monthly engagement returns (4.6) and the community resource map (4.7, outcome g). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'engagement', ...deps.http }))
  .handler(dispatch<'engagement'>({}));
