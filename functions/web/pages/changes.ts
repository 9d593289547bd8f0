import { SITES } from '../../../shared/domain/sites';
import { fieldProblems } from '../api-client';
import { formErrors, textField } from '../forms';
import type { PageHandlers, PageResult } from '../web';

interface Change {
  readonly id: string;
  readonly heard: string;
  readonly changed: string;
  readonly when: string;
  readonly sites: readonly string[];
}

const siteName = (id: string) => SITES.find((site) => site.id === id)?.name ?? id;

/** "You said, we did": the changes made because of what people said, newest first. */
export const changesPage: PageHandlers = {
  get: async (context) => {
    const answer = await context.api('listChanges');
    if (answer.status !== 200) return { redirect: '/' };
    const changes = (answer.body.changes ?? []) as Change[];
    return {
      template: 'changes.njk',
      model: {
        saved: context.request.query.get('saved') === 'yes',
        mayAdd: context.principal.roles.includes('evaluator'),
        changes: changes.map((change) => ({
          ...change,
          sites: change.sites.map(siteName).join(', '),
        })),
      },
    };
  },
};

const FIELD_TEXT: Readonly<Record<string, string>> = {
  heard: 'Enter what people said',
  changed: 'Enter what changed',
  when: 'Enter the date it changed, like 2026-03-04',
  sites: 'Select at least one site',
};

/** An evaluator records a change; the API redacts the words and keeps them for the packs. */
export const addChangePage: PageHandlers = {
  get: () => Promise.resolve(view(new URLSearchParams(), {})),
  post: async (context) => {
    const { form } = context.request;
    const answer = await context.api('recordChange', {
      body: {
        heard: textField(form.get('heard')),
        changed: textField(form.get('changed')),
        when: textField(form.get('when')),
        sites: form.getAll('sites'),
      },
      idempotencyKey: form.get('idempotencyKey') ?? undefined,
    });
    if (answer.status === 201 || answer.status === 200) return { redirect: '/you-said-we-did?saved=yes' };
    const errors = formErrors(
      fieldProblems(answer).map((p) => ({
        ...p,
        pointer: p.pointer.replace(/^(\/body\/sites)\/\d+$/, '$1'),
      })),
      new Set(['heard', 'changed', 'when', 'sites']),
      'heard',
      (fieldId, detail) => FIELD_TEXT[fieldId] ?? `${fieldId}: ${detail}`,
    );
    return view(form, errors, 400);
  },
};

function view(
  form: URLSearchParams,
  extra: Record<string, unknown> & { fieldErrors?: Record<string, { text: string }> },
  status = 200,
): PageResult {
  const chosen = form.getAll('sites');
  return {
    template: 'add-change.njk',
    status,
    model: {
      ...extra,
      heard: form.get('heard') ?? '',
      changed: form.get('changed') ?? '',
      when: form.get('when') ?? '',
      sites: SITES.map((site) => ({ value: site.id, text: site.name, checked: chosen.includes(site.id) })),
      errors: {
        heard: extra.fieldErrors?.heard,
        changed: extra.fieldErrors?.changed,
        when: extra.fieldErrors?.when,
        sites: extra.fieldErrors?.sites,
      },
    },
  };
}
