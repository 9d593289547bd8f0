import type { PageHandlers } from '../web';

interface WaitingRequest {
  readonly id: string;
  readonly askedIn: string;
  readonly reference: string;
}
interface QueueEntry {
  readonly id: string;
  readonly askedIn: string;
  readonly status: 'waiting' | 'reached' | 'not-reached';
  readonly attempts?: number;
}

const STATUS_TAG: Readonly<Record<QueueEntry['status'], string>> = {
  waiting: '<strong class="govuk-tag govuk-tag--yellow">Waiting</strong>',
  reached: '<strong class="govuk-tag govuk-tag--green">Reached</strong>',
  'not-reached': '<strong class="govuk-tag govuk-tag--grey">Not reached</strong>',
};

/**
 * The people at a site who said, at the end of their feedback, that they would talk to a
 * researcher. The API decides what each role sees: the site's provider staff their own references
 * of those still waiting (opened from the seal for their site), evaluators counts and the queue.
 */
export const involvementInterestPage: PageHandlers = {
  get: async (context) => {
    const answer = await context.api('listInvolvementInterest', { params: { site: context.site ?? '' } });
    if (answer.status !== 200) return { redirect: '/' };
    const body = answer.body;
    const count = (name: string) => (typeof body[name] === 'number' ? body[name] : 0);
    const provider = body.view === 'provider';
    const waiting = (provider ? body.waitingRequests : []) as WaitingRequest[];
    const queue = (provider ? [] : body.queue) as QueueEntry[];
    return {
      template: 'involvement-interest.njk',
      model: {
        provider,
        counts: [
          { key: { text: 'Waiting to be asked' }, value: { text: String(count('waiting')) } },
          { key: { text: 'Reached' }, value: { text: String(count('reached')) } },
          { key: { text: 'Not reached' }, value: { text: String(count('notReached')) } },
          { key: { text: 'Attempts made (with an outcome)' }, value: { text: String(count('attempts')) } },
        ],
        waitingRows: waiting.map((request) => [{ text: request.reference }, { text: request.askedIn }]),
        queueRows: queue.map((entry) => [
          { text: entry.askedIn },
          { html: STATUS_TAG[entry.status] },
          { text: entry.attempts === undefined ? '' : String(entry.attempts) },
        ]),
      },
    };
  },
};
