import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import { ROLES, SITE_SCOPED_ROLES } from '../shared/domain/roles';
import { SITE_IDS, SITES } from '../shared/domain/sites';
import type { ApiEvent, ApiResult } from '../shared/http/api';
import { idTokenClaims } from '../functions/web/id-token';
import { AUTH_PATHS } from '../functions/web/pages';
import { pageRenderer, SERVICE_NAME } from '../functions/web/render';
import { newSession, sessionCookie, sessionKeys } from '../functions/web/session';
import { staticFiles, templateScriptHash } from '../functions/web/files';
import { html, redirect, securityHeaders, webRequest } from '../functions/web/web';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalIssuer } from './issuer';

type Handler = (event: ApiEvent, context: Context) => Promise<ApiResult>;

/** How long a demo session lasts: as long as a Cognito ID token. */
const SESSION_SECONDS = 30 * 60;

const TEMPLATES = fileURLToPath(new URL('./templates/', import.meta.url));

/**
 * The local stand-in for Cognito's hosted sign-in: `/sign-in` picks a demo user (role, site,
 * name), mints their ID token with the local issuer and starts the web function's session with it.
 * It wraps the web handler in the local stack only: the deployed web function has no such page.
 */
export async function withLocalSignIn(
  web: Handler,
  issuer: LocalIssuer,
  sessionKeyFile: string | undefined,
): Promise<Handler> {
  if (!sessionKeyFile) throw new Error('WEB_SESSION_KEY_FILE is not set');
  const keys = sessionKeys(Buffer.from((await readFile(sessionKeyFile, 'utf8')).trim(), 'base64'));
  const scriptHash = templateScriptHash();
  const assetVersion = staticFiles().version;
  const render = pageRenderer([TEMPLATES]);
  const page = (
    status: number,
    form: URLSearchParams,
    fieldErrors: Record<string, { text: string }> = {},
  ) => {
    const errorList = Object.entries(fieldErrors).map(([id, error]) => ({
      text: error.text,
      href: `#${id}`,
    }));
    return html(
      status,
      render('local-sign-in.njk', {
        serviceName: SERVICE_NAME,
        assetVersion,
        pageTitle: 'Sign in as a demo user',
        errorList,
        fieldErrors,
        user: form.get('user') ?? '',
        roles: ROLES.map((role) => ({ value: role, text: role, checked: form.get('role') === role })),
        sites: [
          { value: '', text: 'No site', checked: (form.get('site') ?? '') === '' },
          ...SITES.map((s) => ({ value: s.id, text: s.name, checked: form.get('site') === s.id })),
        ],
      }),
    );
  };
  const signIn = async (event: ApiEvent): Promise<ApiResult> => {
    const request = webRequest(event);
    if (request.method === 'GET') return page(200, new URLSearchParams());
    const { form } = request;
    const role = ROLES.find((r) => r === form.get('role'));
    const site = SITE_IDS.find((s) => s === form.get('site'));
    const user = (form.get('user') ?? '').trim();
    const errors: Record<string, { text: string }> = {};
    if (!role) errors.role = { text: 'Select a role' };
    if (role && SITE_SCOPED_ROLES.includes(role) && !site)
      errors.site = { text: `Select the ${role}'s site` };
    if (role && !SITE_SCOPED_ROLES.includes(role) && site)
      errors.site = { text: `Select No site: a ${role} has none` };
    if (!/^[a-z0-9-]{1,40}$/i.test(user)) {
      errors.user = { text: 'Enter a demo name of letters, numbers or hyphens, up to 40' };
    }
    if (Object.keys(errors).length > 0 || !role) return page(400, form, errors);
    const idToken = await issuer.sign({ role, site, user, expiresInSeconds: SESSION_SECONDS });
    const claims = idTokenClaims(idToken, { audience: LOCAL_AUDIENCE, issuer: LOCAL_ISSUER });
    if (!claims) throw new Error('The local issuer made a token the web function cannot read.');
    const session = newSession(idToken, { ...claims, name: user });
    return redirect('/', [sessionCookie(keys, session, new Date())]);
  };
  const headers = securityHeaders({ scriptHash, signIn: undefined });
  return async (event, context) => {
    if (event.rawPath !== AUTH_PATHS.signIn) return web(event, context);
    const result = await signIn(event);
    return { ...result, headers: { ...headers, ...result.headers } };
  };
}
