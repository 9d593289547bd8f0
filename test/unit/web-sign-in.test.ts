import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../shared/domain/errors';
import { idTokenClaims } from '../../functions/web/id-token';
import { readCookies, SIGN_IN_COOKIE, sessionKeys, unseal } from '../../functions/web/session';
import { hostedSignIn } from '../../functions/web/sign-in';
import type { WebRequest } from '../../functions/web/web';

const keys = sessionKeys(randomBytes(32));
const now = () => new Date(1_800_000_000_000);
const options = {
  domain: 'https://clw-learning-123.auth.eu-west-2.amazoncognito.com',
  clientId: 'web-client',
  issuer: 'https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_pool',
  publicUrl: 'https://d111.cloudfront.net',
};
const flow = hostedSignIn(options, keys, now, () => Promise.reject(new Error('no network in unit tests')));
const request = (query: string, cookies: string[]): WebRequest => ({
  method: 'GET',
  path: '/auth/callback',
  query: new URLSearchParams(query),
  form: new URLSearchParams(),
  cookies: readCookies(cookies, undefined),
});
const token = (payload: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;

describe("Cognito's hosted sign-in", () => {
  it('starts the code flow with an S256 challenge of the verifier kept in a short-lived encrypted cookie', async () => {
    const answer = await flow.start(request('', []));

    const location = new URL(String(answer.headers?.location));
    const [setCookie = ''] = answer.cookies ?? [];
    const pending = unseal(keys.encryption, SIGN_IN_COOKIE, /=([^;]*)/.exec(setCookie)?.[1] ?? '') as {
      state: string;
      verifier: string;
    };
    expect(answer.statusCode).toBe(303);
    expect(location.origin + location.pathname).toBe(`${options.domain}/oauth2/authorize`);
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'web-client',
      redirect_uri: 'https://d111.cloudfront.net/auth/callback',
      code_challenge_method: 'S256',
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      state: pending.state,
    });
    expect(setCookie).toMatch(
      /^__Host-clw-sign-in=[\w-]+; Max-Age=600; Path=\/; HttpOnly; Secure; SameSite=Lax$/,
    );
  });

  it('refuses a callback whose state is not the one it sent, before any call to Cognito', async () => {
    const started = await flow.start(request('', []));
    const cookie = (started.cookies?.[0] ?? '').split(';')[0] ?? '';

    await expect(flow.callback(request('code=abc&state=forged', [cookie]))).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(flow.callback(request('code=abc&state=x', []))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("signs out at Cognito's logout, which comes back to the signed-out page", () => {
    const location = new URL(flow.signOutLocation);
    expect(location.origin + location.pathname).toBe(`${options.domain}/logout`);
    expect(location.searchParams.get('logout_uri')).toBe('https://d111.cloudfront.net/signed-out');
    expect(flow.formOrigins).toEqual([options.domain]);
  });

  it("takes only this client's ID tokens from this pool", () => {
    const good = {
      aud: 'web-client',
      iss: options.issuer,
      token_use: 'id',
      exp: 2,
      'cognito:groups': ['provider'],
      'custom:site': 'london',
      given_name: 'Sam',
    };

    expect(idTokenClaims(token(good), { audience: 'web-client', issuer: options.issuer })).toEqual({
      expiresAt: 2,
      roles: ['provider'],
      site: 'london',
      name: 'Sam',
    });
    for (const bad of [
      { aud: 'other' },
      { iss: 'https://elsewhere' },
      { token_use: 'access' },
      { exp: undefined },
    ]) {
      expect(
        idTokenClaims(token({ ...good, ...bad }), { audience: 'web-client', issuer: options.issuer }),
      ).toBeUndefined();
    }
    expect(idTokenClaims('not-a-token', { audience: 'web-client', issuer: options.issuer })).toBeUndefined();
  });
});
