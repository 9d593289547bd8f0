import type { ApiFieldProblem } from './api-client';

/** One entry of the GOV.UK error summary: the message and the field it links to. */
export interface FormError {
  readonly text: string;
  readonly href: string;
}

/**
 * The form field a problem's JSON pointer names: `/body/answers/safety` is the field with id
 * `answers-safety` (a group of radios has the id of its first radio), `/params/month` is `month`.
 */
export function fieldIdOf(pointer: string): string {
  return pointer
    .replace(/^\/(body|params|query)\/?/, '')
    .split('/')
    .map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'))
    .join('-');
}

/**
 * The API's field problems as the error summary and the messages beside each field. `describe`
 * words a problem for the person filling the form in (the API's own detail is for programmers); a
 * problem about no field on the form links to the form's first field, `fallbackId`.
 */
export function formErrors(
  problems: readonly ApiFieldProblem[],
  fields: ReadonlySet<string>,
  fallbackId: string,
  describe: (fieldId: string, detail: string) => string,
): { readonly errorList: FormError[]; readonly fieldErrors: Record<string, { readonly text: string }> } {
  const errorList: FormError[] = [];
  const fieldErrors: Record<string, { text: string }> = {};
  for (const problem of problems) {
    const fieldId = fieldIdOf(problem.pointer);
    const known = fields.has(fieldId);
    const text = describe(fieldId, problem.detail);
    const id = known ? fieldId : fallbackId;
    if (known && fieldErrors[fieldId]) continue;
    if (known) fieldErrors[fieldId] = { text };
    errorList.push({ text, href: `#${id}` });
  }
  return { errorList, fieldErrors };
}

/** A whole number typed into a form, or the text itself so the API names what is wrong with it. */
export function numberField(value: string | null): number | string | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^-?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

/** A text field: trimmed, and left out when empty. */
export function textField(value: string | null): string | undefined {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? undefined : trimmed;
}
