import middy from '@middy/core';
import { changeProgramme, readAuditLog } from './admin';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { adminWiring } from './wiring';

const deps = await adminWiring();

/** Programme administration (the bidding pause) and the audit log: admins only. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      changeProgramme: async ({ principal, body }) => ({
        body: await changeProgramme(deps, principal, body),
      }),
      readAudit: async ({ query }) => ({ body: await readAuditLog(deps, query) }),
    }),
  );
