import middy from '@middy/core';
import { addTheme, readCodebook } from './codebook';
import { eraseInterview, listInterviews, readInterview, submitInterview } from './interviews';
import { createUpload } from './uploads';
import { previewRedaction } from './redaction-preview';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { routes } from './routes';
import { findingsWiring } from './wiring';

const deps = await findingsWiring();

/** The codebook, interview attachments (presigned uploads) and interview findings (all question areas). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      getCodebook: async () => ({ body: await readCodebook(deps) }),
      addCodebookTheme: async ({ principal, body }) => ({ body: await addTheme(deps, principal, body) }),
      createUpload: async ({ principal, body }) => ({ body: await createUpload(deps, principal, body) }),
      submitInterview: async ({ principal, params, body }) => ({
        body: await submitInterview(deps, principal, params.site, body),
      }),
      listInterviews: async ({ params, query }) => ({
        body: await listInterviews(deps, params.site, query),
      }),
      getInterview: async ({ params }) => ({ body: await readInterview(deps, params.site, params.id) }),
      eraseInterview: async ({ principal, params }) => ({
        body: await eraseInterview(deps, principal, params.site, params.id),
      }),
      previewRedaction: ({ body }) => Promise.resolve({ body: previewRedaction(body) }),
    }),
  );
