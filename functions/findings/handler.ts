import middy from '@middy/core';
import { s3Client, S3UploadStore } from '../../shared/adapters/upload-store';
import { readConfig } from '../../shared/config';
import { addTheme, readCodebook } from '../../shared/domain/codebook';
import { readInterview, submitInterview } from '../../shared/domain/interviews';
import { previewRedaction } from '../../shared/domain/redaction/preview';
import { createUpload } from '../../shared/domain/uploads';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { services } from '../../shared/services';

const deps = await services();
// Wired here rather than in services(): only this function talks to S3, and the S3 client and
// presigner would add about 170 KB (minified) to every other function's bundle and cold start.
const config = readConfig();
const uploads = new S3UploadStore(
  s3Client({ region: config.AWS_REGION, endpoint: config.S3_ENDPOINT }),
  config.UPLOADS_BUCKET,
);
const findings = { ...deps, uploads, uploadLog: deps.interviews };

/** The codebook, interview attachments (presigned uploads) and interview findings (all question areas). */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ fn: 'findings', ...deps.http }))
  .handler(
    dispatch<'findings'>({
      getCodebook: async () => ({ body: await readCodebook(findings) }),
      addCodebookTheme: async ({ principal, body }) => ({ body: await addTheme(findings, principal, body) }),
      createUpload: async ({ principal, body }) => ({ body: await createUpload(findings, principal, body) }),
      submitInterview: async ({ principal, params, body }) => ({
        body: await submitInterview(findings, principal, params.site, body),
      }),
      getInterview: async ({ params }) => ({ body: await readInterview(findings, params.site, params.id) }),
      previewRedaction: ({ body }) => Promise.resolve({ body: previewRedaction(body) }),
    }),
  );
