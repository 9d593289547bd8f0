import type { PageHandlers } from '../web';

interface FollowUp {
  readonly participant: string;
  readonly reference?: string;
  readonly lastCheck: { readonly kind: string; readonly date: string };
  readonly dueFrom: string;
  readonly dueBy: string;
  readonly status: 'due' | 'overdue';
}

const STATUSES = ['due', 'overdue'] as const;

/**
 * The follow-up checks due and overdue at the site, by deadline, a page at a time (the API's signed
 * cursor is passed on as it is). Provider staff see their own references; evaluators pseudonyms.
 */
export const followUpsPage: PageHandlers = {
  get: async (context) => {
    const { query } = context.request;
    const status = STATUSES.find((s) => s === query.get('status'));
    const cursor = query.get('cursor') ?? undefined;
    const answer = await context.api('listFollowUps', {
      params: { site: context.site ?? '' },
      query: { status, cursor, limit: '50' },
    });
    if (answer.status !== 200) return { redirect: `/site/${context.site ?? ''}/follow-ups` };
    const participants = (answer.body.participants ?? []) as FollowUp[];
    const next = typeof answer.body.next === 'string' ? answer.body.next : undefined;
    const here = `/site/${context.site ?? ''}/follow-ups`;
    const withQuery = (params: Record<string, string | undefined>) => {
      const search = new URLSearchParams(
        Object.entries(params).filter((entry): entry is [string, string] => entry[1] !== undefined),
      ).toString();
      return search ? `${here}?${search}` : here;
    };
    return {
      template: 'follow-ups.njk',
      model: {
        asOf: answer.body.asOf,
        status,
        filters: [
          { text: 'Due and overdue', href: here, current: status === undefined },
          { text: 'Overdue', href: withQuery({ status: 'overdue' }), current: status === 'overdue' },
          { text: 'Due', href: withQuery({ status: 'due' }), current: status === 'due' },
        ],
        rows: participants.map((p) => [
          { text: p.reference ?? p.participant },
          { text: `${p.lastCheck.kind} on ${p.lastCheck.date}` },
          { text: p.dueBy },
          {
            html:
              p.status === 'overdue'
                ? '<strong class="govuk-tag govuk-tag--red">Overdue</strong>'
                : '<strong class="govuk-tag govuk-tag--yellow">Due</strong>',
          },
        ]),
        nextHref: next ? withQuery({ status, cursor: next }) : undefined,
        firstHref: cursor ? withQuery({ status }) : undefined,
        capitalCheckHref: `/site/${context.site ?? ''}/capital-check`,
      },
    };
  },
};
