import { ForbiddenError } from './errors';
import type { SiteId } from './sites';

export const ROLES = ['evaluator', 'provider', 'practitioner', 'market', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Roles whose users belong to one site: their token's `custom:site` scopes every site route. */
export const SITE_SCOPED_ROLES: readonly Role[] = ['provider', 'practitioner'];

/**
 * Who is calling, as the product is allowed to know them. `actor` is a keyed pseudonym of the
 * identity provider's subject: the raw subject never leaves the auth middleware.
 */
export interface Principal {
  readonly actor: string;
  readonly roles: readonly Role[];
  readonly site: SiteId | undefined;
}

/**
 * Role and object-level check: the caller needs one of `allowed`, and a site-scoped role only counts
 * for its own site (`site` undefined: the route has no site). The one check behind every route's
 * `access` and a bulk import's stream and site; `refusal` words the two answers for the caller.
 *
 * @example authorise(principal, ['provider', 'evaluator'], 'london') // throws ForbiddenError for a North East provider
 */
export function authorise(
  principal: Principal,
  allowed: readonly Role[],
  site: string | undefined,
  refusal: { readonly role: string; readonly site: string } = {
    role: `This route is for: ${allowed.join(', ')}.`,
    site: 'Your account can only act for its own site.',
  },
): void {
  const granted = principal.roles.filter((role) => allowed.includes(role));
  if (granted.length === 0) throw new ForbiddenError(refusal.role);
  const inScope = granted.some(
    (role) => !SITE_SCOPED_ROLES.includes(role) || site === undefined || site === principal.site,
  );
  if (!inScope) throw new ForbiddenError(refusal.site);
}
