import { readFile } from 'node:fs/promises';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { apiClient } from './api-client';
import { staticFiles, templateScriptHash } from './files';
import { pageRenderer } from './render';
import { sessionKeys } from './session';
import { hostedSignIn } from './sign-in';
import { barrierReportPage } from './pages/barrier-report';
import { capitalCheckPage } from './pages/capital-check';
import { addChangePage, changesPage } from './pages/changes';
import { checkInPage } from './pages/check-in';
import { engagementReturnPage } from './pages/engagement-return';
import { feedbackLinkPage } from './pages/feedback-link';
import { feedbackSummaryPage } from './pages/feedback-summary';
import { followUpsPage } from './pages/follow-ups';
import { addResourcePage, resourcesPage } from './pages/resources';
import { involvementInterestPage } from './pages/involvement-interest';
import { startPage } from './pages/start';
import { importCsvPage } from './pages/import-csv';
import { interviewPage, interviewsPage, recordInterviewPage } from './pages/interviews';
import {
  buildPackPage,
  packPage,
  packPreviewPage,
  packsPage,
  publishPackPage,
  withdrawPackPage,
} from './pages/packs';
import { themesPage } from './pages/themes';
import { wellbeingSummaryPage } from './pages/wellbeing-summary';
import { auditLogPage, disclosurePolicyPage, programmePage } from './pages/admin';
import { packDownloadPage, publishedPacksPage } from './pages/market';
import type { WebDeps } from './web';

const webConfigSchema = z
  .object({
    AWS_REGION: z.string().min(1).default('eu-west-2'),
    /** The API the pages call as the signed-in user: locally the local stack, in AWS the HTTP API. */
    WEB_API_URL: z.url(),
    /** In AWS: the Secrets Manager secret holding the session key. */
    WEB_SESSION_SECRET_ARN: z.string().min(1).optional(),
    /** Locally: a file holding the session key (made by `npm start`). */
    WEB_SESSION_KEY_FILE: z.string().min(1).optional(),
    /** In AWS: Cognito's hosted sign-in (user pool domain, web app client, issuer, this site's address). */
    WEB_COGNITO_DOMAIN: z.url().optional(),
    WEB_CLIENT_ID: z.string().min(1).optional(),
    WEB_ISSUER: z.url().optional(),
    WEB_PUBLIC_URL: z.url().optional(),
  })
  .refine((c) => (c.WEB_SESSION_SECRET_ARN === undefined) !== (c.WEB_SESSION_KEY_FILE === undefined), {
    path: ['WEB_SESSION_SECRET_ARN'],
    message: 'set exactly one of WEB_SESSION_SECRET_ARN (AWS) or WEB_SESSION_KEY_FILE (local)',
  })
  .refine(
    (c) =>
      new Set(
        [c.WEB_COGNITO_DOMAIN, c.WEB_CLIENT_ID, c.WEB_ISSUER, c.WEB_PUBLIC_URL].map((v) => v === undefined),
      ).size === 1,
    {
      path: ['WEB_COGNITO_DOMAIN'],
      message: 'set all or none of WEB_COGNITO_DOMAIN, WEB_CLIENT_ID, WEB_ISSUER, WEB_PUBLIC_URL',
    },
  );

export type WebConfig = z.infer<typeof webConfigSchema>;

/** Reads the web function's configuration once, at cold start, naming the variable that is wrong. */
export function readWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const parsed = webConfigSchema.safeParse(env);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new Error(`Configuration is not valid: ${problems.join('; ')}`);
}

/** The session key: from Secrets Manager in AWS, from a file the local stack made on a laptop. */
async function loadSessionSecret(config: WebConfig): Promise<Buffer> {
  if (config.WEB_SESSION_KEY_FILE) {
    return Buffer.from((await readFile(config.WEB_SESSION_KEY_FILE, 'utf8')).trim(), 'base64');
  }
  const client = new SecretsManagerClient({ region: config.AWS_REGION });
  const secret = await client.send(new GetSecretValueCommand({ SecretId: config.WEB_SESSION_SECRET_ARN }));
  if (!secret.SecretString) throw new Error('The session secret is empty.');
  return Buffer.from(secret.SecretString, 'utf8');
}

/**
 * The web function's composition root: its configuration, session keys, templates, static files,
 * the API client and the pages. It has no table, bucket or key of the product's data: everything
 * goes through the API as the signed-in user.
 */
export async function webWiring(
  env: NodeJS.ProcessEnv = process.env,
  extraTemplateDirs: readonly string[] = [],
) {
  const config = readWebConfig(env);
  const keys = sessionKeys(await loadSessionSecret(config));
  const { files, version } = staticFiles();
  const now = () => new Date();
  const signIn =
    config.WEB_COGNITO_DOMAIN && config.WEB_CLIENT_ID && config.WEB_ISSUER && config.WEB_PUBLIC_URL
      ? hostedSignIn(
          {
            domain: config.WEB_COGNITO_DOMAIN,
            clientId: config.WEB_CLIENT_ID,
            issuer: config.WEB_ISSUER,
            publicUrl: config.WEB_PUBLIC_URL,
          },
          keys,
          now,
        )
      : undefined;
  const deps: WebDeps = {
    keys,
    callApi: apiClient(config.WEB_API_URL),
    render: pageRenderer(extraTemplateDirs),
    files,
    assetVersion: version,
    scriptHash: templateScriptHash(),
    pages: {
      start: startPage,
      checkIn: checkInPage,
      capitalCheck: capitalCheckPage,
      barrierReport: barrierReportPage,
      engagementReturn: engagementReturnPage,
      followUps: followUpsPage,
      resources: resourcesPage,
      addResource: addResourcePage,
      // Evaluators
      interviews: interviewsPage,
      recordInterview: recordInterviewPage,
      interview: interviewPage,
      themes: themesPage,
      importCsv: importCsvPage,
      wellbeingSummary: wellbeingSummaryPage,
      packs: packsPage,
      buildPack: buildPackPage,
      pack: packPage,
      packPreview: packPreviewPage,
      publishPack: publishPackPage,
      withdrawPack: withdrawPackPage,
      // Where a person opens a feedback link: these pages' own address.
      feedbackLink: feedbackLinkPage(config.WEB_PUBLIC_URL ?? config.WEB_API_URL),
      involvementInterest: involvementInterestPage,
      feedbackSummary: feedbackSummaryPage,
      changes: changesPage,
      addChange: addChangePage,
      publishedPacks: publishedPacksPage,
      packDownload: packDownloadPage,
      programme: programmePage,
      disclosurePolicy: disclosurePolicyPage,
      auditLog: auditLogPage,
    },
    signIn,
    now,
  };
  return deps;
}
