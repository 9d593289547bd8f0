import {
  type AGE_BANDS,
  CHECK_KINDS,
  PARTICIPANT_REF_MAX_LENGTH,
} from '../../../shared/domain/capital-codes';
import type { CapitalCheckInstrument } from '../../../shared/domain/questionnaires';
import { fieldProblems } from '../api-client';
import { formErrors } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';

const QUESTIONNAIRE = 'capital-check';

const KIND_TEXT: Readonly<Record<(typeof CHECK_KINDS)[number], string>> = {
  baseline: 'Baseline (the first check)',
  'follow-up': 'Follow-up (every 90 days)',
  exit: 'Exit (support is ending)',
};
const AGE_TEXT: Readonly<Record<(typeof AGE_BANDS)[number], string>> = {
  'under-18': 'Under 18',
  '18-20': '18 to 20',
  '21-25': '21 to 25',
  '26-35': '26 to 35',
  '36-49': '36 to 49',
  '50-plus': '50 or over',
};

/**
 * A capital check (baseline, follow-up or exit) of a person the provider supports, recorded by the
 * provider's own reference, with the questions as the API's questionnaire defines them.
 */
export const capitalCheckPage: PageHandlers = {
  get: async (context) => {
    const instrument = await loadInstrument(context);
    const saved = CHECK_KINDS.find((kind) => kind === context.request.query.get('saved'));
    return view(instrument, new URLSearchParams(), {
      saved: saved ? KIND_TEXT[saved].replace(/ \(.*$/, '') : undefined,
      nextDue: context.request.query.get('next') ?? undefined,
    });
  },
  post: async (context) => {
    const instrument = await loadInstrument(context);
    const { form } = context.request;
    const { barriers, needs, strengths } = instrument.sections;
    const yesNo = (name: string) => {
      const value = form.get(name);
      return value === 'yes' ? [true] : value === 'no' ? [false] : [];
    };
    const ageBand = form.get('ageBand') ?? undefined;
    const date = dateOf(form);
    const body = {
      participantRef: form.get('participantRef')?.trim() ?? '',
      kind: form.get('kind') ?? undefined,
      ...(date !== undefined ? { date } : {}),
      questionnaireVersion: instrument.version,
      ...(ageBand ? { ageBand } : {}),
      barriers: Object.fromEntries(
        barriers.items.flatMap((item) => yesNo(`barriers-${item.id}`).map((v) => [item.id, v])),
      ),
      needs: Object.fromEntries(
        needs.items.flatMap((item) => yesNo(`needs-${item.id}`).map((v) => [item.id, v])),
      ),
      strengths: Object.fromEntries(
        strengths.domains.flatMap((domain) => {
          const value = form.get(`strengths-${domain.id}`);
          return value ? [[domain.id, Number(value)]] : [];
        }),
      ),
    };
    const answer = await context.api('submitCapitalAssessment', {
      params: { site: context.site ?? '' },
      body,
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 200 || answer.status === 201) {
      const next = typeof answer.body.nextFollowUpDue === 'string' ? answer.body.nextFollowUpDue : undefined;
      const query = new URLSearchParams({
        saved: typeof answer.body.kind === 'string' ? answer.body.kind : 'baseline',
        ...(next ? { next } : {}),
      });
      return { redirect: `/site/${context.site ?? ''}/capital-check?${query.toString()}` };
    }
    const problems =
      answer.status === 400
        ? fieldProblems(answer)
        : [
            {
              pointer: '/body/participantRef',
              detail: typeof answer.body.detail === 'string' ? answer.body.detail : 'cannot be saved',
            },
          ];
    const fields = new Set([
      'participantRef',
      'kind',
      'date',
      'ageBand',
      ...barriers.items.map((item) => `barriers-${item.id}`),
      ...needs.items.map((item) => `needs-${item.id}`),
      ...strengths.domains.map((domain) => `strengths-${domain.id}`),
    ]);
    const errors = formErrors(problems, fields, 'participantRef', (fieldId, detail) => {
      if (fieldId === 'participantRef') {
        return answer.status !== 400
          ? detail
          : detail === 'is required' || /too small|at least/i.test(detail)
            ? 'Enter your reference for the person'
            : `Your reference for the person ${detail}`;
      }
      if (fieldId === 'kind') return 'Select which check this is';
      if (fieldId === 'date') {
        return /future|before|after/i.test(detail)
          ? `The date of the check ${detail}`
          : 'Enter the date of the check, for example 6 1 2025';
      }
      if (fieldId === 'ageBand') return `Select the person's age (${detail})`;
      const barrier = barriers.items.find((item) => `barriers-${item.id}` === fieldId);
      if (barrier) return `Select yes or no: ${barrier.text.replace(/\.$/, '')}`;
      const need = needs.items.find((item) => `needs-${item.id}` === fieldId);
      if (need) return `Select yes or no for help with: ${need.text.replace(/\.$/, '').toLowerCase()}`;
      const domain = strengths.domains.find((d) => `strengths-${d.id}` === fieldId);
      if (domain) return `Select how much the person has of: ${domain.title.toLowerCase()}`;
      return detail;
    });
    // The date's error links to its first box, the day.
    const errorList = errors.errorList.map((e) => (e.href === '#date' ? { ...e, href: '#date-day' } : e));
    return view(instrument, form, { ...errors, errorList }, 400);
  },
};

/** The date typed as day, month and year, as YYYY-MM-DD; as typed when it is not one, to be refused. */
function dateOf(form: URLSearchParams): string | undefined {
  const [day, month, year] = ['date-day', 'date-month', 'date-year'].map((n) => form.get(n)?.trim() ?? '');
  if (!day && !month && !year) return undefined;
  if (/^\d{1,2}$/.test(day ?? '') && /^\d{1,2}$/.test(month ?? '') && /^\d{4}$/.test(year ?? '')) {
    return `${year ?? ''}-${(month ?? '').padStart(2, '0')}-${(day ?? '').padStart(2, '0')}`;
  }
  return `${year ?? ''}-${month ?? ''}-${day ?? ''}`;
}

async function loadInstrument(context: PageContext): Promise<CapitalCheckInstrument> {
  const answer = await context.api('getQuestionnaire', { params: { id: QUESTIONNAIRE } });
  return answer.body as unknown as CapitalCheckInstrument;
}

function view(
  instrument: CapitalCheckInstrument,
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const errorOf = (id: string) => extra.fieldErrors?.[id];
  const radios = (name: string, legend: string, choices: readonly (readonly [string, string])[]) => ({
    name,
    legend,
    items: choices.map(([value, text]) => ({ value, text, checked: form.get(name) === value })),
    errorMessage: errorOf(name),
  });
  const yesNo = [
    ['yes', 'Yes'],
    ['no', 'No'],
  ] as const;
  const { barriers, needs, strengths } = instrument.sections;
  return {
    template: 'capital-check.njk',
    status,
    model: {
      ...extra,
      instrument,
      participantRef: form.get('participantRef') ?? '',
      participantRefError: errorOf('participantRef'),
      participantRefMaxLength: PARTICIPANT_REF_MAX_LENGTH,
      kind: radios('kind', 'Which check is this?', Object.entries(KIND_TEXT)),
      date: {
        day: form.get('date-day') ?? '',
        month: form.get('date-month') ?? '',
        year: form.get('date-year') ?? '',
      },
      dateError: errorOf('date'),
      ageBand: radios('ageBand', "The person's age", Object.entries(AGE_TEXT)),
      sections: [
        {
          title: barriers.title,
          prompt: barriers.prompt,
          questions: barriers.items.map((item) => radios(`barriers-${item.id}`, item.text, yesNo)),
        },
        {
          title: needs.title,
          prompt: needs.prompt,
          questions: needs.items.map((item) => radios(`needs-${item.id}`, item.text, yesNo)),
        },
        {
          title: strengths.title,
          prompt: strengths.prompt,
          questions: strengths.domains.map((domain) =>
            radios(
              `strengths-${domain.id}`,
              `${domain.title}: ${domain.text}`,
              Object.entries(domain.scale.labels).sort(([a], [b]) => Number(a) - Number(b)),
            ),
          ),
        },
      ],
    },
  };
}
