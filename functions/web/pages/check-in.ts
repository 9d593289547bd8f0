import type { Questionnaire } from '../../../shared/domain/questionnaires';
import { fieldProblems } from '../api-client';
import { formErrors, numberField, textField } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';

const QUESTIONNAIRE = 'wellbeing-pulse';

/**
 * The weekly wellbeing check-in: the questions as the API defines them, one page, one tap per
 * question. A second check-in in the same week replaces the first, and the page says so up front.
 */
export const checkInPage: PageHandlers = {
  get: async (context) => {
    const questionnaire = await loadQuestionnaire(context);
    const saved = context.request.query.get('saved');
    return view(questionnaire, new URLSearchParams(), {
      saved: saved === 'new' || saved === 'replaced' ? saved : undefined,
      week: context.request.query.get('week') ?? undefined,
    });
  },
  post: async (context) => {
    const questionnaire = await loadQuestionnaire(context);
    const { form } = context.request;
    const comment = textField(form.get('comment'));
    const body = {
      questionnaireVersion: questionnaire.version,
      answers: Object.fromEntries(
        questionnaire.items.flatMap((item) => {
          const value = numberField(form.get(`answers-${item.id}`));
          return value === undefined ? [] : [[item.id, value]];
        }),
      ),
      ...(comment ? { comment } : {}),
    };
    const answer = await context.api('submitWellbeingPulse', {
      params: { site: context.site ?? '' },
      body,
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 200 || answer.status === 201) {
      const week = typeof answer.body.week === 'string' ? answer.body.week : '';
      const saved = answer.body.replaced === true ? 'replaced' : 'new';
      return {
        redirect: `/site/${context.site ?? ''}/check-in?saved=${saved}&week=${encodeURIComponent(week)}`,
      };
    }
    const fields = new Set([...questionnaire.items.map((item) => `answers-${item.id}`), 'comment']);
    const firstField = `answers-${questionnaire.items[0]?.id ?? ''}`;
    const errors = formErrors(fieldProblems(answer), fields, firstField, (fieldId, detail) => {
      const item = questionnaire.items.find((i) => `answers-${i.id}` === fieldId);
      if (item) return `Select how much you agree: ${item.text.replace(/\.$/, '')}`;
      if (fieldId === 'comment') return `Your comment ${detail}`;
      return typeof answer.body.detail === 'string' ? answer.body.detail : detail;
    });
    return view(questionnaire, form, errors, 400);
  },
};

async function loadQuestionnaire(context: PageContext): Promise<Questionnaire> {
  const answer = await context.api('getQuestionnaire', { params: { id: QUESTIONNAIRE } });
  return answer.body as unknown as Questionnaire;
}

function view(
  questionnaire: Questionnaire,
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const labels = Object.entries(questionnaire.scale.labels).sort(([a], [b]) => Number(a) - Number(b));
  const questions = questionnaire.items.map((item) => {
    const name = `answers-${item.id}`;
    const chosen = form.get(name);
    return {
      name,
      legend: item.text,
      items: labels.map(([value, text]) => ({ value, text, checked: chosen === value })),
      errorMessage: extra.fieldErrors?.[name],
    };
  });
  return {
    template: 'check-in.njk',
    status,
    model: {
      ...extra,
      questionnaire,
      questions,
      comment: form.get('comment') ?? '',
      commentError: extra.fieldErrors?.comment,
    },
  };
}
