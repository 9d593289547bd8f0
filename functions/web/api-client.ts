import { API_ROUTES, type ApiOperation } from './pages';

/** A field problem as the API reports it: a JSON pointer into the request and what is wrong. */
export interface ApiFieldProblem {
  readonly pointer: string;
  readonly detail: string;
}

/** What the API answered: its status and JSON body (a problem+json document when it refused). */
export interface ApiAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** The `Location` of a redirect (pack downloads), when there is one. */
  readonly location?: string;
  /** A body that is not JSON (a pack preview's HTML or zip), as sent, with its type. */
  readonly file?: { readonly bytes: Buffer; readonly contentType: string };
}

export interface ApiCall {
  readonly params?: Readonly<Record<string, string>>;
  readonly query?: Readonly<Record<string, string | undefined>>;
  readonly body?: unknown;
  readonly idempotencyKey?: string;
}

/** The API's own answer to a call it could not be reached for, or did not answer in time. */
export class ApiUnavailableError extends Error {
  override readonly name = 'ApiUnavailableError';
}

/**
 * Calls the API over HTTP as the signed-in user (or as nobody, with an empty token, for the
 * public routes a feedback link uses), with their ID token as the bearer token, so the
 * API decides and enforces everything it always does (role, site, validation, the pause).
 * Method and path come from the route table by operation id: no API path is written twice.
 */
export function apiClient(baseUrl: string, fetchImpl: typeof fetch = fetch, timeoutMs = 8000) {
  return async (idToken: string, operation: ApiOperation, call: ApiCall = {}): Promise<ApiAnswer> => {
    const route = API_ROUTES[operation];
    const path = route.path.replace(/\{([^}]+)\}/g, (_, name: string) => {
      const value = call.params?.[name];
      if (value === undefined) throw new Error(`${operation} needs the path parameter ${name}`);
      return encodeURIComponent(value);
    });
    const url = new URL(path, baseUrl);
    for (const [name, value] of Object.entries(call.query ?? {})) {
      if (value !== undefined && value !== '') url.searchParams.set(name, value);
    }
    // An empty token is a call for someone with no account (a feedback link): no bearer is sent.
    const headers: Record<string, string> = {
      ...(idToken === '' ? {} : { authorization: `Bearer ${idToken}` }),
      accept: 'application/json',
    };
    if (call.body !== undefined) headers['content-type'] = 'application/json';
    if (call.idempotencyKey) headers['idempotency-key'] = call.idempotencyKey;
    let response: Response;
    try {
      response = await fetchImpl(url, {
        method: route.method,
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
        ...(call.body !== undefined ? { body: JSON.stringify(call.body) } : {}),
      });
    } catch (error) {
      throw new ApiUnavailableError(`The API did not answer ${operation}.`, { cause: error });
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    const contentType = response.headers.get('content-type') ?? '';
    const isJson = contentType.includes('json');
    let body: Record<string, unknown> = {};
    if (bytes.byteLength > 0 && isJson) {
      try {
        body = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
      } catch {
        body = {};
      }
    }
    const location = response.headers.get('location');
    return {
      status: response.status,
      body,
      ...(location ? { location } : {}),
      ...(isJson || bytes.byteLength === 0 ? {} : { file: { bytes, contentType } }),
    };
  };
}

export type CallApi = ReturnType<typeof apiClient>;

/** The field problems of a 400 answer, as the API lists them in `errors`. */
export function fieldProblems(answer: ApiAnswer): ApiFieldProblem[] {
  const errors = answer.body.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((e: unknown) => {
    if (typeof e !== 'object' || e === null) return [];
    const { pointer, detail } = e as Record<string, unknown>;
    return typeof pointer === 'string' && typeof detail === 'string' ? [{ pointer, detail }] : [];
  });
}
