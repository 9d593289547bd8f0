import type { REFERRING_ANSWERS } from '../../../shared/domain/referral-codes';
import {
  BARRIER_CODES,
  BARRIER_NOTE_MAX_LENGTH,
  BARRIER_SEVERITIES,
  BARRIER_SOURCES,
  ENABLER_CODES,
  REPORTER_ROLES,
} from '../../../shared/domain/referral-codes';
import { fieldProblems } from '../api-client';
import { formErrors, textField } from '../forms';
import type { PageHandlers, PageResult } from '../web';

const SEVERITY_TEXT: Readonly<Record<(typeof BARRIER_SEVERITIES)[number], string>> = {
  low: 'A little',
  medium: 'Quite a lot',
  high: 'A lot',
};
const REFERRING_TEXT: Readonly<Record<(typeof REFERRING_ANSWERS)[number], string>> = {
  yes: 'Yes',
  sometimes: 'Sometimes',
  no: 'No',
};

const FIELD_TEXT: Readonly<Record<string, string>> = {
  reporterRole: 'Select who you are',
  source: 'Select where this report comes from',
  referring: 'Select whether you are referring people to the service',
};

/**
 * The one-page referral barrier report for practitioners (and provider staff and evaluators): three
 * required answers, then optional barriers (each with how much it holds referrals back), what helps,
 * and a short note. Under a minute.
 */
export const barrierReportPage: PageHandlers = {
  get: (context) =>
    Promise.resolve(view(new URLSearchParams(), { saved: context.request.query.get('saved') === 'yes' })),
  post: async (context) => {
    const { form } = context.request;
    const chosen = form.getAll('barriers');
    const note = textField(form.get('note'));
    const enablers = form.getAll('enablers');
    const body = {
      reporterRole: form.get('reporterRole') ?? undefined,
      source: form.get('source') ?? undefined,
      referring: form.get('referring') ?? undefined,
      ...(chosen.length > 0
        ? { barriers: chosen.map((code) => ({ code, severity: form.get(`severity-${code}`) ?? undefined })) }
        : {}),
      ...(enablers.length > 0 ? { enablers } : {}),
      ...(note ? { note } : {}),
    };
    const answer = await context.api('submitReferralBarrier', {
      params: { site: context.site ?? '' },
      body,
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 201 || answer.status === 200) {
      return { redirect: `/site/${context.site ?? ''}/barrier-report?saved=yes` };
    }
    // A problem with the n-th barrier sent is about the severity asked beside that barrier's box.
    const problems = fieldProblems(answer).map((problem) => {
      const at = /^\/body\/barriers\/(\d+)\/severity$/.exec(problem.pointer);
      const code = at ? chosen[Number(at[1])] : undefined;
      return code ? { ...problem, pointer: `/body/severity-${code}` } : problem;
    });
    const fields = new Set([
      'reporterRole',
      'source',
      'referring',
      'barriers',
      'enablers',
      'note',
      ...Object.keys(BARRIER_CODES).map((code) => `severity-${code}`),
    ]);
    const errors = formErrors(problems, fields, 'reporterRole', (fieldId, detail) => {
      const severityOf = /^severity-(.+)$/.exec(fieldId)?.[1];
      if (severityOf) {
        return `Select how much '${BARRIER_CODES[severityOf as keyof typeof BARRIER_CODES]}' holds referrals back`;
      }
      if (fieldId === 'note') return `Your note ${detail}`;
      return FIELD_TEXT[fieldId] ?? `${fieldId}: ${detail}`;
    });
    return view(form, errors, 400);
  },
};

const options = (labels: Readonly<Record<string, string>>, chosen: readonly string[]) =>
  Object.entries(labels).map(([value, text]) => ({ value, text, checked: chosen.includes(value) }));

function view(
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const errorOf = (id: string) => extra.fieldErrors?.[id];
  const chosenBarriers = form.getAll('barriers');
  return {
    template: 'barrier-report.njk',
    status,
    model: {
      ...extra,
      reporterRoles: options(REPORTER_ROLES, form.getAll('reporterRole')),
      sources: options(BARRIER_SOURCES, form.getAll('source')),
      referring: options(REFERRING_TEXT, form.getAll('referring')),
      barriers: Object.entries(BARRIER_CODES).map(([code, text]) => ({
        value: code,
        text,
        checked: chosenBarriers.includes(code),
        severity: {
          name: `severity-${code}`,
          items: BARRIER_SEVERITIES.map((value) => ({
            value,
            text: SEVERITY_TEXT[value],
            checked: form.get(`severity-${code}`) === value,
          })),
          errorMessage: errorOf(`severity-${code}`),
        },
      })),
      enablers: options(ENABLER_CODES, form.getAll('enablers')),
      note: form.get('note') ?? '',
      noteMaxLength: BARRIER_NOTE_MAX_LENGTH,
      errors: {
        reporterRole: errorOf('reporterRole'),
        source: errorOf('source'),
        referring: errorOf('referring'),
        barriers: errorOf('barriers'),
        enablers: errorOf('enablers'),
        note: errorOf('note'),
      },
    },
  };
}
