/**
 * The one text rule of every free-text field of a request, `.regex(WELL_FORMED_TEXT, NOT_WELL_FORMED)`:
 * well-formed text: no lone UTF-16 surrogate. A lone surrogate is half of a character outside the
 * Basic Multilingual Plane (half an emoji), left by a client that cut a string at a code unit; it is
 * not Unicode text, breaks UTF-8 encoders downstream (CSV, ODS, logs) and cannot be redacted or
 * shown reliably. Whole emoji, accents and other scripts are all accepted.
 */
export const WELL_FORMED_TEXT = /^[^\p{Cs}]*$/u;

/** What a caller is told when a text field holds a lone surrogate. */
export const NOT_WELL_FORMED = 'must be valid Unicode text';
