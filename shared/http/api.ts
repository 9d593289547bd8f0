import { createHash } from 'node:crypto';
import type middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type * as z from 'zod';
import {
  NotFoundError,
  PayloadTooLargeError,
  ProgrammePausedError,
  RetryLaterError,
  UnsupportedMediaTypeError,
  ValidationError,
  type FieldProblem,
  issuesAsProblems,
  MISSING_IS_REQUIRED,
} from '../domain/errors';
import { assertAcceptingSubmissions, type ProgrammeStore } from '../domain/programme';
import type { Principal } from '../domain/roles';
import { authorise, type Claims, principalFromClaims } from './auth';
import type { IdempotencyStore, StoredResponse } from './idempotency';
import { beginRequestLog, logRequest } from './log';
import { countMetric, METRIC_NAMES, publishMetrics } from './metrics';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';
import {
  DEFAULT_MAX_BODY_BYTES,
  type ListedRoute,
  listRoutes,
  type RouteSpec,
  type RouteTable,
  routeKey,
} from './route-spec';

/** The API Gateway HTTP API (payload 2.0) event, with the JWT authorizer's claims where a route has one. */
export type ApiEvent = APIGatewayProxyEventV2 & {
  readonly requestContext: APIGatewayProxyEventV2['requestContext'] & {
    readonly authorizer?: { readonly jwt?: { readonly claims?: Claims } };
  };
};
export type ApiResult = APIGatewayProxyStructuredResultV2;

type Infer<T> = T extends z.ZodType ? z.output<T> : Record<string, never>;

/** What a route's implementation receives: everything already authenticated, authorised and validated. */
export interface ApiRequest<R extends RouteSpec> {
  readonly principal: R['access'] extends 'public' ? Principal | undefined : Principal;
  readonly params: Infer<R['params']>;
  readonly query: Infer<R['query']>;
  readonly body: Infer<R['body']>;
  /**
   * Where this request's `Idempotency-Key` copy of the response will be kept, if the caller sent one.
   * A store that holds a person's data links it to this, so erasure can remove the copy too.
   */
  readonly idempotencyRecord?: string;
  /** When the function must have answered by; long work checks it before each step. */
  readonly deadline: Deadline;
}

/**
 * The time an invocation has left, and the signal middy aborts when that time is nearly gone (its
 * `timeoutEarlyInMillis` before Lambda's own timeout). Work that cannot finish in time refuses up
 * front, or stops starting new writes and undoes what landed before it answers.
 */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Milliseconds until the function must have answered. */
  remainingMs(): number;
}

/** What an implementation answers: the route's success status unless it says otherwise. */
export interface Reply {
  readonly status?: number;
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * A file rather than JSON (a pack preview): answered as it is, base64-encoded as API Gateway
   * expects binary bodies, and never kept as an `Idempotency-Key` copy (only GET routes send files).
   */
  readonly file?: { readonly contentType: string; readonly bytes: Uint8Array; readonly fileName?: string };
}

/** One implementation per route of a function's route table. */
export type Implementations<R extends RouteTable> = {
  readonly [K in keyof R]: (request: ApiRequest<R[K]>) => Promise<Reply>;
};

export interface HttpApiOptions {
  /** The function's own routes (`functions/<fn>/routes.ts`); any other route answers 404. */
  readonly routes: RouteTable;
  /**
   * Every route of the API by method and path, so a wrong method can be told which ones exist. Only
   * the function behind API Gateway's `$default` route needs it; by default, the function's own.
   */
  readonly knownRoutes?: readonly Pick<RouteSpec, 'method' | 'path'>[];
  readonly pseudonymise: (subject: string) => string;
  readonly idempotency: IdempotencyStore;
  /** Consulted only for `submission` routes, which answer 423 while the programme is paused. */
  readonly programme: ProgrammeStore;
}

interface Caller {
  readonly operationId: string;
  readonly spec: RouteSpec;
  readonly principal: Principal | undefined;
  readonly started: number;
}

interface Parsed {
  readonly operationId: string;
  readonly spec: RouteSpec;
  readonly principal: Principal | undefined;
  readonly request: Omit<ApiRequest<RouteSpec>, 'deadline'>;
  readonly idempotencyKey?: string;
  readonly started: number;
}

/** `idempotencyClaim`: set once this request holds its `Idempotency-Key`; only then may it complete or release it. */
export type ApiContext = Context & { api?: Parsed; idempotencyClaim?: string };

const JSON_TYPE = 'application/json';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

/**
 * The one middleware every function uses: route lookup, authentication, role and site checks, body
 * limits, strict validation, `Idempotency-Key`, and problem+json for every error.
 */
export function httpApi(
  options: HttpApiOptions,
): middy.MiddlewareObj<ApiEvent, ApiResult, Error, ApiContext> {
  const own = listRoutes(options.routes);
  const known = options.knownRoutes ?? own;
  return {
    before: async (request) => {
      beginRequestLog(request.context);
      const caller = identify(request.event, own, known, options.pseudonymise);
      // Before the body is validated: while paused there is no point in fixing a submission.
      if (caller.spec.submission) assertAcceptingSubmissions(await options.programme.getProgramme());
      const parsed = parseRequest(request.event, caller);
      request.context.api = parsed;
      if (parsed.idempotencyKey && parsed.principal) {
        const outcome = await options.idempotency.begin(
          idempotencyRecordKey(parsed),
          fingerprint(request.event),
        );
        if (outcome.kind === 'new') request.context.idempotencyClaim = outcome.claim;
        else {
          countMetric(METRIC_NAMES.idempotentReplay);
          logRequest('info', 'replayed', {
            operationId: parsed.operationId,
            status: outcome.response.status,
            replayed: true,
          });
          publishMetrics();
          return toResult(outcome.response, { 'idempotent-replayed': 'true' });
        }
      }
      return undefined;
    },
    after: async (request) => {
      const parsed = request.context.api;
      const reply = request.response as unknown as Reply;
      if (!parsed) return;
      if (reply.file) {
        request.response = fileResult(reply.status ?? parsed.spec.response.status, reply.file);
        logRequest('info', 'handled', {
          operationId: parsed.operationId,
          status: request.response.statusCode ?? 200,
          durationMs: Date.now() - parsed.started,
          requestId: request.context.awsRequestId,
        });
        return;
      }
      const stored: StoredResponse = {
        status: reply.status ?? parsed.spec.response.status,
        body: JSON.stringify(reply.body),
        ...(reply.headers ? { headers: reply.headers } : {}),
      };
      const claim = request.context.idempotencyClaim;
      if (claim) await options.idempotency.complete(idempotencyRecordKey(parsed), claim, stored);
      request.response = toResult(stored);
      logRequest('info', 'handled', {
        operationId: parsed.operationId,
        status: stored.status,
        durationMs: Date.now() - parsed.started,
        requestId: request.context.awsRequestId,
      });
      publishMetrics();
    },
    onError: async (request) => {
      const parsed = request.context.api;
      const problem = toProblem(request.error, request.event.rawPath);
      const claim = request.context.idempotencyClaim;
      if (parsed && claim) {
        // A failed attempt is not remembered: the caller may fix the request and retry with the same key.
        // A request refused before it held the key (409 while another runs, 422) releases nothing.
        await options.idempotency.release(idempotencyRecordKey(parsed), claim).catch(() => undefined);
      }
      logRequest(problem.status >= 500 ? 'error' : 'info', problem.status >= 500 ? 'failed' : 'refused', {
        ...(parsed ? { operationId: parsed.operationId } : {}),
        status: problem.status,
        errorName: request.error?.name ?? 'Error',
        requestId: request.context.awsRequestId,
      });
      if (request.error instanceof ProgrammePausedError) countMetric(METRIC_NAMES.refusedWhilePaused);
      publishMetrics();
      const retryAfter: Record<string, string> =
        request.error instanceof RetryLaterError
          ? { 'retry-after': String(request.error.retryAfterSeconds) }
          : {};
      request.response = {
        statusCode: problem.status,
        headers: { 'content-type': PROBLEM_CONTENT_TYPE, 'cache-control': 'no-store', ...retryAfter },
        body: JSON.stringify(problem),
      };
    },
  };
}

/** The handler of a function: hands each route's validated request to its implementation. */
export function dispatch<R extends RouteTable>(implementations: Implementations<R>) {
  return async (
    _event: ApiEvent,
    context: ApiContext,
    { signal }: { signal: AbortSignal } = { signal: new AbortController().signal },
  ): Promise<ApiResult> => {
    const parsed = context.api;
    if (!parsed) throw new NotFoundError('No such route.');
    const implementation = (implementations as Record<string, (r: ApiRequest<RouteSpec>) => Promise<Reply>>)[
      parsed.operationId
    ];
    if (!implementation) throw new NotFoundError('No such route.');
    // Outside Lambda (some tests) the context has no clock: then only the signal limits the work.
    const remainingMs = (): number =>
      (context as Partial<Context>).getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
    return (await implementation({
      ...parsed.request,
      deadline: { signal, remainingMs },
    })) as unknown as ApiResult;
  };
}

/**
 * The first checks, in this order: the route exists, the caller is signed in, and has the role and
 * (for site-scoped roles) the site. Authorisation comes before validation so an unauthorised caller
 * learns nothing about the request format.
 */
function identify(
  event: ApiEvent,
  own: readonly ListedRoute[],
  known: readonly Pick<RouteSpec, 'method' | 'path'>[],
  pseudonymise: (subject: string) => string,
): Caller {
  const started = Date.now();
  const found = own.find((r) => routeKey(r) === event.routeKey);
  if (!found) throw routeNotFound(event, known);
  const { operationId, ...spec } = found;
  let principal: Principal | undefined;
  if (spec.access !== 'public') {
    principal = principalFromClaims(event.requestContext.authorizer?.jwt?.claims, pseudonymise);
    authorise(principal, spec.access, event.pathParameters?.site);
  }
  return { operationId, spec, principal, started };
}

/** Then every parameter, query field, body field and header must be valid. */
function parseRequest(event: ApiEvent, { operationId, spec, principal, started }: Caller): Parsed {
  const problems: FieldProblem[] = [];
  const params = validate(spec.params, event.pathParameters ?? {}, '/path', problems);
  const query = validate(spec.query, event.queryStringParameters ?? {}, '/query', problems);
  const body = spec.body ? validate(spec.body, readJsonBody(event, spec), '/body', problems) : {};
  // A route that stores nothing ignores the header: it keeps no copy of its answer.
  const idempotencyKey =
    event.requestContext.http.method === 'POST' && !spec.storesNothing
      ? readIdempotencyKey(event, problems)
      : undefined;
  if (problems.length > 0) throw new ValidationError(problems);
  const idempotencyRecord =
    idempotencyKey && principal ? `${principal.actor}#${operationId}#${idempotencyKey}` : undefined;
  return {
    operationId,
    spec,
    principal,
    request: {
      principal,
      params,
      query,
      body,
      ...(idempotencyRecord ? { idempotencyRecord } : {}),
    } as Omit<ApiRequest<RouteSpec>, 'deadline'>,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    started,
  };
}

/** Keys are scoped per caller and per route, so two people's keys can never collide. */
function idempotencyRecordKey(parsed: Parsed): string {
  return parsed.request.idempotencyRecord ?? '';
}

function toResult(stored: StoredResponse, extra: Readonly<Record<string, string>> = {}): ApiResult {
  return {
    statusCode: stored.status,
    headers: { 'content-type': JSON_TYPE, 'cache-control': 'no-store', ...stored.headers, ...extra },
    body: stored.body,
  };
}

function fileResult(status: number, file: NonNullable<Reply['file']>): ApiResult {
  return {
    statusCode: status,
    headers: {
      'content-type': file.contentType,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      ...(file.fileName ? { 'content-disposition': `inline; filename="${file.fileName}"` } : {}),
    },
    body: Buffer.from(file.bytes).toString('base64'),
    isBase64Encoded: true,
  };
}

function routeNotFound(event: ApiEvent, known: readonly Pick<RouteSpec, 'method' | 'path'>[]): NotFoundError {
  const path = event.rawPath;
  const methods = known.filter((r) => pathPattern(r.path).test(path)).map((r) => r.method);
  return new NotFoundError(
    methods.length > 0
      ? `${event.requestContext.http.method} is not supported here; use ${[...new Set(methods)].join(', ')}.`
      : `There is no route ${path}.`,
  );
}

/** `/sites/{site}/x` as a regular expression matching one path segment per parameter. */
export function pathPattern(path: string): RegExp {
  return new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`);
}

function validate(
  schema: z.ZodType | undefined,
  input: unknown,
  prefix: string,
  problems: FieldProblem[],
): unknown {
  if (!schema) {
    if (input && typeof input === 'object' && Object.keys(input).length > 0 && prefix === '/query') {
      problems.push({ pointer: prefix, detail: 'this route takes no query parameters' });
    }
    return {};
  }
  const result = schema.safeParse(input, MISSING_IS_REQUIRED);
  if (result.success) return result.data;
  problems.push(...issuesAsProblems(result.error.issues, prefix));
  return undefined;
}

function header(event: ApiEvent, name: string): string | undefined {
  return event.headers[name] ?? Object.entries(event.headers).find(([k]) => k.toLowerCase() === name)?.[1];
}

function readJsonBody(event: ApiEvent, spec: RouteSpec): unknown {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  const limit = spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (bytes.byteLength > limit) throw new PayloadTooLargeError(`The body can be at most ${limit} bytes.`);
  const type = header(event, 'content-type')?.split(';')[0]?.trim().toLowerCase();
  if (bytes.byteLength === 0)
    throw new ValidationError([{ pointer: '/body', detail: 'a JSON body is required' }]);
  if (type !== JSON_TYPE) throw new UnsupportedMediaTypeError(`Send the body as ${JSON_TYPE}.`);
  try {
    return JSON.parse(bytes.toString('utf8')) as unknown;
  } catch {
    throw new ValidationError([{ pointer: '/body', detail: 'is not valid JSON' }]);
  }
}

function readIdempotencyKey(event: ApiEvent, problems: FieldProblem[]): string | undefined {
  const key = header(event, 'idempotency-key');
  if (key === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(key)) {
    problems.push({
      pointer: '/headers/idempotency-key',
      detail: 'must be 1 to 128 visible ASCII characters',
    });
    return undefined;
  }
  return key;
}

function fingerprint(event: ApiEvent): string {
  return createHash('sha256')
    .update(`${event.routeKey}\n${event.rawPath}\n${event.body ?? ''}`)
    .digest('base64url');
}
