import type { Role } from '../../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../../shared/domain/sites';
import { parseGroups } from '../../shared/http/auth';
import type { IdTokenClaims } from './session';

/**
 * The claims of an ID token the web function got straight from the token endpoint over TLS (or,
 * locally, from the local issuer): as OpenID Connect Core 3.1.3.7 allows, TLS stands in for the
 * signature check there, and the API verifies the signature on every call anyway. The audience,
 * issuer and `token_use` are still checked, so an access token or another client's token is refused.
 */
export function idTokenClaims(
  idToken: string,
  expected: { readonly audience: string; readonly issuer: string },
): IdTokenClaims | undefined {
  const payload = decodePayload(idToken);
  if (!payload) return undefined;
  const audience = Array.isArray(payload.aud) ? (payload.aud as unknown[]) : [payload.aud];
  if (!audience.includes(expected.audience) || payload.iss !== expected.issuer) return undefined;
  if (payload.token_use !== 'id' || typeof payload.exp !== 'number') return undefined;
  const site = payload['custom:site'];
  const roles: Role[] = parseGroups(payload['cognito:groups']);
  const name = [payload.given_name, payload.email].find(
    (v): v is string => typeof v === 'string' && v !== '',
  );
  return {
    expiresAt: payload.exp,
    roles,
    site: SITE_IDS.includes(site as SiteId) ? (site as SiteId) : undefined,
    name: name ?? 'your account',
  };
}

/** The payload of a JWT, without checking anything: only for a token whose source is already trusted. */
export function decodePayload(token: string): Record<string, unknown> | undefined {
  const part = token.split('.')[1];
  if (part === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
