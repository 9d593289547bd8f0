/**
 * Versioned questionnaire definitions. A stored response names its version, so wording can change
 * without mixing answers to different questions.
 */
export interface ScaleItem {
  readonly id: string;
  readonly text: string;
}

export interface Questionnaire {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly purpose: string;
  readonly scale: {
    readonly min: number;
    readonly max: number;
    readonly labels: Readonly<Record<string, string>>;
  };
  readonly items: readonly ScaleItem[];
  readonly comment: { readonly prompt: string; readonly maxLength: number };
}

/**
 * The weekly staff wellbeing check-in (question area 4.4, outcome j). Eight taps and an optional
 * comment: staff report rising admin, so it must take under a minute on a phone.
 */
export const WELLBEING_PULSE_V1 = {
  id: 'wellbeing-pulse',
  version: 1,
  title: 'Weekly wellbeing check-in',
  purpose:
    'How community link workers are finding the role this week. Answers are only ever reported for groups of people, never one by one.',
  scale: {
    min: 1,
    max: 5,
    labels: {
      '1': 'Strongly disagree',
      '2': 'Disagree',
      '3': 'Neither',
      '4': 'Agree',
      '5': 'Strongly agree',
    },
  },
  items: [
    { id: 'supported', text: 'I felt supported in my work this week.' },
    { id: 'supervision', text: 'I had enough supervision and time to debrief.' },
    { id: 'training', text: 'I had the training I needed for what I was asked to do.' },
    { id: 'caseload', text: 'My caseload was manageable.' },
    { id: 'safety', text: 'I felt safe working with the people I support.' },
    { id: 'emotionalLoad', text: 'The emotional load of the work felt manageable.' },
    { id: 'remitClarity', text: 'I was clear about what is and is not part of my role.' },
    { id: 'intentionToStay', text: 'I see myself still doing this work in a year.' },
  ],
  comment: { prompt: 'Anything else about your week? (optional, do not name anyone)', maxLength: 1000 },
} as const satisfies Questionnaire;

export const WELLBEING_ITEM_IDS = WELLBEING_PULSE_V1.items.map((i) => i.id);
export type WellbeingItemId = (typeof WELLBEING_PULSE_V1.items)[number]['id'];

export const QUESTIONNAIRES: Readonly<Record<string, Questionnaire>> = {
  [WELLBEING_PULSE_V1.id]: WELLBEING_PULSE_V1,
};
