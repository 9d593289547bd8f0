import * as z from 'zod';
import { siteIdSchema } from '../../shared/domain/sites';
import { route } from '../../shared/http/route-spec';
import { changeBodySchema, changeListSchema, changeReceiptSchema } from './changes';
import {
  feedbackAnswerBodySchema,
  feedbackFormSchema,
  feedbackLinkBodySchema,
  feedbackLinkSchema,
  feedbackReceiptSchema,
  feedbackSummaryQuerySchema,
  feedbackSummarySchema,
  feedbackTokenSchema,
  interestOutcomeBodySchema,
  interestParamsSchema,
  interestReceiptSchema,
  involvementInterestSchema,
} from './feedback';

const tokenParams = z.object({ token: feedbackTokenSchema }).strict();

/**
 * The voice of people using the service (4.6): one-time feedback links, their anonymous answers,
 * requests to talk to an evaluator, and "you said, we did". `feedbackSummary` comes before
 * `getFeedbackForm`: `/feedback/summary` is its own route, not a link.
 */
export const routes = {
  createFeedbackLink: route({
    method: 'POST',
    path: '/sites/{site}/feedback-links',
    fn: 'voice',
    summary: 'A one-time, expiring, anonymous feedback link for a person at your site',
    access: ['provider'],
    submission: true,
    // The answer is the link itself, which is never stored: no Idempotency-Key copy of it is kept.
    // A repeated request makes a second link; the unused one runs out.
    storesNothing: true,
    params: z.object({ site: siteIdSchema }).strict(),
    body: feedbackLinkBodySchema,
    response: { status: 201, schema: feedbackLinkSchema, description: 'The link, shown this once' },
  }),
  feedbackSummary: route({
    method: 'GET',
    path: '/feedback/summary',
    fn: 'voice',
    summary: 'Counts and coded answers for a calendar quarter that has ended, under the disclosure rules',
    access: ['evaluator'],
    query: feedbackSummaryQuerySchema,
    response: { status: 200, schema: feedbackSummarySchema, description: 'Aggregates' },
  }),
  getFeedbackForm: route({
    method: 'GET',
    path: '/feedback/{token}',
    fn: 'voice',
    summary: 'The easy-read questionnaire a feedback link opens; 410 once used or run out',
    access: 'public',
    params: tokenParams,
    response: { status: 200, schema: feedbackFormSchema, description: 'The questionnaire' },
  }),
  answerFeedback: route({
    method: 'POST',
    path: '/feedback/{token}',
    fn: 'voice',
    summary: 'One anonymous answer; the link is spent (410 for a second answer)',
    access: 'public',
    submission: true,
    params: tokenParams,
    body: feedbackAnswerBodySchema,
    response: { status: 201, schema: feedbackReceiptSchema, description: 'Recorded' },
  }),
  listInvolvementInterest: route({
    method: 'GET',
    path: '/sites/{site}/involvement-interest',
    fn: 'voice',
    summary:
      "People who asked to talk to an evaluator: the site's providers see their own references, evaluators counts and the queue",
    access: ['provider', 'evaluator'],
    params: z.object({ site: siteIdSchema }).strict(),
    response: { status: 200, schema: involvementInterestSchema, description: 'Requests to talk' },
  }),
  recordInterestOutcome: route({
    method: 'PUT',
    path: '/sites/{site}/involvement-interest/{id}',
    fn: 'voice',
    summary: 'Whether a person who asked to talk was reached, and after how many attempts',
    access: ['evaluator'],
    params: interestParamsSchema,
    body: interestOutcomeBodySchema,
    response: { status: 200, schema: interestReceiptSchema, description: 'Recorded' },
  }),
  recordChange: route({
    method: 'POST',
    path: '/changes',
    fn: 'voice',
    summary: '"You said, we did": what was heard, what changed, when and at which sites',
    access: ['evaluator'],
    submission: true,
    body: changeBodySchema,
    response: { status: 201, schema: changeReceiptSchema, description: 'Recorded' },
  }),
  listChanges: route({
    method: 'GET',
    path: '/changes',
    fn: 'voice',
    summary: 'The changes made because of what people using the service said, newest first',
    access: ['evaluator', 'provider', 'practitioner', 'admin'],
    response: { status: 200, schema: changeListSchema, description: 'Changes' },
  }),
} as const;
