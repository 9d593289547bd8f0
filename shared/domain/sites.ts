import * as z from 'zod';

/** The three early-testing sites and the cohort each one focuses on. */
export const SITES = [
  {
    id: 'yorkshire-humber',
    name: 'Yorkshire and the Humber',
    cohortFocus: 'People sentenced in the community',
  },
  { id: 'north-east', name: 'North East', cohortFocus: 'People being released from prison' },
  { id: 'london', name: 'London', cohortFocus: 'Young adults aged 18 to 25' },
] as const;

export type SiteId = (typeof SITES)[number]['id'];

export const SITE_IDS = SITES.map((s) => s.id) as [SiteId, ...SiteId[]];

export const siteIdSchema = z.enum(SITE_IDS);
