import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import {
  capitalCheckBodySchema,
  capitalReceiptSchema,
  erasureParamsSchema,
  erasureReceiptSchema,
  followUpListSchema,
  followUpsQuerySchema,
} from './participants';

/** Capital checks (4.3, outcomes a-f), follow-ups and erasure on withdrawn consent. */
export const routes = {
  submitCapitalAssessment: route({
    method: 'POST',
    path: '/sites/{site}/capital-assessments',
    fn: 'participants',
    summary:
      "A baseline, follow-up or exit capital check of a participant, known only by the provider's own reference; the distance travelled is derived",
    access: ['provider', 'evaluator'],
    submission: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: capitalCheckBodySchema,
    response: {
      status: 201,
      schema: capitalReceiptSchema,
      description: 'Recorded; the reference is never echoed',
    },
  }),
  listFollowUps: route({
    method: 'GET',
    path: '/sites/{site}/follow-ups',
    fn: 'participants',
    summary:
      'Participants whose 90-day follow-up is due or overdue, by deadline; provider staff of the site also get their own references back, evaluators the pseudonym only',
    access: ['provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    query: followUpsQuerySchema,
    response: { status: 200, schema: followUpListSchema, description: 'Due and overdue follow-ups' },
  }),
  eraseParticipant: route({
    method: 'DELETE',
    path: '/sites/{site}/participants/{ref}',
    fn: 'participants',
    summary:
      'Erasure on withdrawn consent: every check, the summary and response copies about the participant; works while paused, and answers 200 with zero counts when nothing was found',
    access: ['provider', 'evaluator'],
    params: erasureParamsSchema,
    response: { status: 200, schema: erasureReceiptSchema, description: 'What was erased' },
  }),
} as const;
