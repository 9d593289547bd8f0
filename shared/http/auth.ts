import { UnauthenticatedError } from '../domain/errors';
import { type Principal, type Role, ROLES } from '../domain/roles';
import { SITE_IDS, type SiteId } from '../domain/sites';

export type Claims = Readonly<Record<string, unknown>>;

/**
 * Cognito groups as API Gateway HTTP APIs deliver them: a string like `[provider evaluator]`, or,
 * from other issuers, a JSON array. Unknown groups are ignored. Names are split on whitespace only:
 * a group name may contain a comma, and a group called `market,evaluator` must not grant evaluator.
 */
export function parseGroups(value: unknown): Role[] {
  const names = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.replace(/^\[|\]$/g, '').split(/\s+/)
      : [];
  return ROLES.filter((role) => names.includes(role));
}

/**
 * Builds the caller from verified JWT claims. The raw subject goes into the keyed pseudonymiser and
 * nowhere else.
 *
 * Only a Cognito ID token is accepted (`token_use: id`): it is the token that carries `custom:site`
 * and is issued for this app's client. An access token from the same pool has the same issuer and
 * signature but different claims, and API Gateway's JWT authorizer lets either through.
 */
export function principalFromClaims(
  claims: Claims | undefined,
  pseudonymise: (subject: string) => string,
): Principal {
  const subject = claims?.sub;
  if (claims === undefined || typeof subject !== 'string' || subject.length === 0) {
    throw new UnauthenticatedError('A valid bearer token is needed for this route.');
  }
  if (claims.token_use !== 'id') {
    throw new UnauthenticatedError('Send the ID token as the bearer token, not the access token.');
  }
  const site = claims['custom:site'];
  return {
    actor: pseudonymise(subject),
    roles: parseGroups(claims['cognito:groups']),
    site: SITE_IDS.includes(site as SiteId) ? (site as SiteId) : undefined,
  };
}

export { authorise } from '../domain/roles';
