import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import {
  referralBarrierBodySchema,
  referralBarrierListQuerySchema,
  referralBarrierListSchema,
  referralBarrierReceiptSchema,
} from './referral-barriers';

/** Referral barriers (4.5). */
export const routes = {
  submitReferralBarrier: route({
    method: 'POST',
    path: '/sites/{site}/referral-barriers',
    fn: 'referrals',
    summary:
      'A short report (under a minute) of whether practitioners are referring and what holds them back or helps',
    access: ['practitioner', 'provider', 'evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: referralBarrierBodySchema,
    maxBodyBytes: 8 * 1024,
    response: { status: 201, schema: referralBarrierReceiptSchema, description: 'Recorded' },
  }),
  listReferralBarriers: route({
    method: 'GET',
    path: '/sites/{site}/referral-barriers',
    fn: 'referrals',
    summary:
      "Referral barrier reports, newest first: practitioners and provider staff see only those they filed themselves, evaluators the site's",
    access: ['practitioner', 'provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    query: referralBarrierListQuerySchema,
    response: { status: 200, schema: referralBarrierListSchema, description: 'A page of reports' },
  }),
} as const;
