import middy from '@middy/core';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import {
  approvePack,
  describePack,
  downloadPublished,
  listPacks,
  listPublished,
  previewPack,
  publishPack,
  requestBuild,
  withdrawPack,
} from './lifecycle';
import type { PackServices } from './pack-services';
import { policyHistory, setPolicy } from './policy';
import { routes } from './routes';

/**
 * The packs function: building (handed to the pack builder), four-eyes approval, publishing,
 * withdrawal, the published list and audited downloads, and the pack disclosure policy. Made from
 * its services so a test can hand it another clock.
 */
export function packsHandler(deps: PackServices) {
  const policyDeps = { policies: deps.policyStore, now: deps.now, newId: deps.newId };
  return middy<ApiEvent, ApiResult, Error, ApiContext>()
    .use(httpApi({ routes, ...deps.http }))
    .handler(
      dispatch<typeof routes>({
        buildPack: async ({ principal, body }) => ({ body: await requestBuild(deps, principal, body) }),
        listPacks: async () => ({ body: await listPacks(deps) }),
        getPack: async ({ params }) => ({ body: await describePack(deps, params.id) }),
        // The draft is answered in the body, not through a presigned URL: it is small, evaluators only
        // need it, and a link to an unpublished pack that anyone holding it could open for minutes
        // is exactly what four eyes is meant to prevent.
        previewPack: async ({ params, query }) => {
          const file = await previewPack(deps, params.id, query.format);
          return {
            body: null,
            file: { contentType: file.contentType, bytes: file.body, fileName: file.fileName },
          };
        },
        approvePack: async ({ principal, params }) => ({
          body: await approvePack(deps, principal, params.id),
        }),
        publishPack: async ({ principal, params, body }) => ({
          body: await publishPack(deps, principal, params.id, body.releaseAt),
        }),
        withdrawPack: async ({ principal, params, body }) => ({
          body: await withdrawPack(deps, principal, params.id, body.reason),
        }),
        listPublishedPacks: async ({ principal }) => ({ body: await listPublished(deps, principal) }),
        downloadPublishedPack: async ({ principal, params, query }) => {
          const link = await downloadPublished(deps, principal, params.id, query.format);
          return { body: link, headers: { location: link.url } };
        },
        getDisclosurePolicy: async () => ({ body: await policyHistory(policyDeps) }),
        setDisclosurePolicy: async ({ principal, body }) => ({
          body: await setPolicy(policyDeps, principal, body),
        }),
      }),
    );
}
