import middy from '@middy/core';
import { type ApiContext, type ApiEvent, type ApiResult, dispatch, httpApi } from '../../shared/http/api';
import { listChangesNewestFirst, recordChange } from './changes';
import {
  answerFeedback,
  createFeedbackLink,
  listInvolvementInterest,
  openFeedbackForm,
  recordInterestOutcome,
  summariseFeedback,
} from './feedback';
import { routes } from './routes';
import { voiceWiring } from './wiring';

const deps = await voiceWiring();

/**
 * The link is in the path: no page it opens may pass it on as a referrer, and no search engine
 * may keep it.
 */
const LINK_HEADERS = { 'referrer-policy': 'no-referrer', 'x-robots-tag': 'noindex' } as const;

/**
 * The voice of people using the service (4.6). `getFeedbackForm` answers the form as JSON; a page
 * rendering of the same `openFeedbackForm` result can be chosen by `Accept` once pages exist.
 */
export const handler = middy<ApiEvent, ApiResult, Error, ApiContext>()
  .use(httpApi({ routes, ...deps.http }))
  .handler(
    dispatch<typeof routes>({
      createFeedbackLink: async ({ principal, params, body }) => ({
        body: await createFeedbackLink(deps, principal, params.site, body),
      }),
      feedbackSummary: async ({ query }) => ({ body: await summariseFeedback(deps, query) }),
      getFeedbackForm: async ({ params }) => ({
        body: await openFeedbackForm(deps, params.token),
        headers: LINK_HEADERS,
      }),
      answerFeedback: async ({ params, body }) => ({
        body: await answerFeedback(deps, params.token, body),
        headers: LINK_HEADERS,
      }),
      listInvolvementInterest: async ({ principal, params }) => ({
        body: await listInvolvementInterest(deps, principal, params.site),
      }),
      recordInterestOutcome: async ({ principal, params, body }) => ({
        body: await recordInterestOutcome(deps, principal, params.site, params.id, body),
      }),
      recordChange: async ({ principal, body }) => ({ body: await recordChange(deps, principal, body) }),
      listChanges: async () => ({ body: await listChangesNewestFirst(deps) }),
    }),
  );
