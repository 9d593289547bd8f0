import { fieldProblems } from '../api-client';
import { formErrors, textField } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';
import { problemDetail } from './evaluator-forms';

interface Codebook {
  readonly areas: readonly {
    readonly code: string;
    readonly title: string;
    readonly questions: readonly string[];
  }[];
  readonly outcomes: readonly { readonly code: string; readonly level: string; readonly title: string }[];
  readonly themes: readonly { readonly id: string; readonly area: string; readonly name: string }[];
}

/** The codebook's themes by question area, and adding one (a name new to its area). */
export const themesPage: PageHandlers = {
  get: async (context) => {
    const added = context.request.query.get('added') ?? undefined;
    return view(context, new URLSearchParams(), { added });
  },
  post: async (context) => {
    const { form } = context.request;
    const answer = await context.api('addCodebookTheme', {
      body: { area: textField(form.get('area')), name: textField(form.get('name')) },
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 201 || answer.status === 200) {
      const name = typeof answer.body.name === 'string' ? answer.body.name : '';
      return { redirect: `/evaluate/themes?added=${encodeURIComponent(name)}` };
    }
    const problems = fieldProblems(answer);
    const errors = formErrors(
      problems.length > 0 ? problems : [{ pointer: '/body/name', detail: problemDetail(answer) }],
      new Set(['area', 'name']),
      'area',
      (fieldId, detail) =>
        fieldId === 'area'
          ? 'Select the question area the theme belongs to'
          : answer.status === 409
            ? `${detail.replace(/\.$/, '')}. Enter a name not already used in this area`
            : 'Enter a theme name of up to 80 characters, with a letter or a digit',
    );
    return view(context, form, errors, 400);
  },
};

async function view(
  context: PageContext,
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): Promise<PageResult> {
  const codebook = (await context.api('getCodebook')).body as unknown as Codebook;
  return {
    template: 'themes.njk',
    status,
    model: {
      ...extra,
      areas: codebook.areas.map((area) => ({
        ...area,
        themes: codebook.themes.filter((t) => t.area === area.code).map((t) => t.name),
      })),
      outcomes: codebook.outcomes,
      areaItems: codebook.areas.map((area) => ({
        value: area.code,
        text: `${area.code} ${area.title}`,
        checked: form.get('area') === area.code,
      })),
      name: form.get('name') ?? '',
      areaError: extra.fieldErrors?.area,
      nameError: extra.fieldErrors?.name,
    },
  };
}
