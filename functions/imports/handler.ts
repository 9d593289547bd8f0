import middy from '@middy/core';
import { importCsv } from './imports';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { importsWiring } from './wiring';

const deps = await importsWiring();

/** Bulk CSV import of interview findings, capital checks and engagement returns: all rows or none. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      importCsv: async ({ principal, body }) => ({ body: await importCsv(deps, principal, body) }),
    }),
  );
