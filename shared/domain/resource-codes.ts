/**
 * The codes and labels of a community resource (question area 4.7, outcome g): the engagement
 * function validates and stores them, learning packs count by them and the web pages offer them.
 * The codes are stored: add new ones, never rename or remove one.
 */

/** The kinds of resource link workers connect people to, with labels. */
export const RESOURCE_TYPES = {
  'professional-service': 'Professional service',
  'mutual-aid-group': 'Peer-based mutual aid group',
  'community-asset': 'Community asset (college, club, faith group...)',
  'grassroots-organisation': 'Small grassroots organisation',
} as const;

/** Who a resource particularly suits (4.7: protected characteristics and circumstances), with labels. */
export const RESOURCE_SUITS = {
  age: 'A particular age group',
  faith: 'A faith or belief',
  ethnicity: 'An ethnic group',
  gender: 'A gender',
  disability: 'Disabled people',
  other: 'Something else',
} as const;

export const RESOURCE_STATUSES = {
  new: 'Generated during early testing',
  existing: 'Already existed; linked to',
} as const;

/** The most seed funding one resource can record; a bigger figure is a slip, not seed funding. */
export const MAX_SEED_FUNDING_POUNDS = 1_000_000;
export const ORGANISATION_NAME_MAX_LENGTH = 120;
export const RESOURCE_SUITS_DESCRIPTION_MAX_LENGTH = 200;
export const RESOURCE_LOCALITY_MAX_LENGTH = 80;
