import type { SiteId } from './sites';

/**
 * The codes of a capital check's who and when: the participants function validates and stores
 * them, the web pages offer them. The codes are stored: add new ones, never rename or remove one.
 */

export const CHECK_KINDS = ['baseline', 'follow-up', 'exit'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/**
 * Age bands. The London site's cohort is young adults aged 18 to 25, and two bands cover exactly that
 * range, so the cohort rule needs no date of birth.
 */
export const AGE_BANDS = ['under-18', '18-20', '21-25', '26-35', '36-49', '50-plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];

/** Sites whose cohort is limited by age, and the bands it takes. */
export const COHORT_AGE_BANDS: Readonly<Partial<Record<SiteId, readonly AgeBand[]>>> = {
  london: ['18-20', '21-25'],
};

/** No capital check can be dated before this: early testing data starts in 2024. */
export const EARLIEST_CHECK_DATE = '2024-01-01';

/** A provider's own reference for a participant: 1-40 letters, digits, - or _. */
export const PARTICIPANT_REF_MAX_LENGTH = 40;
