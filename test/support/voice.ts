import type { SiteId } from '../../shared/domain/sites';
import type { client } from './client';

type Http = ReturnType<typeof client>;

/** A complete easy-read answer; `talk` says whether the person would talk to an evaluator. */
export function feedbackAnswer(talk: 'yes' | 'no' = 'no', words?: string) {
  return {
    questionnaireVersion: 1 as const,
    answers: {
      understandsOffer: 'yes',
      helps: 'a-lot',
      keepsComing: { choices: ['same-worker', 'near-me'], ...(words ? { words } : {}) },
      getsInTheWay: { choices: ['times'] },
      wouldRecommend: 'yes',
      talkToEvaluator: talk,
    },
  };
}

/** A new feedback link made by a provider of `site`; returns its token. */
export async function createFeedbackLink(
  http: Http,
  site: SiteId,
  options: { kind?: 'during-support' | 'at-exit'; participantRef?: string } = {},
): Promise<string> {
  const answer = await http.request('POST', `/sites/${site}/feedback-links`, {
    as: { role: 'provider', site, user: `link-maker-${site}` },
    body: {
      kind: options.kind ?? 'during-support',
      ...(options.participantRef ? { participantRef: options.participantRef } : {}),
    },
  });
  if (answer.status !== 201) throw new Error(`Could not create a feedback link: ${answer.status}`);
  return String(answer.body.token);
}

/** A request to talk to an evaluator at `site` (made through a link and its answer); returns its id. */
export async function createInterest(http: Http, site: SiteId, participantRef: string): Promise<string> {
  const token = await createFeedbackLink(http, site, { participantRef });
  const answered = await http.request('POST', `/feedback/${token}`, { body: feedbackAnswer('yes') });
  if (answered.status !== 201) throw new Error(`Could not answer a feedback link: ${answered.status}`);
  const listed = await http.request('GET', `/sites/${site}/involvement-interest`, {
    as: { role: 'evaluator', user: 'interest-reader' },
  });
  const queue = listed.body.queue as { id: string; status: string }[];
  const waiting = queue.filter((entry) => entry.status === 'waiting');
  const last = waiting[waiting.length - 1];
  if (!last) throw new Error('No request to talk was recorded.');
  return last.id;
}

/** A "you said, we did" change. */
export function changeBody(sites: SiteId[] = ['london']) {
  return {
    heard: 'People said the Monday drop-in clashed with probation appointments.',
    changed: 'The drop-in moved to Wednesday afternoons.',
    when: '2026-03-04',
    sites,
  };
}
