import { createHash, randomBytes } from 'node:crypto';
import { ForbiddenError } from '../../shared/domain/errors';
import type { ApiResult } from '../../shared/http/api';
import { idTokenClaims } from './id-token';
import { AUTH_PATHS } from './pages';
import {
  clearedCookie,
  cookie,
  newSession,
  seal,
  sessionCookie,
  SIGN_IN_COOKIE,
  type SessionKeys,
  unseal,
} from './session';
import { redirect, type SignInFlow, type WebRequest } from './web';

export interface HostedSignIn {
  /** The user pool domain, e.g. `https://clw-learning.auth.eu-west-2.amazoncognito.com`. */
  readonly domain: string;
  /** The web app client's id (the ID token's audience). */
  readonly clientId: string;
  /** The user pool's issuer, `https://cognito-idp.<region>.amazonaws.com/<pool id>`. */
  readonly issuer: string;
  /** This service's own address (`https://...`), for the callback and sign-out addresses. */
  readonly publicUrl: string;
}

/** How long a sign-in may take between leaving for the sign-in page and coming back. */
const SIGN_IN_SECONDS = 600;

interface PendingSignIn {
  readonly state: string;
  readonly verifier: string;
  readonly expiresAt: number;
}

/**
 * Cognito's hosted sign-in with the authorization code flow and PKCE (S256): the state and code
 * verifier wait in a short-lived encrypted cookie, and the callback exchanges the code for tokens
 * at the token endpoint. Only the ID token is kept, in the session cookie; the refresh token is
 * not, so a session ends with its ID token.
 */
export function hostedSignIn(
  options: HostedSignIn,
  keys: SessionKeys,
  now: () => Date,
  fetchImpl: typeof fetch = fetch,
): SignInFlow {
  const callbackUrl = new URL(AUTH_PATHS.callback, options.publicUrl).href;
  const signedOutUrl = new URL(AUTH_PATHS.signedOut, options.publicUrl).href;
  return {
    start: (): Promise<ApiResult> => {
      const pending: PendingSignIn = {
        state: randomBytes(16).toString('base64url'),
        verifier: randomBytes(32).toString('base64url'),
        expiresAt: Math.floor(now().getTime() / 1000) + SIGN_IN_SECONDS,
      };
      const authorize = new URL('/oauth2/authorize', options.domain);
      authorize.search = new URLSearchParams({
        response_type: 'code',
        client_id: options.clientId,
        redirect_uri: callbackUrl,
        scope: 'openid email profile',
        state: pending.state,
        code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return Promise.resolve(
        redirect(authorize.href, [
          cookie(SIGN_IN_COOKIE, seal(keys.encryption, SIGN_IN_COOKIE, pending), SIGN_IN_SECONDS),
        ]),
      );
    },
    callback: async (request: WebRequest): Promise<ApiResult> => {
      const pending = unseal(keys.encryption, SIGN_IN_COOKIE, request.cookies.get(SIGN_IN_COOKIE) ?? '') as
        PendingSignIn | undefined;
      const code = request.query.get('code');
      const fresh = pending !== undefined && pending.expiresAt > now().getTime() / 1000;
      if (!fresh || !code || request.query.get('state') !== pending.state) {
        throw new ForbiddenError('This sign-in did not start here, or took too long. Sign in again.');
      }
      const response = await fetchImpl(new URL('/oauth2/token', options.domain), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          client_id: options.clientId,
          code,
          redirect_uri: callbackUrl,
          code_verifier: pending.verifier,
        }).toString(),
        signal: AbortSignal.timeout(5000),
      });
      const tokens = (await response.json().catch(() => ({}))) as { id_token?: unknown };
      const idToken = typeof tokens.id_token === 'string' ? tokens.id_token : undefined;
      const claims =
        response.ok && idToken
          ? idTokenClaims(idToken, { audience: options.clientId, issuer: options.issuer })
          : undefined;
      if (!idToken || !claims)
        throw new ForbiddenError('Sign-in did not give a usable identity. Sign in again.');
      const session = newSession(idToken, claims);
      return redirect('/', [sessionCookie(keys, session, now()), clearedCookie(SIGN_IN_COOKIE)]);
    },
    signOutLocation: `${new URL('/logout', options.domain).href}?${new URLSearchParams({
      client_id: options.clientId,
      logout_uri: signedOutUrl,
    }).toString()}`,
    formOrigins: [new URL(options.domain).origin],
  };
}
