import middy from '@middy/core';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { importCsv } from './imports';
import { routes } from './routes';
import type { importsWiring } from './wiring';

/** Bulk CSV import of interview findings, capital checks and engagement returns: all rows or none. */
export const importsHandler = (deps: Awaited<ReturnType<typeof importsWiring>>) =>
  middy<ApiEvent, ApiResult, Error, ApiContext>()
    .use(httpApi({ routes, ...deps.http }))
    .handler(
      dispatch<typeof routes>({
        importCsv: async ({ principal, body, deadline }) => ({
          body: await importCsv(deps, principal, body, deadline),
        }),
      }),
    );
