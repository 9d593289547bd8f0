/**
 * THE route table. The CDK API stack, the local HTTP adapter and `GET /openapi.json` are all
 * derived from it: a route exists in all three or in none.
 */
import * as z from 'zod';
import { packRoutes } from '../functions/packs/routes';
import { auditPageSchema, auditQuerySchema, programmeChangeSchema } from './domain/admin';
import {
  capitalCheckBodySchema,
  capitalCheckInstrumentSchema,
  capitalReceiptSchema,
  erasureParamsSchema,
  erasureReceiptSchema,
  followUpListSchema,
  followUpsQuerySchema,
} from './domain/capital';
import { codebookSchema, themeBodySchema, themeReceiptSchema } from './domain/codebook';
import {
  communityResourceBodySchema,
  communityResourceReceiptSchema,
  resourceMapSchema,
} from './domain/community-resources';
import {
  engagementFiguresSchema,
  engagementParamsSchema,
  engagementReceiptSchema,
} from './domain/engagement';
import {
  INTERVIEW_MAX_BODY_BYTES,
  interviewBodySchema,
  interviewParamsSchema,
  interviewReceiptSchema,
  storedInterviewSchema,
} from './domain/interviews';
import { IMPORT_MAX_BODY_BYTES, importBodySchema, importReceiptSchema } from './domain/imports';
import { programmeSchema } from './domain/programme';
import { referralBarrierBodySchema, referralBarrierReceiptSchema } from './domain/referral-barriers';
import { type Role, ROLES } from './domain/roles';
import { SITES, siteIdSchema } from './domain/sites';
import { uploadBodySchema, uploadTicketSchema } from './domain/uploads';
import {
  pulseBodySchema,
  pulseReceiptSchema,
  summaryQuerySchema,
  wellbeingSummarySchema,
} from './domain/wellbeing';

/** One Lambda function per resource group; the name is also the folder under `functions/`. */
export const FUNCTION_NAMES = [
  'platform',
  'admin',
  'wellbeing',
  'referrals',
  'findings',
  'participants',
  'engagement',
  'imports',
  'packs',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

export interface FunctionLimits {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/** The house default for a function: enough for one request's validation, rules and writes. */
export const DEFAULT_FUNCTION_LIMITS: FunctionLimits = { memoryMb: 512, timeoutSeconds: 10 };

/**
 * Where a function needs more than the default; the CDK deploys these and the local adapter gives
 * handlers the same time budget. A 10,000-row import parses, validates, redacts and writes in one
 * request, and API Gateway gives an integration at most 30 s.
 */
export const FUNCTION_LIMITS: Readonly<Partial<Record<FunctionName, FunctionLimits>>> = {
  imports: { memoryMb: 1024, timeoutSeconds: 29 },
};

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

type AnyObject = z.ZodObject<z.ZodRawShape>;

export interface RouteSpec {
  readonly method: HttpMethod;
  readonly path: string;
  readonly fn: FunctionName;
  readonly summary: string;
  /** `public`: no token needed. Otherwise the roles allowed; site-scoped roles must also match `{site}`. */
  readonly access: 'public' | readonly Role[];
  /**
   * A data submission: refused with 423 while the programme is paused for bidding. Reads, erasure
   * and programme administration are never submissions.
   */
  readonly submission?: boolean;
  readonly params?: AnyObject;
  readonly query?: AnyObject;
  readonly body?: z.ZodType;
  /** Largest accepted body in bytes; larger answers 413. */
  readonly maxBodyBytes?: number;
  readonly response: { readonly status: number; readonly schema: z.ZodType; readonly description: string };
}

const route = <const R extends RouteSpec>(spec: R): R => spec;

const ANY_ROLE = ROLES;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

const siteSchema = z
  .object({ id: siteIdSchema, name: z.string().max(80), cohortFocus: z.string().max(200) })
  .strict()
  .meta({ id: 'Site' });

const scaleQuestionnaireSchema = z
  .object({
    id: z.string().max(64),
    version: z.int(),
    title: z.string().max(200),
    purpose: z.string().max(500),
    scale: z.object({ min: z.int(), max: z.int(), labels: z.record(z.string(), z.string()) }).strict(),
    items: z.array(z.object({ id: z.string().max(40), text: z.string().max(300) }).strict()).max(50),
    comment: z.object({ prompt: z.string().max(300), maxLength: z.int() }).strict(),
  })
  .strict()
  .meta({ id: 'ScaleQuestionnaire' });

/** A questionnaire is either one scale with items (`wellbeing-pulse`) or the sectioned `capital-check`. */
const questionnaireSchema = z
  .union([scaleQuestionnaireSchema, capitalCheckInstrumentSchema])
  .meta({ id: 'Questionnaire' });

export const routes = {
  health: route({
    method: 'GET',
    path: '/health',
    fn: 'platform',
    summary: 'Liveness check',
    access: 'public',
    response: { status: 200, schema: z.object({ status: z.literal('ok') }).strict(), description: 'Up' },
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    fn: 'platform',
    summary: 'This API as an OpenAPI 3.1 document',
    access: 'public',
    response: { status: 200, schema: z.record(z.string(), z.unknown()), description: 'OpenAPI 3.1' },
  }),
  listSites: route({
    method: 'GET',
    path: '/sites',
    fn: 'platform',
    summary: 'The early-testing sites and their cohort focus',
    access: ANY_ROLE,
    response: {
      status: 200,
      schema: z.object({ sites: z.array(siteSchema).max(SITES.length) }).strict(),
      description: 'Sites',
    },
  }),
  getQuestionnaire: route({
    method: 'GET',
    path: '/questionnaires/{id}',
    fn: 'platform',
    summary: 'A versioned questionnaire definition',
    access: ANY_ROLE,
    params: z.object({ id: z.string().min(1).max(64) }).strict(),
    response: { status: 200, schema: questionnaireSchema, description: 'The definition' },
  }),
  getProgramme: route({
    method: 'GET',
    path: '/programme',
    fn: 'platform',
    summary: 'Programme state and disclosure policy',
    access: ANY_ROLE,
    response: { status: 200, schema: programmeSchema, description: 'Programme' },
  }),
  changeProgramme: route({
    method: 'PUT',
    path: '/programme',
    fn: 'admin',
    summary: 'Pause early testing (e.g. during bidding) or resume it; while paused, submissions answer 423',
    access: ['admin'],
    body: programmeChangeSchema,
    response: { status: 200, schema: programmeSchema, description: 'The programme as it now is' },
  }),
  readAudit: route({
    method: 'GET',
    path: '/audit',
    fn: 'admin',
    summary: 'The append-only audit log, newest first: who (as a pseudonym), what, when, subject',
    access: ['admin'],
    query: auditQuerySchema,
    response: { status: 200, schema: auditPageSchema, description: 'A page of events' },
  }),
  submitWellbeingPulse: route({
    method: 'POST',
    path: '/sites/{site}/wellbeing-pulses',
    fn: 'wellbeing',
    summary:
      "This week's wellbeing check-in for the calling staff member; a second one in a week replaces the first",
    access: ['provider'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: pulseBodySchema,
    response: { status: 201, schema: pulseReceiptSchema, description: 'Recorded (200 when it replaced one)' },
  }),
  wellbeingSummary: route({
    method: 'GET',
    path: '/wellbeing/summary',
    fn: 'wellbeing',
    summary: 'Programme- and site-level wellbeing under the anonymity threshold',
    access: ['evaluator'],
    query: summaryQuerySchema,
    response: { status: 200, schema: wellbeingSummarySchema, description: 'Aggregates' },
  }),
  // ── referrals: referral barriers (4.5) ──
  submitReferralBarrier: route({
    method: 'POST',
    path: '/sites/{site}/referral-barriers',
    fn: 'referrals',
    summary:
      'A short report (under a minute) of whether practitioners are referring and what holds them back or helps',
    access: ['practitioner', 'provider', 'evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: referralBarrierBodySchema,
    maxBodyBytes: 8 * 1024,
    response: { status: 201, schema: referralBarrierReceiptSchema, description: 'Recorded' },
  }),
  // ── findings: codebook, uploads and interview findings ──
  getCodebook: route({
    method: 'GET',
    path: '/codebook',
    fn: 'findings',
    summary: 'The question areas (4.3 to 4.8), the outcomes (a to j) and the themes added so far',
    access: ['evaluator'],
    response: { status: 200, schema: codebookSchema, description: 'The codebook' },
  }),
  addCodebookTheme: route({
    method: 'POST',
    path: '/codebook/themes',
    fn: 'findings',
    // Not a submission: analysis carries on while early testing is paused for bidding.
    summary: 'Add a theme under one question area; its name must be new to that area',
    access: ['evaluator'],
    body: themeBodySchema,
    response: { status: 201, schema: themeReceiptSchema, description: 'Added' },
  }),
  createUpload: route({
    method: 'POST',
    path: '/uploads',
    fn: 'findings',
    summary: 'A presigned PUT, valid for five minutes, for one interview attachment of a given type and size',
    access: ['evaluator'],
    submission: true,
    body: uploadBodySchema,
    response: { status: 201, schema: uploadTicketSchema, description: 'Where and how to upload the file' },
  }),
  submitInterview: route({
    method: 'POST',
    path: '/sites/{site}/interviews',
    fn: 'findings',
    summary:
      "An interview or focus group's coded findings and quotes, with consent; free text is redacted before it is stored",
    access: ['evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: interviewBodySchema,
    maxBodyBytes: INTERVIEW_MAX_BODY_BYTES,
    response: {
      status: 201,
      schema: interviewReceiptSchema,
      description: 'Recorded; says what redaction removed',
    },
  }),
  getInterview: route({
    method: 'GET',
    path: '/sites/{site}/interviews/{id}',
    fn: 'findings',
    summary: 'One stored interview finding, as redacted',
    access: ['evaluator'],
    params: interviewParamsSchema,
    response: { status: 200, schema: storedInterviewSchema, description: 'The finding' },
  }),
  // ── participants: capital checks, follow-ups and erasure ──
  submitCapitalAssessment: route({
    method: 'POST',
    path: '/sites/{site}/capital-assessments',
    fn: 'participants',
    summary:
      "A baseline, follow-up or exit capital check of a participant, known only by the provider's own reference; the distance travelled is derived",
    access: ['provider', 'evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: capitalCheckBodySchema,
    response: {
      status: 201,
      schema: capitalReceiptSchema,
      description: 'Recorded; the reference is never echoed',
    },
  }),
  listFollowUps: route({
    method: 'GET',
    path: '/sites/{site}/follow-ups',
    fn: 'participants',
    summary:
      'Participants whose 90-day follow-up is due or overdue, by deadline; provider staff of the site also get their own references back, evaluators the pseudonym only',
    access: ['provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    query: followUpsQuerySchema,
    response: { status: 200, schema: followUpListSchema, description: 'Due and overdue follow-ups' },
  }),
  eraseParticipant: route({
    method: 'DELETE',
    path: '/sites/{site}/participants/{ref}',
    fn: 'participants',
    summary:
      'Erasure on withdrawn consent: every check, the summary and response copies about the participant; works while paused, and answers 200 with zero counts when nothing was found',
    access: ['provider', 'evaluator'],
    params: erasureParamsSchema,
    response: { status: 200, schema: erasureReceiptSchema, description: 'What was erased' },
  }),
  // ── engagement: engagement returns and community resources ──
  submitEngagementReturn: route({
    method: 'PUT',
    path: '/sites/{site}/engagement/{month}',
    fn: 'engagement',
    summary: "A site's engagement figures for one month; sending a month again replaces its earlier return",
    access: ['provider'],
    submission: true,
    params: engagementParamsSchema,
    body: engagementFiguresSchema,
    maxBodyBytes: 4 * 1024,
    response: {
      status: 201,
      schema: engagementReceiptSchema,
      description: 'Recorded (200 when it replaced the earlier return for that month)',
    },
  }),
  addCommunityResource: route({
    method: 'POST',
    path: '/sites/{site}/community-resources',
    fn: 'engagement',
    summary: "A community resource linked to or generated, added to the site's resource map",
    access: ['provider', 'evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: communityResourceBodySchema,
    maxBodyBytes: 4 * 1024,
    response: { status: 201, schema: communityResourceReceiptSchema, description: 'Added' },
  }),
  listCommunityResources: route({
    method: 'GET',
    path: '/sites/{site}/community-resources',
    fn: 'engagement',
    summary: "The site's resource map: every resource, sorted by name, with totals",
    access: ['provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    response: { status: 200, schema: resourceMapSchema, description: 'The resource map' },
  }),
  // ── imports: bulk CSV import ──
  importCsv: route({
    method: 'POST',
    path: '/imports',
    fn: 'imports',
    summary:
      'Bulk CSV import of capital checks, engagement returns or interview findings for one site: all rows land or none, with every bad row and column listed',
    access: ['evaluator', 'provider'],
    submission: true,
    body: importBodySchema,
    maxBodyBytes: IMPORT_MAX_BODY_BYTES,
    response: { status: 201, schema: importReceiptSchema, description: 'Every row imported' },
  }),
  ...packRoutes,
} as const;

export type Routes = typeof routes;
export type OperationId = keyof Routes;
export type RouteOf<F extends FunctionName> = {
  [K in OperationId]: Routes[K]['fn'] extends F ? K : never;
}[OperationId];

/** Every route as a list, with its operation id. */
export const ROUTE_LIST = (Object.entries(routes) as [OperationId, RouteSpec][]).map(
  ([operationId, spec]) => ({
    operationId,
    ...spec,
  }),
);

/** The API Gateway route key, e.g. `POST /sites/{site}/wellbeing-pulses`. */
export const routeKey = (spec: Pick<RouteSpec, 'method' | 'path'>): string => `${spec.method} ${spec.path}`;
