import middy from '@middy/core';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();

/** The codebook, interview attachments (presigned uploads) and interview findings (all question areas). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'findings', ...deps.http }))
  .handler(dispatch<'findings'>({}));
