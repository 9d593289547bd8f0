import { fieldProblems } from '../api-client';
import { formErrors, numberField } from '../forms';
import type { PageHandlers, PageResult } from '../web';

/** The figures of a monthly return, in the order the form asks for them, with what each one counts. */
const GROUPS = [
  { id: 'initialAppointments', title: 'Initial appointments (first assessments)' },
  { id: 'sessions', title: 'One-to-one sessions after the initial appointment' },
] as const;
const OUTCOMES = [
  { id: 'booked', label: 'Booked to take place this month' },
  { id: 'attended', label: 'Attended' },
  { id: 'notAttended', label: 'Not attended (DNA)' },
  { id: 'cancelled', label: 'Cancelled' },
] as const;
const SINGLES = [
  { id: 'referralsReceived', label: 'Referrals received this month' },
  { id: 'caseload', label: 'Cases open on the last day of the month' },
  { id: 'completions', label: 'Cases closed because the person completed' },
  { id: 'withdrawals', label: 'Cases closed for any other reason' },
] as const;

const LABELS: Readonly<Record<string, string>> = Object.fromEntries([
  ...SINGLES.map((f): [string, string] => [f.id, f.label.toLowerCase()]),
  ...GROUPS.flatMap((g) =>
    OUTCOMES.map((o): [string, string] => [
      `${g.id}-${o.id}`,
      `${g.title.toLowerCase()}: ${o.label.toLowerCase()}`,
    ]),
  ),
]);

/**
 * The monthly engagement return (4.6): the site's referrals, appointments, sessions and caseload for
 * one month. Sending a month again replaces its figures, and the page says so.
 */
export const engagementReturnPage: PageHandlers = {
  get: (context) => {
    const saved = context.request.query.get('saved');
    return Promise.resolve(
      view(new URLSearchParams(), {
        saved: saved === 'new' || saved === 'replaced' ? saved : undefined,
        savedMonth: context.request.query.get('month') ?? undefined,
      }),
    );
  },
  post: async (context) => {
    const { form } = context.request;
    const monthNumber = Number(form.get('month-month'));
    const year = Number(form.get('month-year'));
    if (
      !Number.isInteger(monthNumber) ||
      monthNumber < 1 ||
      monthNumber > 12 ||
      !/^\d{4}$/.test(form.get('month-year') ?? '')
    ) {
      const text = 'Enter the month and year the figures are for, for example 1 2025';
      return view(form, { errorList: [{ text, href: '#month-month' }], monthError: { text } }, 400);
    }
    const month = `${String(year)}-${String(monthNumber).padStart(2, '0')}`;
    const body = {
      ...Object.fromEntries(SINGLES.map((f) => [f.id, numberField(form.get(f.id))])),
      ...Object.fromEntries(
        GROUPS.map((g) => [
          g.id,
          Object.fromEntries(OUTCOMES.map((o) => [o.id, numberField(form.get(`${g.id}-${o.id}`))])),
        ]),
      ),
    };
    const answer = await context.api('submitEngagementReturn', {
      params: { site: context.site ?? '', month },
      body,
    });
    if (answer.status === 200 || answer.status === 201) {
      const saved = answer.body.replaced === true ? 'replaced' : 'new';
      return { redirect: `/site/${context.site ?? ''}/engagement-return?saved=${saved}&month=${month}` };
    }
    // A problem with a whole group (more outcomes than bookings) is shown at its first figure.
    const problems = fieldProblems(answer).map((p) =>
      GROUPS.some((g) => p.pointer === `/body/${g.id}`) ? { ...p, pointer: `${p.pointer}/booked` } : p,
    );
    const fields = new Set([...Object.keys(LABELS), 'month']);
    const errors = formErrors(problems, fields, 'referralsReceived', (fieldId, detail) => {
      const label = LABELS[fieldId];
      if (!label) return detail;
      return detail === 'is required' ? `Enter the number of ${label}` : `The number of ${label} ${detail}`;
    });
    return view(form, errors, 400);
  },
};

function view(
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const input = (id: string, label: string) => ({
    id,
    label,
    value: form.get(id) ?? '',
    errorMessage: extra.fieldErrors?.[id],
  });
  return {
    template: 'engagement-return.njk',
    status,
    model: {
      ...extra,
      monthValue: form.get('month-month') ?? '',
      yearValue: form.get('month-year') ?? '',
      first: input(SINGLES[0].id, SINGLES[0].label),
      groups: GROUPS.map((g) => ({
        title: g.title,
        inputs: OUTCOMES.map((o) => input(`${g.id}-${o.id}`, o.label)),
      })),
      rest: SINGLES.slice(1).map((f) => input(f.id, f.label)),
    },
  };
}
