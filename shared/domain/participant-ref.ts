/**
 * National identifiers a provider's reference must not be. Refused because (1) the evidence store
 * has no need of them (consent is to the provider's service, not to linking records across
 * systems), (2) the decrypted reference is shown back to provider staff, where a national identifier
 * would let anyone look the person up elsewhere, and (3) a keyed pseudonym of a small, structured
 * identifier space (a CRN is one letter and six digits) can be brute-forced by whoever obtains the
 * key, while a provider's own reference means nothing outside that provider.
 */
const NATIONAL_IDENTIFIERS: readonly (readonly [RegExp, string])[] = [
  [/^[A-Z]\d{6}$/i, 'a probation case reference number (CRN)'],
  [/^[A-Z]{2}[-_]?\d{2}[-_]?\d{2}[-_]?\d{2}[-_]?[A-D]$/i, 'a National Insurance number'],
  [/^[A-Z]\d{4}[A-Z]{2}$/i, 'a prison (NOMS) number'],
  // The PNC form is YY/NNNNNNNL or YYYY/NNNNNNNL; '/' is not allowed, so a '-' or '_' in its place,
  // or the full compact form, is what a PNC id would look like here.
  [/^(\d{2}|\d{4})[-_]\d{1,7}[A-Z]$|^(19|20)\d{9}[A-Z]$/i, 'a Police National Computer (PNC) id'],
];

/** What national identifier `ref` looks like, if any. */
export function nationalIdentifierKind(ref: string): string | undefined {
  return NATIONAL_IDENTIFIERS.find(([pattern]) => pattern.test(ref))?.[1];
}
