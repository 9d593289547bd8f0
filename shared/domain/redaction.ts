/**
 * Free-text redaction, applied before any note or comment is stored. This first set covers the
 * identifiers staff are most likely to type into a short comment; each kind is replaced by a
 * placeholder that names the kind, never by anything derived from the removed text.
 */
export type RedactionKind = 'email' | 'national-insurance-number' | 'postcode' | 'case-reference' | 'phone';

export interface RedactionOptions {
  /** Names to remove wherever they appear, e.g. the people an evaluator lists for one interview. */
  readonly names?: readonly string[];
}

export interface Redacted {
  readonly text: string;
  /** How many of each kind were removed (kinds with none are left out). */
  readonly removed: Partial<Record<RedactionKind, number>>;
}

// Order matters: an email can contain digits that look like a phone number, so it goes first.
const RULES: readonly { kind: RedactionKind; pattern: RegExp }[] = [
  { kind: 'email', pattern: /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/giu },
  // HMRC format: two prefix letters, six digits, suffix A-D; spaces optional. Any prefix letters are
  // taken (not only the ones HMRC issues): a missed number costs more than an over-redacted word.
  { kind: 'national-insurance-number', pattern: /\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/gi },
  { kind: 'postcode', pattern: /\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b/gi },
  // Probation case reference number: one letter and six digits (reference/DOMAIN.md).
  { kind: 'case-reference', pattern: /\b[A-Z]\d{6}\b/gi },
  // UK numbers: +44 or 0, then nine or ten more digits with optional spaces, dashes or brackets.
  { kind: 'phone', pattern: /(?:\+44[\s-]?\(?0?\)?|\(?\b0)(?:[\s()-]?\d){9,10}\b/g },
];

const PLACEHOLDER: Record<RedactionKind, string> = {
  email: '[email removed]',
  'national-insurance-number': '[NI number removed]',
  postcode: '[postcode removed]',
  'case-reference': '[case reference removed]',
  phone: '[phone number removed]',
};

/**
 * Removes identifying details from free text.
 * @example redactFreeText('Call me on 07700 900123') // { text: 'Call me on [phone number removed]', removed: { phone: 1 } }
 */
export function redactFreeText(input: string, _options: RedactionOptions = {}): Redacted {
  const removed: Partial<Record<RedactionKind, number>> = {};
  let text = input;
  for (const { kind, pattern } of RULES) {
    text = text.replace(pattern, () => {
      removed[kind] = (removed[kind] ?? 0) + 1;
      return PLACEHOLDER[kind];
    });
  }
  return { text, removed };
}
