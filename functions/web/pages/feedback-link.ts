import { fieldProblems } from '../api-client';
import { formErrors, textField } from '../forms';
import type { PageHandlers, PageResult } from '../web';

const KIND_TEXT = {
  'during-support': { text: 'During support', hint: 'The person is still getting help from the service.' },
  'at-exit': { text: 'At exit', hint: 'The person is finishing their time with the service.' },
} as const;

/**
 * A provider makes a one-time feedback link for a person at their site, to send by text or to open
 * together on a call. The link is shown on this answer only: the API keeps nothing it could be
 * read back from. `publicUrl` is where people open the questionnaire (this web function's address).
 */
export function feedbackLinkPage(publicUrl: string): PageHandlers {
  return {
    get: () => Promise.resolve(view(new URLSearchParams(), {})),
    post: async (context) => {
      const { form } = context.request;
      const participantRef = textField(form.get('participantRef'));
      const answer = await context.api('createFeedbackLink', {
        params: { site: context.site ?? '' },
        body: { kind: form.get('kind') ?? undefined, ...(participantRef ? { participantRef } : {}) },
      });
      if (answer.status === 201) {
        const token = String(answer.body.token);
        const expiresAt = String(answer.body.expiresAt);
        return {
          template: 'feedback-link-made.njk',
          status: 201,
          model: {
            link: new URL(`/give-feedback/${token}`, publicUrl).toString(),
            kind: KIND_TEXT[answer.body.kind === 'at-exit' ? 'at-exit' : 'during-support'].text,
            withReference: participantRef !== undefined,
            expires: new Date(expiresAt).toLocaleString('en-GB', {
              day: 'numeric',
              month: 'long',
              year: 'numeric',
              hour: 'numeric',
              minute: '2-digit',
              timeZone: 'Europe/London',
            }),
            againHref: `/site/${context.site ?? ''}/feedback-link`,
          },
        };
      }
      const errors = formErrors(
        fieldProblems(answer),
        new Set(['kind', 'participantRef']),
        'kind',
        (fieldId, detail) =>
          fieldId === 'kind'
            ? 'Select when the person is giving feedback'
            : fieldId === 'participantRef'
              ? `Your reference ${detail}`
              : `${fieldId}: ${detail}`,
      );
      return view(form, errors, 400);
    },
  };
}

function view(
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  return {
    template: 'feedback-link.njk',
    status,
    model: {
      ...extra,
      kinds: Object.entries(KIND_TEXT).map(([value, { text, hint }]) => ({
        value,
        text,
        hint: { text: hint },
        checked: form.get('kind') === value,
      })),
      participantRef: form.get('participantRef') ?? '',
      errors: { kind: extra.fieldErrors?.kind, participantRef: extra.fieldErrors?.participantRef },
    },
  };
}
