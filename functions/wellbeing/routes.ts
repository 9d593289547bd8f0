import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import {
  pulseBodySchema,
  pulseReceiptSchema,
  pulseThisWeekSchema,
  summaryQuerySchema,
  wellbeingSummarySchema,
} from './wellbeing';

/** Staff wellbeing check-ins (4.4, outcome j) and their disclosure-controlled summary. */
export const routes = {
  submitWellbeingPulse: route({
    method: 'POST',
    path: '/sites/{site}/wellbeing-pulses',
    fn: 'wellbeing',
    summary:
      "This week's wellbeing check-in for the calling staff member; a second one in a week replaces the first",
    access: ['provider'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: pulseBodySchema,
    response: { status: 201, schema: pulseReceiptSchema, description: 'Recorded (200 when it replaced one)' },
  }),
  getWellbeingPulseThisWeek: route({
    method: 'GET',
    path: '/sites/{site}/wellbeing-pulses/this-week',
    fn: 'wellbeing',
    summary:
      "Whether the calling staff member has made this ISO week's check-in, and when; never the answers, nothing about anyone else",
    access: ['provider'],
    params: z.object({ site: siteIdSchema }).strict(),
    response: { status: 200, schema: pulseThisWeekSchema, description: 'Your check-in this week, if any' },
  }),
  wellbeingSummary: route({
    method: 'GET',
    path: '/wellbeing/summary',
    fn: 'wellbeing',
    summary: 'Programme- and site-level wellbeing under the anonymity threshold',
    access: ['evaluator'],
    query: summaryQuerySchema,
    response: { status: 200, schema: wellbeingSummarySchema, description: 'Aggregates' },
  }),
} as const;
