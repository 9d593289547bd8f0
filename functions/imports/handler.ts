import middy from '@middy/core';
import { importCsv } from './imports';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();

/** Bulk CSV import of interview findings, capital checks and engagement returns: all rows or none. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'imports', ...deps.http }))
  .handler(
    dispatch<'imports'>({
      importCsv: async ({ principal, body }) => ({ body: await importCsv(deps, principal, body) }),
    }),
  );
