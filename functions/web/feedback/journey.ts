import type { ApiResult } from '../../../shared/http/api';
import type { ApiAnswer, CallApi } from '../api-client';
import type { RenderPage } from '../render';
import { readCookieDraft, draftCookie, clearedDraftCookie, type FeedbackDraft } from './draft';
import type { SessionKeys } from '../session';
import type { WebRequest } from '../web';

/**
 * The questionnaire a person opens from a one-time feedback link: no account and no session. It
 * lives at `/give-feedback/{token}` (the API's JSON for the same link is `/feedback/{token}`), one
 * question per page, then "check your answers", then one POST to the API, which spends the link.
 *
 * The answers so far are kept between pages in a short-lived cookie, encrypted and bound to this
 * link, and sent only to this link's pages (its Path): a back link is a plain GET that still shows
 * what was picked, and nothing is kept on a server until the person sends their answers.
 *
 * There is no CSRF token: there is no session to ride, and a form can only be posted by someone who
 * already holds the link, which is itself the secret.
 */
export const FEEDBACK_PREFIX = '/give-feedback/';

const TOKEN = /^[A-Za-z0-9_-]{32}$/;
const QUESTION_STEP = /^question-(\d+)$/;

interface EasyReadQuestion {
  readonly id: string;
  readonly text: string;
  readonly help: string;
  readonly pick: 'one' | 'many';
  readonly choices: readonly { readonly id: string; readonly text: string }[];
  readonly words?: { readonly prompt: string; readonly maxLength: number };
}

interface EasyReadForm {
  readonly kind: 'during-support' | 'at-exit';
  readonly expiresAt: string;
  readonly questionnaire: {
    readonly version: number;
    readonly title: string;
    readonly purpose: string;
    readonly privacy: string;
    readonly byPhone: string;
    readonly questions: readonly EasyReadQuestion[];
    readonly thanks: string;
  };
}

export interface FeedbackJourneyDeps {
  readonly keys: SessionKeys;
  readonly callApi: CallApi;
  readonly render: RenderPage;
  readonly baseModel: Record<string, unknown>;
  readonly now: () => Date;
}

type Html = (status: number, body: string, cookies?: string[]) => ApiResult;
type Redirect = (location: string, cookies?: string[]) => ApiResult;

/** Whether a path is one of the questionnaire's pages (and so needs no session). */
export function isFeedbackPath(path: string): boolean {
  return path.startsWith(FEEDBACK_PREFIX);
}

/** Answers one request for the questionnaire's pages. */
export async function handleFeedbackRequest(
  deps: FeedbackJourneyDeps,
  request: WebRequest,
  html: Html,
  redirect: Redirect,
): Promise<ApiResult> {
  const [token = '', step = '', ...rest] = request.path.slice(FEEDBACK_PREFIX.length).split('/');
  const page = (status: number, template: string, pageTitle: string, model: Record<string, unknown> = {}) =>
    html(status, deps.render(template, { ...deps.baseModel, pageTitle, ...model }));

  if (token === 'sent' && step === '' && request.method === 'GET') {
    return page(200, 'feedback-sent.njk', 'Your answers have been sent', {
      talk: request.query.get('talk') === 'yes',
    });
  }
  const gone = () =>
    html(
      410,
      deps.render('feedback-gone.njk', {
        ...deps.baseModel,
        pageTitle: 'This link has already been used or has expired',
      }),
      [clearedDraftCookie(token)],
    );
  if (!TOKEN.test(token) || rest.length > 0) return gone();

  const opened = await deps.callApi('', 'getFeedbackForm', { params: { token } });
  if (opened.status === 410 || opened.status === 400 || opened.status === 404) return gone();
  if (opened.status !== 200) return unavailable(page, opened);
  const form = opened.body as unknown as EasyReadForm;
  const { questions } = form.questionnaire;
  const base = `${FEEDBACK_PREFIX}${token}`;
  const draft = readCookieDraft(deps.keys, token, request.cookies);
  const stepHref = (index: number) =>
    index < questions.length ? `${base}/question-${index + 1}` : `${base}/check`;

  if (step === '' && request.method === 'GET') {
    return page(200, 'feedback-start.njk', form.questionnaire.title, {
      questionnaire: form.questionnaire,
      atExit: form.kind === 'at-exit',
      count: questions.length,
      startHref: stepHref(0),
      expires: longDate(form.expiresAt),
    });
  }

  const questionAt = QUESTION_STEP.exec(step);
  if (questionAt) {
    const index = Number(questionAt[1]) - 1;
    const question = questions[index];
    if (!question) return gone();
    const changing = request.query.get('change') === 'yes' || request.form.get('change') === 'yes';
    const backHref = changing ? `${base}/check` : index === 0 ? base : stepHref(index - 1);
    const model = (chosen: readonly string[], words: string, error?: string) => ({
      question,
      number: index + 1,
      count: questions.length,
      backHref,
      changing,
      name: question.id,
      items: question.choices.map((choice) => ({
        value: choice.id,
        text: choice.text,
        checked: chosen.includes(choice.id),
      })),
      words,
      wordsError: error ? { text: error } : undefined,
      errorList: error ? [{ text: error, href: `#${question.id}-words` }] : [],
    });
    if (request.method === 'GET') {
      const saved = draft[question.id];
      return page(
        200,
        'feedback-question.njk',
        question.text,
        model(saved?.choices ?? [], saved?.words ?? ''),
      );
    }
    if (request.method !== 'POST') return gone();
    const known = new Set(question.choices.map((choice) => choice.id));
    const picked = request.form.getAll(question.id).filter((id) => known.has(id));
    const chosen = question.pick === 'one' ? picked.slice(0, 1) : [...new Set(picked)];
    const words = question.words ? (request.form.get(`${question.id}-words`) ?? '').trim() : '';
    if (question.words && words.length > question.words.maxLength) {
      const error = `Your words must be ${question.words.maxLength} characters or fewer`;
      return page(400, 'feedback-question.njk', question.text, model(chosen, words, error));
    }
    const next: FeedbackDraft = { ...draft, [question.id]: { choices: chosen, ...(words ? { words } : {}) } };
    return redirect(changing ? `${base}/check` : stepHref(index + 1), [
      draftCookie(deps.keys, token, next, deps.now(), form.expiresAt),
    ]);
  }

  if (step === 'check') {
    const rows = questions.map((question, index) => {
      const saved = draft[question.id];
      const texts = question.choices
        .filter((choice) => saved?.choices.includes(choice.id))
        .map((choice) => choice.text);
      return {
        question: question.text,
        answers: texts.length > 0 ? texts : ['You did not answer'],
        words: saved?.words,
        href: `${base}/question-${index + 1}?change=yes`,
      };
    });
    if (request.method === 'GET') {
      return page(200, 'feedback-check.njk', 'Check your answers', {
        rows,
        backHref: stepHref(questions.length - 1),
      });
    }
    if (request.method !== 'POST') return gone();
    const sent = await deps.callApi('', 'answerFeedback', {
      params: { token },
      body: answerBody(form.questionnaire.version, questions, draft),
    });
    if (sent.status === 410) return gone();
    if (sent.status !== 201) return unavailable(page, sent);
    const talk = sent.body.interestPassedOn === true;
    return redirect(`${FEEDBACK_PREFIX}sent${talk ? '?talk=yes' : ''}`, [clearedDraftCookie(token)]);
  }
  return gone();
}

/** The answer as the API takes it: a question left unanswered is left out. */
export function answerBody(
  version: number,
  questions: readonly EasyReadQuestion[],
  draft: FeedbackDraft,
): { questionnaireVersion: number; answers: Record<string, unknown> } {
  const answers: Record<string, unknown> = {};
  for (const question of questions) {
    const saved = draft[question.id];
    if (!saved) continue;
    if (question.pick === 'one') {
      if (saved.choices[0] !== undefined) answers[question.id] = saved.choices[0];
    } else if (saved.choices.length > 0 || saved.words) {
      answers[question.id] = { choices: saved.choices, ...(saved.words ? { words: saved.words } : {}) };
    }
  }
  return { questionnaireVersion: version, answers };
}

function unavailable(
  page: (status: number, template: string, title: string, model?: Record<string, unknown>) => ApiResult,
  answer: ApiAnswer,
): ApiResult {
  if (answer.status === 423) {
    return page(423, 'feedback-unavailable.njk', 'Answers cannot be sent just now', {
      detail: 'The service is not taking answers for a few days. Please try again later.',
    });
  }
  return page(503, 'feedback-unavailable.njk', 'Sorry, there is a problem with the service', {
    detail: 'Please try again later.',
  });
}

function longDate(iso: string): string {
  return new Date(iso).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
}
