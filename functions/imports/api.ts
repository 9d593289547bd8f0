import middy from '@middy/core';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { cancelImport, getImport, startImport } from './import-jobs';
import { routes } from './routes';
import type { importsWiring } from './wiring';

/** Bulk CSV imports of interview findings, capital checks and engagement returns, as background jobs. */
export const importsHandler = (deps: Awaited<ReturnType<typeof importsWiring>>) =>
  middy<ApiEvent, ApiResult, Error, ApiContext>()
    .use(httpApi({ routes, ...deps.http }))
    .handler(
      dispatch<typeof routes>({
        importCsv: async ({ principal, body }) => ({ body: await startImport(deps, principal, body) }),
        getImport: async ({ principal, params }) => ({ body: await getImport(deps, principal, params.id) }),
        cancelImport: async ({ principal, params }) => ({
          body: await cancelImport(deps, principal, params.id),
        }),
      }),
    );
