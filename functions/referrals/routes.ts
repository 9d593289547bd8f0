import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import { referralBarrierBodySchema, referralBarrierReceiptSchema } from './referral-barriers';

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
} as const;
