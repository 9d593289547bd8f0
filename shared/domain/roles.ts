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
