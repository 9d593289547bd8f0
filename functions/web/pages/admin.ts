import { type ApiAnswer, type ApiFieldProblem, fieldProblems } from '../api-client';
import { type FormError, formErrors, numberField } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';
import { timeText } from './market';

// ── The programme: pause (with the reason everyone refused will see) and resume ──

const PAUSE_EFFECT =
  'While the programme is paused, every submission is refused: weekly check-ins, barrier reports, capital checks, engagement returns, resources, interview findings and imports. People see your reason instead. Reading, published learning packs and erasure on withdrawn consent still work.';
const RESUME_EFFECT =
  'Once the programme is resumed, everyone can send check-ins, reports, checks, returns and imports again.';

/**
 * Pausing or resuming early testing: the page shows the state, the admin says why they pause,
 * then a confirmation page states the effect before anything changes (`step` is `review`, then
 * `confirm`). The API checks the reason; its problems come back to the first page.
 */
export const programmePage: PageHandlers = {
  get: async (context) => {
    const changed = context.request.query.get('changed');
    return programmeView(await readProgramme(context), {
      changed: changed === 'paused' || changed === 'active' ? changed : undefined,
    });
  },
  post: async (context) => {
    const { form } = context.request;
    const state = form.get('state');
    if (state !== 'paused' && state !== 'active') return { redirect: '/admin/programme' };
    const reason = (form.get('reason') ?? '').trim();
    if (form.get('step') !== 'confirm') {
      if (state === 'paused' && reason === '') {
        const text = 'Enter why the programme is paused: everyone whose submission is refused will see it';
        return programmeView(
          await readProgramme(context),
          { errorList: [{ text, href: '#reason' }], reasonError: { text } },
          400,
        );
      }
      return {
        template: 'programme-confirm.njk',
        model: { state, reason, effect: state === 'paused' ? PAUSE_EFFECT : RESUME_EFFECT },
      };
    }
    const answer = await context.api('changeProgramme', {
      body: { state, ...(state === 'paused' ? { reason } : {}) },
    });
    if (answer.status === 200) return { redirect: `/admin/programme?changed=${state}` };
    const errors = formErrors(fieldProblems(answer), new Set(['reason']), 'reason', (_, detail) =>
      detail === 'is required' ? 'Enter why the programme is paused' : `The reason ${plainDetail(detail)}`,
    );
    return programmeView(
      await readProgramme(context),
      { errorList: errors.errorList, reasonError: errors.fieldErrors.reason, reason },
      400,
    );
  },
};

async function readProgramme(context: PageContext): Promise<Record<string, unknown>> {
  return (await context.api('getProgramme')).body;
}

function programmeView(
  programme: Record<string, unknown>,
  extra: Record<string, unknown>,
  status = 200,
): PageResult {
  const paused = programme.state === 'paused';
  return {
    template: 'programme.njk',
    status,
    model: {
      paused,
      pausedReason: typeof programme.pausedReason === 'string' ? programme.pausedReason : undefined,
      updatedAt: typeof programme.updatedAt === 'string' ? timeText(programme.updatedAt) : undefined,
      pauseEffect: PAUSE_EFFECT,
      reason: '',
      ...extra,
    },
  };
}

// ── The disclosure policy: the version in force, its history, and a new version ──

interface PolicyField {
  readonly name: string;
  readonly label: string;
  readonly hint: string;
  readonly kind: 'number' | 'prefixes' | 'yesNo';
}

/** Every field of the policy an admin sets, in the order the form asks for them. */
export const POLICY_FIELDS: readonly PolicyField[] = [
  {
    name: 'minPeople',
    label: 'Smallest count of people shown',
    hint: 'Counts of people from 1 to one less than this are shown as [c] (confidential).',
    kind: 'number',
  },
  {
    name: 'roundTo',
    label: 'Round other counts of people to the nearest',
    hint: 'Each count is rounded on its own, totals included.',
    kind: 'number',
  },
  {
    name: 'minBase',
    label: 'Fewest people behind a rate, mean or median',
    hint: 'Fewer people than this and the figure is shown as [x].',
    kind: 'number',
  },
  {
    name: 'minPairedChecks',
    label: 'Fewest paired capital checks behind distance travelled',
    hint: 'A baseline check and its follow-up make a pair.',
    kind: 'number',
  },
  {
    name: 'minStaffRespondents',
    label: 'Fewest staff behind a staff figure',
    hint: 'Staff figures are only ever shown for the whole programme.',
    kind: 'number',
  },
  {
    name: 'rateDecimals',
    label: 'Decimal places of a rate',
    hint: 'Rates are percentages; 0 shows whole percent.',
    kind: 'number',
  },
  {
    name: 'auditMinRange',
    label: 'Narrowest range a figure hidden for differencing may be worked out to',
    hint: 'The check against everything already published.',
    kind: 'number',
  },
  {
    name: 'auditMinRangeSmall',
    label: 'Narrowest range a [c] count may be worked out to',
    hint: 'A [c] already says "1 to 9" when the smallest count shown is 10.',
    kind: 'number',
  },
  {
    name: 'showExtremes',
    label: 'Show minima and maxima?',
    hint: 'An extreme is one person’s value.',
    kind: 'yesNo',
  },
  {
    name: 'pairedCheckRefPrefixes',
    label: 'Figures that are distance travelled',
    hint: 'The start of their references, one on each line.',
    kind: 'prefixes',
  },
  {
    name: 'staffRefPrefixes',
    label: 'Figures that are staff figures',
    hint: 'The start of their references, one on each line.',
    kind: 'prefixes',
  },
];

/**
 * The pack disclosure policy: the version in force, every version before it, and a form for a new
 * version starting from the one in force. Every field is checked by the API; its problems are shown
 * in the error summary, linked to the field, with what was typed kept.
 */
export const disclosurePolicyPage: PageHandlers = {
  get: async (context) => {
    const history = (await context.api('getDisclosurePolicy')).body;
    const current = history.current as Record<string, unknown>;
    const saved = Number(context.request.query.get('saved'));
    return policyView(history, formOf(current), {
      saved: Number.isInteger(saved) && saved > 0 ? saved : undefined,
    });
  },
  post: async (context) => {
    const { form } = context.request;
    const body = Object.fromEntries(
      POLICY_FIELDS.flatMap((field) => {
        const raw = form.get(field.name);
        const value =
          field.kind === 'number'
            ? numberField(raw)
            : field.kind === 'yesNo'
              ? raw === 'yes'
                ? true
                : raw === 'no'
                  ? false
                  : undefined
              : (raw ?? '')
                  .split(/\r?\n/)
                  .map((line) => line.trim())
                  .filter((line) => line !== '');
        return value === undefined ? [] : [[field.name, value]];
      }),
    );
    const answer = await context.api('setDisclosurePolicy', { body });
    if (answer.status === 201) {
      return { redirect: `/admin/disclosure-policy?saved=${String(answer.body.version)}` };
    }
    const history = (await context.api('getDisclosurePolicy')).body;
    const typed = Object.fromEntries(POLICY_FIELDS.map((field) => [field.name, form.get(field.name) ?? '']));
    return policyView(history, typed, policyErrors(answer), 400);
  },
};

/** The policy in force as the form's starting values. */
function formOf(policy: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    POLICY_FIELDS.map((field) => {
      const value = policy[field.name];
      if (Array.isArray(value)) return [field.name, value.join('\n')];
      if (typeof value === 'boolean') return [field.name, value ? 'yes' : 'no'];
      return [field.name, typeof value === 'number' ? String(value) : ''];
    }),
  );
}

/** A problem with one item of a list field (`/body/staffRefPrefixes/2`) belongs to the list's field. */
function policyErrors(answer: ApiAnswer) {
  const problems: ApiFieldProblem[] = fieldProblems(answer).map((problem) => ({
    ...problem,
    pointer: problem.pointer.replace(/^(\/body\/[A-Za-z]+)\/.*$/, '$1'),
  }));
  return formErrors(
    problems,
    new Set(POLICY_FIELDS.map((field) => field.name)),
    'minPeople',
    (fieldId, detail) => {
      const field = POLICY_FIELDS.find((f) => f.name === fieldId);
      if (!field) return detail;
      if (field.kind === 'yesNo') return `Select whether to ${field.label.toLowerCase().replace('?', '')}`;
      if (field.kind === 'prefixes')
        return `${field.label}: each line must be lower-case letters, digits and . : _ - (at most 20 lines)`;
      return `${field.label} ${plainDetail(detail)}`;
    },
  );
}

function policyView(
  history: Record<string, unknown>,
  values: Record<string, string>,
  extra: { errorList?: FormError[]; fieldErrors?: Record<string, { readonly text: string }> } & Record<
    string,
    unknown
  >,
  status = 200,
): PageResult {
  const current = history.current as Record<string, unknown>;
  const versions = history.history as Record<string, unknown>[];
  const shown = (policy: Record<string, unknown>, name: string) => {
    const value = policy[name];
    if (Array.isArray(value)) return value.join(', ');
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    return typeof value === 'number' ? String(value) : '';
  };
  return {
    template: 'disclosure-policy.njk',
    status,
    model: {
      ...extra,
      current: {
        version: current.version,
        setAt: typeof current.setAt === 'string' ? timeText(current.setAt) : undefined,
        rows: POLICY_FIELDS.map((field) => ({
          key: { text: field.label },
          value: { text: shown(current, field.name) },
        })),
      },
      headings: POLICY_FIELDS.map((field) => field.label),
      history: [...versions].reverse().map((version) => ({
        version: version.version,
        setAt: typeof version.setAt === 'string' ? timeText(version.setAt) : 'Built in',
        changes: changesFrom(
          version,
          versions.find((v) => v.version === Number(version.version) - 1),
          shown,
        ),
      })),
      fields: POLICY_FIELDS.map((field) => ({
        ...field,
        value: values[field.name] ?? '',
        errorMessage: extra.fieldErrors?.[field.name],
      })),
    },
  };
}

/** What a version changed from the one before it, in words. */
function changesFrom(
  version: Record<string, unknown>,
  before: Record<string, unknown> | undefined,
  shown: (policy: Record<string, unknown>, name: string) => string,
): string {
  if (!before) return 'The first version.';
  const changes = POLICY_FIELDS.flatMap((field) => {
    const [was, now] = [shown(before, field.name), shown(version, field.name)];
    return was === now ? [] : [`${field.label}: ${was || 'none'} to ${now || 'none'}`];
  });
  return changes.length === 0 ? 'No change.' : `${changes.join('. ')}.`;
}

/** A schema's wording of a problem, in plain English. */
export function plainDetail(detail: string): string {
  const atLeast = />=\s*(-?\d+)/.exec(detail);
  if (atLeast) return `must be ${atLeast[1] ?? ''} or more`;
  const atMost = /<=\s*(-?\d+)/.exec(detail);
  if (atMost) return `must be ${atMost[1] ?? ''} or less`;
  if (/expected int|expected number|received string|received number/.test(detail)) {
    return 'must be a whole number';
  }
  if (detail === 'is required') return 'is required';
  return detail;
}

// ── The audit log, newest first, a page at a time with the API's cursor ──

const AUDIT_PAGE_SIZE = '50';

/**
 * The audit log: events newest first, filtered by a period (`from`, `to`: the filters the API has),
 * a page at a time with the API's signed cursor; a bad date is shown in the error summary.
 */
export const auditLogPage: PageHandlers = {
  get: async (context) => {
    const { query } = context.request;
    const filter = { from: (query.get('from') ?? '').trim(), to: (query.get('to') ?? '').trim() };
    const cursor = query.get('cursor') ?? undefined;
    const answer = await context.api('readAudit', {
      query: { ...filter, ...(cursor ? { cursor } : {}), limit: AUDIT_PAGE_SIZE },
    });
    if (answer.status !== 200) {
      const errors = formErrors(fieldProblems(answer), new Set(['from', 'to']), 'from', (fieldId, detail) =>
        fieldId === 'to' && /at most/.test(detail)
          ? `The period ${detail}`
          : fieldId === 'from' && /on or before/.test(detail)
            ? 'The first day must be on or before the last day'
            : fieldId === 'to'
              ? 'Enter the last day as a date, for example 2026-11-30'
              : 'Enter the first day as a date, for example 2026-11-01',
      );
      return {
        template: 'audit-log.njk',
        status: 400,
        model: { ...errors, filter, events: [] },
      };
    }
    const { body } = answer;
    const events = body.events as Record<'at' | 'action' | 'subjectType' | 'subjectId' | 'actor', string>[];
    const next = typeof body.next === 'string' ? body.next : undefined;
    const period = { from: String(body.from), to: String(body.to) };
    return {
      template: 'audit-log.njk',
      model: {
        filter,
        period,
        paged: cursor !== undefined,
        firstPage: `/admin/audit?${new URLSearchParams(filter).toString()}`,
        nextPage: next ? `/admin/audit?${new URLSearchParams({ cursor: next }).toString()}` : undefined,
        rows: events.map((event) => [
          { text: timeText(event.at) },
          { text: event.action },
          { text: `${event.subjectType} ${event.subjectId}`, classes: 'app-hash' },
          { text: event.actor, classes: 'app-hash' },
        ]),
      },
    };
  },
};
