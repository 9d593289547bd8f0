import { type ApiFieldProblem, fieldProblems } from '../api-client';
import { formErrors, numberField, textField } from '../forms';
import type { PageContext, PageHandlers, PageResult } from '../web';
import {
  dateField,
  dateItems,
  dateText,
  linkDateErrors,
  METHOD_TEXT,
  pathSegment,
  removedText,
  RESPONDENT_GROUP_TEXT,
  STANCE_TEXT,
  ukTimeText,
} from './evaluator-forms';

/** Quotes the form offers for its one finding (the API takes up to 10). */
const QUOTE_FIELDS = 3;

interface Codebook {
  readonly areas: readonly { readonly code: string; readonly title: string }[];
  readonly outcomes: readonly { readonly code: string; readonly level: string; readonly title: string }[];
  readonly themes: readonly { readonly id: string; readonly area: string; readonly name: string }[];
}

async function loadCodebook(context: PageContext): Promise<Codebook> {
  return (await context.api('getCodebook')).body as unknown as Codebook;
}

const FIELDS = new Set([
  'respondentGroup',
  'method',
  'participants',
  'date',
  'contactAttempts',
  'consent-recorded',
  'names',
  'findings-0-theme',
  'findings-0-outcomes',
  'findings-0-stance',
  'findings-0-summary',
  ...Array.from({ length: QUOTE_FIELDS }, (_, i) => `findings-0-quotes-${i}-text`),
]);

const FIELD_TEXT: Readonly<Record<string, string>> = {
  respondentGroup: 'Select who was interviewed',
  method: 'Select how the finding was gathered',
  participants: 'Enter how many people took part, from 1 to 50',
  date: 'Enter the date it took place, on or after 1 January 2024 and not in the future',
  contactAttempts: 'Enter how many texts, calls and rearrangements it took to reach them, from 0 to 100',
  'consent-recorded': 'Confirm that consent was recorded: a finding is only stored with recorded consent',
  names: 'Enter each name on its own line, from 2 to 80 characters, at most 20 names',
  'findings-0-theme': 'Select the theme of the finding',
  'findings-0-outcomes': 'Select each outcome at most once',
  'findings-0-stance': 'Select whether it helps or gets in the way',
  'findings-0-summary': 'Enter a summary of the finding, at most 1,000 characters',
};

/** A problem's pointer as the field on this form it is about. */
function fieldOf(pointer: string): string {
  return pointer
    .replace(/^\/body\/names\/\d+$/, '/body/names')
    .replace(/^\/body\/findings$/, '/body/findings/0/summary')
    .replace(/^\/body\/findings\/0\/area$/, '/body/findings/0/theme')
    .replace(/^\/body\/findings\/0\/outcomes\/\d+$/, '/body/findings/0/outcomes');
}

function describe(fieldId: string, detail: string): string {
  const quote = /^findings-0-quotes-(\d+)-text$/.exec(fieldId);
  if (quote) return `Quote ${Number(quote[1]) + 1} must be at most 500 characters of text`;
  return FIELD_TEXT[fieldId] ?? `The finding ${detail}`;
}

function errorsOf(problems: readonly ApiFieldProblem[]) {
  const mapped = problems.map((p) => ({ ...p, pointer: fieldOf(p.pointer) }));
  const { errorList, fieldErrors } = formErrors(mapped, FIELDS, 'respondentGroup', describe);
  return { errorList: linkDateErrors(errorList, ['date']), fieldErrors };
}

/** The finding as the API takes it, from the form as typed. */
function interviewBody(form: URLSearchParams, codebook: Codebook): Record<string, unknown> {
  const theme = codebook.themes.find((t) => t.id === form.get('findings-0-theme'));
  const names = (form.get('names') ?? '')
    .split(/\r?\n/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const quotes = Array.from({ length: QUOTE_FIELDS }, (_, i) => ({
    text: textField(form.get(`findings-0-quotes-${i}-text`)),
    publishable: form.get(`findings-0-quotes-${i}-publishable`) === 'yes',
  })).filter((quote) => quote.text !== undefined);
  const outcomes = form.getAll('findings-0-outcomes');
  return {
    respondentGroup: textField(form.get('respondentGroup')),
    method: textField(form.get('method')),
    participants: numberField(form.get('participants')),
    date: dateField(form, 'date'),
    contactAttempts: numberField(form.get('contactAttempts')),
    consent: form.get('consent-recorded') === 'yes' ? { recorded: true } : {},
    ...(names.length > 0 ? { names } : {}),
    findings: [
      {
        area: theme?.area,
        theme: theme?.id ?? textField(form.get('findings-0-theme')),
        ...(outcomes.length > 0 ? { outcomes } : {}),
        stance: textField(form.get('findings-0-stance')),
        summary: form.get('findings-0-summary') ?? '',
        quotes,
      },
    ],
  };
}

/**
 * Recording an interview finding, in two steps: the form, then "this is what will be saved"
 * (each free text as redaction leaves it, with the kinds and counts removed, from the API's own
 * redaction), then saving. The second step carries what was typed, and the API redacts it again
 * as it saves: nothing redacted is sent back to be stored.
 */
export const recordInterviewPage: PageHandlers = {
  get: async (context) => formView(context, await loadCodebook(context), new URLSearchParams(), {}),
  post: async (context) => {
    const codebook = await loadCodebook(context);
    const { form } = context.request;
    const step = form.get('step');
    if (step === 'edit') return formView(context, codebook, form, {});
    if (step === 'confirm') {
      const answer = await context.api('submitInterview', {
        params: { site: context.site ?? '' },
        body: interviewBody(form, codebook),
        idempotencyKey: form.get('idempotencyKey') ?? undefined,
      });
      if (answer.status === 201 || answer.status === 200) {
        const id = typeof answer.body.id === 'string' ? answer.body.id : '';
        return { redirect: `/site/${context.site ?? ''}/interviews/${id}?saved=1` };
      }
      return formView(context, codebook, form, errorsOf(problemsOrDetail(answer)), 400);
    }
    return checkView(context, codebook, form);
  },
};

/** A refusal naming no field (a 409: a theme from another area) is shown against the theme. */
function problemsOrDetail(answer: { status: number; body: Record<string, unknown> }): ApiFieldProblem[] {
  const problems = fieldProblems({ status: answer.status, body: answer.body });
  if (problems.length > 0) return problems;
  const detail = typeof answer.body.detail === 'string' ? answer.body.detail : 'was refused';
  return [{ pointer: '/body/findings/0/theme', detail }];
}

async function checkView(
  context: PageContext,
  codebook: Codebook,
  form: URLSearchParams,
): Promise<PageResult> {
  const body = interviewBody(form, codebook);
  const names = (body.names as string[] | undefined) ?? [];
  const texts = [
    { field: 'findings-0-summary', label: 'Summary', text: form.get('findings-0-summary') ?? '' },
    ...Array.from({ length: QUOTE_FIELDS }, (_, i) => ({
      field: `findings-0-quotes-${i}-text`,
      label: `Quote ${i + 1}`,
      text: form.get(`findings-0-quotes-${i}-text`) ?? '',
    })).filter((entry) => entry.text.trim() !== ''),
  ];
  const previews = [];
  const problems: ApiFieldProblem[] = [];
  for (const entry of texts) {
    const answer = await context.api('previewRedaction', {
      body: { text: entry.text.trim(), ...(names.length > 0 ? { names } : {}) },
    });
    if (answer.status !== 200) {
      for (const problem of fieldProblems(answer)) {
        problems.push({
          pointer: problem.pointer.startsWith('/body/names')
            ? problem.pointer
            : `/body/${entry.field.replaceAll('-', '/')}`,
          detail: problem.detail,
        });
      }
      continue;
    }
    const removed = removedText(answer.body.removed);
    previews.push({
      label: entry.label,
      text: typeof answer.body.text === 'string' ? answer.body.text : '',
      removed,
    });
  }
  if (problems.length > 0) return formView(context, codebook, form, errorsOf(problems), 400);
  const theme = codebook.themes.find((t) => t.id === form.get('findings-0-theme'));
  const hidden = [...form.entries()].filter(
    ([name]) => !['step', 'csrfToken', 'idempotencyKey'].includes(name),
  );
  return {
    template: 'interview-check.njk',
    model: {
      pageTitle: 'Check what will be saved',
      previews,
      anyRemoved: previews.some((p) => p.removed.length > 0),
      hidden: hidden.map(([name, value]) => ({ name, value })),
      rows: [
        {
          key: { text: 'Who' },
          value: { text: RESPONDENT_GROUP_TEXT[form.get('respondentGroup') ?? ''] ?? 'Not given' },
        },
        { key: { text: 'How' }, value: { text: METHOD_TEXT[form.get('method') ?? ''] ?? 'Not given' } },
        { key: { text: 'Theme' }, value: { text: theme ? `${theme.area} ${theme.name}` : 'Not given' } },
        {
          key: { text: 'Names listed for removal' },
          value: { text: names.length > 0 ? `${names.length}` : 'None listed' },
        },
      ],
    },
  };
}

function formView(
  context: PageContext,
  codebook: Codebook,
  form: URLSearchParams,
  errors: { errorList?: unknown[]; fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const fieldErrors = errors.fieldErrors ?? {};
  const radios = (name: string, labels: Readonly<Record<string, string>>) =>
    Object.entries(labels).map(([value, text]) => ({ value, text, checked: form.get(name) === value }));
  const chosenOutcomes = new Set(form.getAll('findings-0-outcomes'));
  const areaTitle = new Map(codebook.areas.map((a) => [a.code, a.title]));
  return {
    template: 'interview-form.njk',
    status,
    model: {
      ...errors,
      fieldErrors,
      value: Object.fromEntries([...FIELDS].map((name) => [name, form.get(name) ?? ''])),
      respondentGroups: radios('respondentGroup', RESPONDENT_GROUP_TEXT),
      methods: radios('method', METHOD_TEXT),
      stances: radios('findings-0-stance', STANCE_TEXT),
      dateItems: dateItems(form, 'date', fieldErrors.date !== undefined),
      consentItems: [
        { value: 'yes', text: 'Consent was recorded', checked: form.get('consent-recorded') === 'yes' },
      ],
      themes: [
        { value: '', text: 'Choose a theme' },
        ...codebook.themes.map((t) => ({
          value: t.id,
          text: `${t.area} ${areaTitle.get(t.area) ?? ''}: ${t.name}`,
          selected: form.get('findings-0-theme') === t.id,
        })),
      ],
      noThemes: codebook.themes.length === 0,
      outcomes: codebook.outcomes.map((o) => ({
        value: o.code,
        text: `${o.code}. ${o.title}`,
        checked: chosenOutcomes.has(o.code),
      })),
      quotes: Array.from({ length: QUOTE_FIELDS }, (_, i) => ({
        index: i,
        number: i + 1,
        name: `findings-0-quotes-${i}-text`,
        text: form.get(`findings-0-quotes-${i}-text`) ?? '',
        publishable: form.get(`findings-0-quotes-${i}-publishable`) === 'yes',
        errorMessage: fieldErrors[`findings-0-quotes-${i}-text`],
      })),
      siteId: context.site,
    },
  };
}

/** One saved finding, as stored: its free text as redaction left it. */
export const interviewPage: PageHandlers = {
  get: async (context) => {
    const id = pathSegment(context, 4);
    const [answer, codebook] = await Promise.all([
      context.api('getInterview', { params: { site: context.site ?? '', id } }),
      loadCodebook(context),
    ]);
    const finding = answer.body as {
      respondentGroup: string;
      method: string;
      participants: number;
      date: string;
      contactAttempts: number;
      consent: { date?: string };
      recordedAt: string;
      attachment?: unknown;
      redacted: Record<string, number>;
      findings: {
        area: string;
        theme: string;
        outcomes: string[];
        stance: string;
        summary: string;
        quotes: { text: string; publishable: boolean }[];
      }[];
    };
    const themeName = new Map(codebook.themes.map((t) => [t.id, t.name]));
    const outcomeTitle = new Map(codebook.outcomes.map((o) => [o.code, o.title]));
    return {
      template: 'interview.njk',
      model: {
        saved: context.request.query.get('saved') === '1',
        removed: removedText(finding.redacted),
        rows: [
          {
            key: { text: 'Who' },
            value: { text: RESPONDENT_GROUP_TEXT[finding.respondentGroup] ?? finding.respondentGroup },
          },
          { key: { text: 'How' }, value: { text: METHOD_TEXT[finding.method] ?? finding.method } },
          { key: { text: 'People taking part' }, value: { text: String(finding.participants) } },
          { key: { text: 'Date' }, value: { text: dateText(finding.date) } },
          { key: { text: 'Contact attempts' }, value: { text: String(finding.contactAttempts) } },
          {
            key: { text: 'Consent' },
            value: {
              text: finding.consent.date ? `Recorded on ${dateText(finding.consent.date)}` : 'Recorded',
            },
          },
          { key: { text: 'Recorded' }, value: { text: ukTimeText(finding.recordedAt) } },
        ],
        findings: finding.findings.map((f, index) => ({
          number: index + 1,
          theme: `${f.area} ${themeName.get(f.theme) ?? 'Unknown theme'}`,
          stance: STANCE_TEXT[f.stance] ?? f.stance,
          outcomes: f.outcomes.map((code) => `${code}. ${outcomeTitle.get(code) ?? ''}`),
          summary: f.summary,
          quotes: f.quotes,
        })),
      },
    };
  },
};

/** A page of a site's findings, newest first: what each is about, never what was said. */
export const interviewsPage: PageHandlers = {
  get: async (context) => {
    const cursor = context.request.query.get('cursor') ?? undefined;
    const [answer, codebook] = await Promise.all([
      context.api('listInterviews', { params: { site: context.site ?? '' }, query: { limit: '20', cursor } }),
      loadCodebook(context),
    ]);
    if (answer.status !== 200) return { redirect: `/site/${context.site ?? ''}/interviews` };
    const themeName = new Map(codebook.themes.map((t) => [t.id, t.name]));
    const interviews = (answer.body.interviews ?? []) as {
      id: string;
      date: string;
      respondentGroup: string;
      method: string;
      participants: number;
      themes: string[];
      findings: number;
    }[];
    const next = typeof answer.body.next === 'string' ? answer.body.next : undefined;
    return {
      template: 'interviews.njk',
      model: {
        rows: interviews.map((i) => ({
          href: `/site/${context.site ?? ''}/interviews/${encodeURIComponent(i.id)}`,
          date: dateText(i.date),
          who: RESPONDENT_GROUP_TEXT[i.respondentGroup] ?? i.respondentGroup,
          how: `${METHOD_TEXT[i.method] ?? i.method}, ${i.participants} taking part`,
          themes: i.themes.map((t) => themeName.get(t) ?? 'Unknown theme').join('; '),
        })),
        next: next ? `?cursor=${encodeURIComponent(next)}` : undefined,
        notFirst: cursor !== undefined,
      },
    };
  },
};
