import type { ApiAnswer } from '../api-client';
import type { FormError } from '../forms';
import type { PageContext } from '../web';

/** The words a page uses for the API's codes. */
export const RESPONDENT_GROUP_TEXT: Readonly<Record<string, string>> = {
  'provider-staff': 'Provider staff',
  'person-using-service': 'People using the service',
  'probation-practitioner': 'Probation practitioners',
  'prison-staff': 'Prison staff',
  'commissioner-contract-manager': 'Commissioners and contract managers',
  'community-organisation': 'Community organisations',
};

export const METHOD_TEXT: Readonly<Record<string, string>> = {
  interview: 'Interview',
  'focus-group': 'Focus group',
  'survey-free-text': 'Free text of a survey',
};

export const STANCE_TEXT: Readonly<Record<string, string>> = {
  enabler: 'An enabler: it helps',
  barrier: 'A barrier: it gets in the way',
  neutral: 'Neither',
};

/** What redaction removed, by kind, in words (one, many), in the API's fixed order of kinds. */
export const REDACTION_KIND_TEXT: Readonly<Record<string, readonly [string, string]>> = {
  email: ['email address', 'email addresses'],
  'pnc-id': ['PNC ID', 'PNC IDs'],
  'nhs-number': ['NHS number', 'NHS numbers'],
  'national-insurance-number': ['National Insurance number', 'National Insurance numbers'],
  'prison-number': ['prison number', 'prison numbers'],
  'case-reference': ['case reference number', 'case reference numbers'],
  postcode: ['postcode', 'postcodes'],
  phone: ['phone number', 'phone numbers'],
  'date-of-birth': ['date of birth', 'dates of birth'],
  name: ['name', 'names'],
};

export const PACK_STATUS_TEXT: Readonly<Record<string, { text: string; colour: string }>> = {
  building: { text: 'Building', colour: 'blue' },
  failed: { text: 'Failed', colour: 'red' },
  draft: { text: 'Draft', colour: 'yellow' },
  approved: { text: 'Approved', colour: 'turquoise' },
  published: { text: 'Published', colour: 'green' },
  withdrawn: { text: 'Withdrawn', colour: 'grey' },
};

/** Removed kinds and counts as the answers give them (a list or a record), as sentences' parts. */
export function removedText(removed: unknown): string[] {
  const pairs: [string, number][] = Array.isArray(removed)
    ? removed.flatMap((entry: unknown) => {
        const { kind, count } = (entry ?? {}) as Record<string, unknown>;
        return typeof kind === 'string' && typeof count === 'number'
          ? [[kind, count] as [string, number]]
          : [];
      })
    : Object.entries((removed ?? {}) as Record<string, unknown>).flatMap(([kind, count]) =>
        typeof count === 'number' && count > 0 ? [[kind, count] as [string, number]] : [],
      );
  const order = Object.keys(REDACTION_KIND_TEXT);
  return pairs
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([kind, count]) => {
      const [one, many] = REDACTION_KIND_TEXT[kind] ?? [kind, kind];
      return `${count} ${count === 1 ? one : many}`;
    });
}

/**
 * A GOV.UK date input's three fields (`<name>-day`, `-month`, `-year`) as YYYY-MM-DD, padded, or
 * what was typed when it is not three numbers, so the API names the problem. Undefined when empty.
 */
export function dateField(form: URLSearchParams, name: string): string | undefined {
  const parts = ['year', 'month', 'day'].map((part) => (form.get(`${name}-${part}`) ?? '').trim());
  if (parts.every((part) => part === '')) return undefined;
  const [year = '', month = '', day = ''] = parts;
  if (![year, month, day].every((part) => /^\d{1,4}$/.test(part))) return `${year}-${month}-${day}`;
  return `${year.padStart(4, '0')}-${month.padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/** The items of a GOV.UK date input, keeping what was typed, marked in error when it is. */
export function dateItems(form: URLSearchParams, name: string, error: boolean) {
  return [
    { name: 'day', classes: 'govuk-input--width-2' },
    { name: 'month', classes: 'govuk-input--width-2' },
    { name: 'year', classes: 'govuk-input--width-4' },
  ].map((item) => ({
    ...item,
    value: form.get(`${name}-${item.name}`) ?? '',
    classes: `${item.classes}${error ? ' govuk-input--error' : ''}`,
  }));
}

/** A date input's error links to its first field (the day), as the GOV.UK pattern says. */
export function linkDateErrors(errorList: FormError[], dateIds: readonly string[]): FormError[] {
  return errorList.map((error) =>
    dateIds.some((id) => error.href === `#${id}`) ? { ...error, href: `${error.href}-day` } : error,
  );
}

/** The UTC offset of UK time at an instant, in minutes (0 in winter, 60 in summer). */
function londonOffsetMinutes(at: Date): number {
  const name =
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3]);
  return match[1] === '-' ? -minutes : minutes;
}

/**
 * A UK date and time as typed (YYYY-MM-DD, hour, minute) as an ISO instant with UK time's offset,
 * e.g. `2026-07-01T09:30:00+01:00`; what was typed when it is not a time, so the API refuses it.
 */
export function ukDateTime(date: string | undefined, hour: string, minute: string): string | undefined {
  if (date === undefined && hour.trim() === '' && minute.trim() === '') return undefined;
  const h = hour.trim().padStart(2, '0');
  const m = (minute.trim() === '' ? '0' : minute.trim()).padStart(2, '0');
  const local = `${date ?? ''}T${h}:${m}:00`;
  const asUtc = Date.parse(`${local}Z`);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00$/.test(local) || Number.isNaN(asUtc)) return local;
  const offset = londonOffsetMinutes(new Date(asUtc - londonOffsetMinutes(new Date(asUtc)) * 60_000));
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** An instant as UK time in words, e.g. "1 July 2026 at 9:30am". */
export function ukTimeText(iso: unknown): string {
  if (typeof iso !== 'string') return '';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  const date = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(at);
  const time = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hour: 'numeric',
    minute: '2-digit',
    hour12: true,
  })
    .format(at)
    .replace(' ', '')
    .toLowerCase();
  return `${date} at ${time}`;
}

/** A date (YYYY-MM-DD) in words, e.g. "1 July 2026". */
export function dateText(date: unknown): string {
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date))
    return typeof date === 'string' ? date : '';
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(`${date}T00:00:00Z`));
}

/** The path segment after `prefix` segments, e.g. the pack id of `/evaluate/packs/{id}`. */
export function pathSegment(context: PageContext, index: number): string {
  return decodeURIComponent(context.request.path.split('/')[index] ?? '');
}

/** The API's own words for a refusal that names no field (a 409, or a 400 about the whole request). */
export function problemDetail(answer: ApiAnswer): string {
  return typeof answer.body.detail === 'string' ? answer.body.detail : 'The request was refused.';
}

/** A one-line list ("a, b and c"). */
export function listText(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}
