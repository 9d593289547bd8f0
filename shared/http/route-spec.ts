/**
 * What a route is: method, path, function, access, schemas and limits. Each function declares its
 * own routes in `functions/<fn>/routes.ts`; `shared/routes.ts` only gathers them for the CDK, the
 * local server, the OpenAPI document and the tests.
 */
import type * as z from 'zod';
import { type Role, ROLES } from '../domain/roles';

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
  'web',
  'voice',
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
 * handlers the same time budget. A large import parses, validates, redacts and writes in one
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
  /**
   * The route keeps nothing of a request: an `Idempotency-Key` header is ignored (no copy of the
   * answer is stored; a repeat simply computes the same answer again).
   */
  readonly storesNothing?: boolean;
  readonly response: { readonly status: number; readonly schema: z.ZodType; readonly description: string };
}

/** A function's routes by operation id. */
export type RouteTable = Readonly<Record<string, RouteSpec>>;

/** A route with its operation id, as the middleware and the aggregator list them. */
export type ListedRoute = RouteSpec & { readonly operationId: string };

export const route = <const R extends RouteSpec>(spec: R): R => spec;

export const ANY_ROLE = ROLES;
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024;

/** A route table as a list, each route with its operation id. */
export const listRoutes = <T extends RouteTable>(
  table: T,
): (RouteSpec & { operationId: keyof T & string })[] =>
  Object.entries(table).map(([operationId, spec]) => ({ operationId, ...spec }));

/** The API Gateway route key, e.g. `POST /sites/{site}/wellbeing-pulses`. */
export const routeKey = (spec: Pick<RouteSpec, 'method' | 'path'>): string => `${spec.method} ${spec.path}`;
