/**
 * The codes and labels of a referral barrier report (question area 4.5): the referrals function
 * validates and stores them, the web pages offer them. The codes are stored and reused by learning
 * packs: add new ones, never rename or remove one.
 */
/** Why a practitioner is not referring, as codes with plain-English labels. */
export const BARRIER_CODES = {
  'not-aware-of-service': 'Not aware of the service',
  'unclear-offer': 'Unclear what the service offers',
  'referral-process': 'The referral process is hard or slow',
  'low-confidence-in-service': 'Low confidence the service will help',
  workload: 'Workload leaves no time to refer',
  'eligibility-unclear': 'Unclear who is eligible',
  'person-declined': 'The person did not want to be referred',
  other: 'Something else',
} as const;
export type BarrierCode = keyof typeof BARRIER_CODES;

/** What helps practitioners refer and co-work (4.5), as codes with labels. Add, never rename or remove. */
export const ENABLER_CODES = {
  'clear-offer': 'A clear description of the offer',
  'co-location': 'Link workers based alongside practitioners',
  'link-worker-contact': 'A named link worker to contact',
  'quick-feedback': 'Quick feedback on what happened after a referral',
  'training-briefing': 'Training or a briefing about the service',
  'shared-case-discussion': 'Discussing cases together',
  other: 'Something else',
} as const;
export type EnablerCode = keyof typeof ENABLER_CODES;

export const BARRIER_SEVERITIES = ['low', 'medium', 'high'] as const;

export const REPORTER_ROLES = {
  'probation-practitioner': 'Probation practitioner',
  'prison-staff': 'Prison staff',
  'provider-staff': 'Provider staff',
  commissioner: 'Commissioner',
} as const;

export const BARRIER_SOURCES = {
  'self-report': 'Reported by the person themselves',
  'provider-feedback': 'Passed on by provider staff',
  interview: 'From an interview or focus group',
} as const;

export const REFERRING_ANSWERS = ['yes', 'no', 'sometimes'] as const;

/** The longest note kept: a sentence or two, so a report stays under a minute's typing. */
export const BARRIER_NOTE_MAX_LENGTH = 500;
