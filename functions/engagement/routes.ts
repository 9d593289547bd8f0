import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import {
  communityResourceBodySchema,
  communityResourceReceiptSchema,
  resourceMapQuerySchema,
  resourceMapSchema,
} from './community-resources';
import {
  engagementFiguresSchema,
  engagementParamsSchema,
  engagementReceiptSchema,
  engagementReturnListSchema,
} from './engagement';

/** Monthly engagement returns (4.6) and the community resource map (4.7, outcome g). */
export const routes = {
  submitEngagementReturn: route({
    method: 'PUT',
    path: '/sites/{site}/engagement/{month}',
    fn: 'engagement',
    summary: "A site's engagement figures for one month; sending a month again replaces its earlier return",
    access: ['provider'],
    submission: true,
    params: engagementParamsSchema,
    body: engagementFiguresSchema,
    maxBodyBytes: 4 * 1024,
    response: {
      status: 201,
      schema: engagementReceiptSchema,
      description: 'Recorded (200 when it replaced the earlier return for that month)',
    },
  }),
  listEngagementReturns: route({
    method: 'GET',
    path: '/sites/{site}/engagement',
    fn: 'engagement',
    summary:
      "The site's monthly engagement returns, newest month first, each with the rates its receipt showed",
    access: ['provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    response: { status: 200, schema: engagementReturnListSchema, description: 'The returns' },
  }),
  addCommunityResource: route({
    method: 'POST',
    path: '/sites/{site}/community-resources',
    fn: 'engagement',
    summary: "A community resource linked to or generated, added to the site's resource map",
    access: ['provider', 'evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: communityResourceBodySchema,
    maxBodyBytes: 4 * 1024,
    response: { status: 201, schema: communityResourceReceiptSchema, description: 'Added' },
  }),
  listCommunityResources: route({
    method: 'GET',
    path: '/sites/{site}/community-resources',
    fn: 'engagement',
    summary: "The site's resource map: every resource, sorted by name, with totals",
    access: ['provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    query: resourceMapQuerySchema,
    response: { status: 200, schema: resourceMapSchema, description: 'The resource map' },
  }),
} as const;
