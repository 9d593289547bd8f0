import middy from '@middy/core';
import { changeProgramme, readAuditLog } from './admin';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();

/** Programme administration (the bidding pause) and the audit log: admins only. */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'admin', ...deps.http }))
  .handler(
    dispatch<'admin'>({
      changeProgramme: async ({ principal, body }) => ({
        body: await changeProgramme(deps, principal, body),
      }),
      readAudit: async ({ query }) => ({ body: await readAuditLog(deps, query) }),
    }),
  );
