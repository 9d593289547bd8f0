/**
 * THE route table. The CDK API stack, the local HTTP adapter and `GET /openapi.json` are all
 * derived from it: a route exists in all three or in none.
 */
import * as z from 'zod';
import { programmeSchema } from './domain/programme';
import { type Role, ROLES } from './domain/roles';
import { SITES, siteIdSchema } from './domain/sites';
import {
  pulseBodySchema,
  pulseReceiptSchema,
  summaryQuerySchema,
  wellbeingSummarySchema,
} from './domain/wellbeing';

/** One Lambda function per resource group; the name is also the folder under `functions/`. */
export const FUNCTION_NAMES = [
  'platform',
  'wellbeing',
  'referrals',
  'findings',
  'participants',
  'engagement',
  'imports',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

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

const questionnaireSchema = z
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
  // ── findings: codebook, uploads and interview findings ──
  // ── participants: capital checks, follow-ups and erasure ──
  // ── engagement: engagement returns and community resources ──
  // ── imports: bulk CSV import ──
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
