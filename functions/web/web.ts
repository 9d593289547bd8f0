import { randomUUID } from 'node:crypto';
import {
  ForbiddenError,
  NotFoundError,
  ProgrammePausedError,
  UnauthenticatedError,
} from '../../shared/domain/errors';
import type { Principal } from '../../shared/domain/roles';
import { SITE_IDS, SITES, type SiteId } from '../../shared/domain/sites';
import type { ApiEvent, ApiResult } from '../../shared/http/api';
import { type ApiAnswer, type ApiCall, ApiUnavailableError, type CallApi } from './api-client';
import { CSRF_FIELD, csrfToken, csrfTokenMatches } from './csrf';
import type { StaticFile } from './files';
import { ASSETS_PREFIX, AUTH_PATHS, type ApiOperation, findPage, mayOpen, type PageId } from './pages';
import { type RenderPage, SERVICE_NAME } from './render';
import {
  clearedCookie,
  readCookies,
  readSession,
  SESSION_COOKIE,
  type Session,
  type SessionKeys,
} from './session';

/** A request as a page sees it: the form is the decoded `application/x-www-form-urlencoded` body. */
export interface WebRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly form: URLSearchParams;
  readonly cookies: ReadonlyMap<string, string>;
}

/** What a page does: render a template (with its model), or send the browser elsewhere (303). */
export type PageResult =
  | { readonly template: string; readonly model: Record<string, unknown>; readonly status?: number }
  | { readonly redirect: string };

/** What a page's code is given: the signed-in user, its site, the request, and the API as that user. */
export interface PageContext {
  readonly session: Session;
  readonly principal: Principal;
  readonly site: SiteId | undefined;
  readonly request: WebRequest;
  readonly api: (operation: ApiOperation, call?: ApiCall) => Promise<ApiAnswer>;
  readonly now: Date;
  /** The pages this function serves, for pages that link to others. */
  readonly served: ReadonlySet<PageId>;
}

export interface PageHandlers {
  readonly get: (context: PageContext) => Promise<PageResult>;
  readonly post?: (context: PageContext) => Promise<PageResult>;
}

/** How users sign in: Cognito's hosted sign-in in AWS; locally the local stack answers `/sign-in` itself. */
export interface SignInFlow {
  /** `GET /sign-in`: where to send the browser, and the short-lived cookie holding state and verifier. */
  readonly start: (request: WebRequest) => Promise<ApiResult>;
  /** `GET /auth/callback`: the code exchanged for tokens, and the session cookie set. */
  readonly callback: (request: WebRequest) => Promise<ApiResult>;
  /** Where the browser goes once the session cookie is cleared (Cognito's logout, then `/signed-out`). */
  readonly signOutLocation: string;
  /** Origins a form may end up at through a redirect (Cognito's domain), for `form-action`. */
  readonly formOrigins: readonly string[];
}

export interface WebDeps {
  readonly keys: SessionKeys;
  readonly callApi: CallApi;
  readonly render: RenderPage;
  readonly files: ReadonlyMap<string, StaticFile>;
  readonly assetVersion: string;
  /** The CSP source of govuk-frontend's inline `js-enabled` script. */
  readonly scriptHash: string;
  readonly pages: Readonly<Partial<Record<PageId, PageHandlers>>>;
  readonly signIn: SignInFlow | undefined;
  readonly now: () => Date;
}

/** Answers one request for a page, a form, a static file or signing in and out. */
export async function handleWebRequest(deps: WebDeps, event: ApiEvent): Promise<ApiResult> {
  const request = webRequest(event);
  const headers = securityHeaders(deps);
  const result = await route(deps, request).catch((error: unknown) => errorPage(deps, request, error));
  return { ...result, headers: { ...headers, ...result.headers } };
}

async function route(deps: WebDeps, request: WebRequest): Promise<ApiResult> {
  const { method, path } = request;
  if (method === 'GET' && path.startsWith(ASSETS_PREFIX)) return staticFile(deps, path);
  if (path === AUTH_PATHS.signIn && method === 'GET' && deps.signIn) return deps.signIn.start(request);
  if (path === AUTH_PATHS.callback && method === 'GET' && deps.signIn) return deps.signIn.callback(request);
  if (path === AUTH_PATHS.signedOut && method === 'GET') {
    return message(deps, 200, 'signed-out', 'You have been signed out', undefined, [
      clearedCookie(SESSION_COOKIE),
    ]);
  }
  const found = findPage(path);
  const isSignOut = path === AUTH_PATHS.signOut && (method === 'GET' || method === 'POST');
  if (!found && !isSignOut) throw new NotFoundError(`There is no page ${path}.`);

  const state = readSession(deps.keys, request.cookies.get(SESSION_COOKIE), deps.now());
  if (state.kind === 'expired') return redirect(AUTH_PATHS.signedOut, [clearedCookie(SESSION_COOKIE)]);
  if (state.kind === 'none') {
    return method === 'GET' && !isSignOut ? redirect(AUTH_PATHS.signIn) : redirect(AUTH_PATHS.signedOut);
  }
  const { session } = state;
  const csrf = csrfToken(deps.keys.csrf, session.sid);
  if (
    method === 'POST' &&
    !csrfTokenMatches(deps.keys.csrf, session.sid, request.form.get(CSRF_FIELD) ?? undefined)
  ) {
    throw new ForbiddenError('This form has expired or did not come from this service.');
  }
  const layout = layoutModel(deps, session, csrf);
  if (isSignOut) {
    if (method === 'GET') {
      return html(200, deps.render('sign-out.njk', { ...layout, pageTitle: 'Sign out' }));
    }
    return redirect(deps.signIn?.signOutLocation ?? AUTH_PATHS.signedOut, [clearedCookie(SESSION_COOKIE)]);
  }
  if (!found) throw new NotFoundError(`There is no page ${path}.`);

  const principal: Principal = { actor: '', roles: session.roles, site: session.site };
  const site = found.site === undefined ? undefined : SITE_IDS.find((id) => id === found.site);
  if (found.site !== undefined && site === undefined)
    throw new NotFoundError(`There is no site ${found.site}.`);
  if (!mayOpen(principal, found.page, site)) {
    throw new ForbiddenError('Your account cannot use this page.');
  }
  const handlers = deps.pages[found.id];
  const act = method === 'POST' ? handlers?.post : method === 'GET' ? handlers?.get : undefined;
  if (!act) throw new NotFoundError(`There is no page ${path}.`);
  const context: PageContext = {
    session,
    principal,
    site,
    request,
    now: deps.now(),
    served: new Set(Object.keys(deps.pages) as PageId[]),
    api: async (operation, call) => refusals(await deps.callApi(session.idToken, operation, call)),
  };
  const result = await act(context);
  if ('redirect' in result) return redirect(result.redirect);
  return html(
    result.status ?? 200,
    deps.render(result.template, {
      ...layout,
      pageTitle: found.page.title,
      site: site ? SITES.find((s) => s.id === site) : undefined,
      idempotencyKey: randomUUID(),
      ...result.model,
    }),
  );
}

/**
 * The API's answers a page never handles itself: the session no longer accepted (401), a refusal
 * (403), nothing there (404), the programme paused (423) or the API failing. Every other answer
 * (success, 400 with field problems, 409) is the page's to show.
 */
function refusals(answer: ApiAnswer): ApiAnswer {
  const detail = typeof answer.body.detail === 'string' ? answer.body.detail : '';
  if (answer.status === 401) throw new UnauthenticatedError(detail);
  if (answer.status === 403) throw new ForbiddenError(detail);
  if (answer.status === 404) throw new NotFoundError(detail);
  if (answer.status === 423) throw new ProgrammePausedError(detail);
  if (answer.status >= 500) throw new ApiUnavailableError(`The API answered ${answer.status}.`);
  return answer;
}

function errorPage(deps: WebDeps, request: WebRequest, error: unknown): ApiResult {
  if (error instanceof UnauthenticatedError) {
    return redirect(AUTH_PATHS.signedOut, [clearedCookie(SESSION_COOKIE)]);
  }
  const state = readSession(deps.keys, request.cookies.get(SESSION_COOKIE), deps.now());
  const session = state.kind === 'active' ? state.session : undefined;
  if (error instanceof ForbiddenError) {
    return message(deps, 403, 'forbidden', 'You do not have access to this page', session);
  }
  if (error instanceof NotFoundError) return message(deps, 404, 'not-found', 'Page not found', session);
  if (error instanceof ProgrammePausedError) {
    return message(deps, 423, 'paused', 'The programme is paused', session, [], { detail: error.message });
  }
  return message(deps, 503, 'unavailable', 'Sorry, there is a problem with the service', session);
}

function message(
  deps: WebDeps,
  status: number,
  template: string,
  pageTitle: string,
  session: Session | undefined,
  cookies: string[] = [],
  model: Record<string, unknown> = {},
): ApiResult {
  const layout = session
    ? layoutModel(deps, session, csrfToken(deps.keys.csrf, session.sid))
    : baseModel(deps);
  return html(status, deps.render(`${template}.njk`, { ...layout, pageTitle, ...model }), cookies);
}

function baseModel(deps: WebDeps): Record<string, unknown> {
  return { serviceName: SERVICE_NAME, assetVersion: deps.assetVersion, signedIn: false };
}

function layoutModel(deps: WebDeps, session: Session, csrf: string): Record<string, unknown> {
  return {
    ...baseModel(deps),
    signedIn: true,
    userName: session.name,
    csrfToken: csrf,
    csrfField: CSRF_FIELD,
  };
}

function staticFile(deps: WebDeps, path: string): ApiResult {
  const file = deps.files.get(path);
  if (!file) throw new NotFoundError(`There is no file ${path}.`);
  return {
    statusCode: 200,
    headers: { 'content-type': file.contentType, 'cache-control': 'public, max-age=31536000, immutable' },
    body: file.bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

export function html(status: number, body: string, cookies: string[] = []): ApiResult {
  return {
    statusCode: status,
    headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' },
    body,
    ...(cookies.length > 0 ? { cookies } : {}),
  };
}

/** 303 See Other: after a form, the browser fetches the next page with GET. */
export function redirect(location: string, cookies: string[] = []): ApiResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    body: '',
    ...(cookies.length > 0 ? { cookies } : {}),
  };
}

/**
 * Sent with every answer. Scripts only from this origin (and govuk-frontend's one inline snippet,
 * by hash); no framing; forms only to this origin (and the sign-in domain a sign-out redirects to);
 * no referrer, so no page address leaks to another site; nothing a page shows is kept by a shared
 * cache (pages say `no-store`; static files are public and immutable).
 */
export function securityHeaders(deps: Pick<WebDeps, 'scriptHash' | 'signIn'>): Record<string, string> {
  const formAction = ["'self'", ...(deps.signIn?.formOrigins ?? [])].join(' ');
  return {
    'content-security-policy': [
      "default-src 'self'",
      `script-src 'self' ${deps.scriptHash}`,
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      `form-action ${formAction}`,
    ].join('; '),
    'strict-transport-security': 'max-age=31536000; includeSubDomains',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'x-frame-options': 'DENY',
    'cache-control': 'no-store',
  };
}

/** The request from API Gateway's payload-2.0 event (cookies in `cookies`, a form body maybe base64). */
export function webRequest(event: ApiEvent): WebRequest {
  const headers = Object.fromEntries(
    Object.entries(event.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  const isForm = (headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: new URLSearchParams(event.rawQueryString),
    form: new URLSearchParams(isForm ? body : ''),
    cookies: readCookies(event.cookies, headers.cookie),
  };
}
