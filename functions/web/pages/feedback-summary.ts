import { FEEDBACK_EASY_READ_V1 } from '../../../shared/domain/questionnaires';
import { SITES } from '../../../shared/domain/sites';
import type { PageHandlers } from '../web';

type Count = number | null;
interface ShownGroup {
  readonly scope: 'programme' | 'site';
  readonly site?: string;
  readonly status: 'shown';
  readonly answers: number;
  readonly byKind: Readonly<Record<'during-support' | 'at-exit', Count>>;
  readonly questions: readonly {
    readonly id: string;
    readonly choices: readonly { readonly id: string; readonly people: Count }[];
    readonly withWords?: Count;
  }[];
}
interface SuppressedGroup {
  readonly scope: 'programme' | 'site';
  readonly site?: string;
  readonly status: 'suppressed';
  readonly reason: string;
}

const QUESTION_TEXT = new Map<string, { text: string; choices: Map<string, string> }>(
  FEEDBACK_EASY_READ_V1.questions.map((q) => [
    q.id,
    { text: q.text, choices: new Map<string, string>(q.choices.map((c) => [c.id, c.text])) },
  ]),
);
const shown = (count: Count | undefined) =>
  count === null || count === undefined ? 'Hidden' : String(count);
const QUARTER = /^\d{4}-Q[1-4]$/;

/**
 * What people using the service said, for a calendar quarter that has ended: counts and coded
 * answers, with the API's disclosure rules already applied (small groups hidden, never the words).
 */
export const feedbackSummaryPage: PageHandlers = {
  get: async (context) => {
    const asked = context.request.query.get('period')?.trim().toUpperCase() ?? '';
    const answer = await context.api('feedbackSummary', {
      query: { period: asked === '' ? undefined : asked },
    });
    if (answer.status === 400) {
      const text = QUARTER.test(asked) ? 'Enter a quarter that has ended' : 'Enter a quarter like 2026-Q1';
      return {
        template: 'feedback-summary.njk',
        status: 400,
        model: {
          period: asked,
          errorList: [{ text, href: '#period' }],
          periodError: { text },
          groups: [],
        },
      };
    }
    if (answer.status !== 200) return { redirect: '/' };
    const groups = (answer.body.groups ?? []) as (ShownGroup | SuppressedGroup)[];
    return {
      template: 'feedback-summary.njk',
      model: {
        period: String(answer.body.period),
        from: answer.body.from,
        to: answer.body.to,
        groups: groups.map((group) => ({
          title:
            group.scope === 'programme'
              ? 'All sites'
              : (SITES.find((s) => s.id === group.site)?.name ?? String(group.site)),
          suppressed: group.status === 'suppressed' ? group.reason : undefined,
          counts:
            group.status === 'shown'
              ? [
                  { key: { text: 'Answers' }, value: { text: String(group.answers) } },
                  { key: { text: 'During support' }, value: { text: shown(group.byKind['during-support']) } },
                  { key: { text: 'At exit' }, value: { text: shown(group.byKind['at-exit']) } },
                ]
              : [],
          questions:
            group.status === 'shown'
              ? group.questions.map((question) => {
                  const text = QUESTION_TEXT.get(question.id);
                  return {
                    text: text?.text ?? question.id,
                    rows: [
                      ...question.choices.map((choice) => [
                        { text: text?.choices.get(choice.id) ?? choice.id },
                        { text: shown(choice.people), format: 'numeric' },
                      ]),
                      ...(question.withWords === undefined
                        ? []
                        : [
                            [
                              { text: 'Added their own words' },
                              { text: shown(question.withWords), format: 'numeric' },
                            ],
                          ]),
                    ],
                  };
                })
              : [],
        })),
      },
    };
  },
};
