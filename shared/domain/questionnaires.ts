import * as z from 'zod';

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

export type WellbeingItemId = (typeof WELLBEING_PULSE_V1.items)[number]['id'];

/** A yes/no section of the capital check: each item is answered `true` (yes) or `false` (no). */
export interface YesNoSection {
  readonly title: string;
  readonly prompt: string;
  readonly items: readonly ScaleItem[];
}

/** A person-level outcome of the programme. */
export type PersonOutcome = 'a' | 'b' | 'c' | 'd' | 'e' | 'f';

/** One strength domain: one score on its own scale, mapped to the outcome it gives evidence for. */
export interface StrengthDomain {
  readonly id: string;
  readonly outcome: PersonOutcome;
  readonly title: string;
  readonly text: string;
  readonly scale: {
    readonly min: number;
    readonly max: number;
    readonly labels: Readonly<Record<string, string>>;
  };
}

/**
 * A capital check instrument: the data the capital rules read (`shared/domain/capital.ts`), so a new
 * version is a new definition here, not new code.
 */
export interface CapitalCheckInstrument {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly purpose: string;
  readonly kinds: readonly string[];
  /** Repeat assessment: the next check is due `afterDays` after the last one, give or take `windowDays`. */
  readonly followUp: { readonly afterDays: number; readonly windowDays: number };
  readonly sections: {
    readonly barriers: YesNoSection;
    readonly needs: YesNoSection;
    readonly strengths: {
      readonly title: string;
      readonly prompt: string;
      readonly domains: readonly StrengthDomain[];
    };
  };
}

const STRENGTH_SCALE = {
  min: 1,
  max: 5,
  labels: { '1': 'Very little', '2': 'A little', '3': 'Some', '4': 'Quite a lot', '5': 'A lot' },
} as const;

/**
 * The social and community capital check (question area 4.3, outcomes a-f): baseline, then a
 * follow-up every 90 days, and one at exit. Same structure as the recovery capital tools the plan
 * names (recent barriers, unmet needs, strengths) in our own words: those tools are licensed.
 * Filled in by the link worker with the person, so the wording speaks about "you".
 */
export const CAPITAL_CHECK_V1 = {
  id: 'capital-check',
  version: 1,
  title: 'Social and community capital check',
  purpose:
    'What is getting in the way, what help is still missing, and what strengths someone can build on, asked again every 90 days to see the distance travelled. Record the person only by your own reference.',
  kinds: ['baseline', 'follow-up', 'exit'],
  followUp: { afterDays: 90, windowDays: 14 },
  sections: {
    barriers: {
      title: 'Recent barriers',
      prompt: 'In the last 30 days, has any of this been true for you?',
      items: [
        { id: 'unsettledHome', text: 'I had nowhere settled to live, or was at risk of losing my home.' },
        { id: 'drinkOrDrugs', text: 'Drinking or drug use got in the way of my day-to-day life.' },
        { id: 'openJusticeMatters', text: 'I had new or unresolved matters with the police or the courts.' },
        { id: 'nothingToDo', text: 'I had little or nothing to fill my days that felt worthwhile.' },
        { id: 'moneyTrouble', text: 'Money worries or debts caused me serious stress.' },
        { id: 'noOneToTurnTo', text: 'I had no one I could turn to when things got hard.' },
      ],
    },
    needs: {
      title: 'Support you need and are not getting yet',
      prompt: 'Would you like help with this that you are not getting at the moment?',
      items: [
        { id: 'housing', text: 'Finding or keeping somewhere to live.' },
        { id: 'drugAlcoholTreatment', text: 'Drug or alcohol treatment.' },
        { id: 'mentalHealth', text: 'My mental health.' },
        { id: 'physicalHealth', text: 'My physical health, or registering with a GP or dentist.' },
        { id: 'familyRelationships', text: 'Family, children or relationships.' },
        { id: 'legal', text: 'Legal advice or support.' },
        { id: 'financeBenefits', text: 'Money, benefits or debt.' },
        { id: 'employmentTraining', text: 'Work, education or training.' },
      ],
    },
    strengths: {
      title: 'Strengths to build on',
      prompt: 'Right now, how much do you have of each of these?',
      domains: [
        {
          id: 'housingStability',
          outcome: 'a',
          title: 'Home',
          text: 'A safe, settled place to live that you expect to keep.',
          scale: STRENGTH_SCALE,
        },
        {
          id: 'finance',
          outcome: 'b',
          title: 'Money',
          text: 'Enough money coming in, the benefits you are entitled to, and debts under control.',
          scale: STRENGTH_SCALE,
        },
        {
          id: 'workLearningVolunteering',
          outcome: 'c',
          title: 'Work, learning and volunteering',
          text: 'Work, study, training or volunteering that you take part in or are working towards.',
          scale: STRENGTH_SCALE,
        },
        {
          id: 'recovery',
          outcome: 'd',
          title: 'Recovery and health',
          text: 'Looking after your health, and being in control of any drinking or drug use.',
          scale: STRENGTH_SCALE,
        },
        {
          id: 'relationships',
          outcome: 'e',
          title: 'People around you',
          text: 'Family, friends or others you trust and who are good for you.',
          scale: STRENGTH_SCALE,
        },
        {
          id: 'communityInvolvement',
          outcome: 'f',
          title: 'Time well spent and community',
          text: 'Regular positive things to do, and feeling part of a group or community.',
          scale: STRENGTH_SCALE,
        },
      ],
    },
  },
} as const satisfies CapitalCheckInstrument;

export type CapitalBarrierId = (typeof CAPITAL_CHECK_V1.sections.barriers.items)[number]['id'];
export type CapitalNeedId = (typeof CAPITAL_CHECK_V1.sections.needs.items)[number]['id'];
export type StrengthDomainId = (typeof CAPITAL_CHECK_V1.sections.strengths.domains)[number]['id'];

/** One answer a person can pick. */
export interface EasyReadChoice {
  readonly id: string;
  readonly text: string;
}

/** One question of an easy-read questionnaire: one per page, with help text under it. */
export interface EasyReadQuestion {
  readonly id: string;
  readonly text: string;
  readonly help: string;
  /** `one`: pick one answer; `many`: pick any that are true. */
  readonly pick: 'one' | 'many';
  readonly choices: readonly EasyReadChoice[];
  /** Room for the person's own words, optional. */
  readonly words?: { readonly prompt: string; readonly maxLength: number };
}

export interface EasyReadQuestionnaire {
  readonly id: string;
  readonly version: number;
  readonly title: string;
  readonly purpose: string;
  /** What the person is told about their privacy before the first question. */
  readonly privacy: string;
  /** Read out by a worker completing it with the person over the phone. */
  readonly byPhone: string;
  readonly questions: readonly EasyReadQuestion[];
  readonly thanks: string;
}

/**
 * What people using the service think of it (question area 4.6): do they know what it offers, does
 * it help, what keeps them coming, what gets in the way, would they recommend it, and would they
 * talk to an evaluator. Easy read: short sentences and everyday words, one question a page, every
 * question can be skipped, and nothing asks for a name. Answered once per feedback link, during
 * support or at exit.
 */
export const FEEDBACK_EASY_READ_V1 = {
  id: 'feedback-easy-read',
  version: 1,
  title: 'Tell us what you think',
  purpose:
    'We want to know what it is like to get help from a link worker. Your answers help us make it better for you and for other people.',
  privacy:
    'We do not ask for your name. Your answers are not added to your records. Your link worker cannot see what you said. You can skip any question.',
  byPhone:
    'I will read each question and the answers. Tell me which answer fits best. You can skip any question. I will not write your name on it.',
  questions: [
    {
      id: 'understandsOffer',
      text: 'Do you know what your link worker can help you with?',
      help: 'Your link worker helps you find people, groups and services near you.',
      pick: 'one',
      choices: [
        { id: 'yes', text: 'Yes' },
        { id: 'a-bit', text: 'A bit' },
        { id: 'no', text: 'No' },
      ],
    },
    {
      id: 'helps',
      text: 'Is the help working for you?',
      help: 'Think about the last few weeks.',
      pick: 'one',
      choices: [
        { id: 'a-lot', text: 'Yes, a lot' },
        { id: 'a-bit', text: 'A bit' },
        { id: 'not-really', text: 'Not really' },
        { id: 'not-sure', text: 'I am not sure' },
      ],
    },
    {
      id: 'keepsComing',
      text: 'What helps you keep coming?',
      help: 'Pick all that are true for you. You can add your own words.',
      pick: 'many',
      choices: [
        { id: 'same-worker', text: 'I see the same worker' },
        { id: 'listened-to', text: 'My worker listens to me' },
        { id: 'near-me', text: 'We meet near where I live' },
        { id: 'reminders', text: 'I get a reminder by text or phone' },
        { id: 'practical-help', text: 'I get help with things like money or housing' },
        { id: 'new-people', text: 'I meet new people' },
        { id: 'something-else', text: 'Something else' },
      ],
      words: { prompt: 'Tell us more if you want to. Do not write anyone’s name.', maxLength: 500 },
    },
    {
      id: 'getsInTheWay',
      text: 'What makes it hard to keep coming?',
      help: 'Pick all that are true for you. You can add your own words.',
      pick: 'many',
      choices: [
        { id: 'getting-there', text: 'Getting there costs too much or takes too long' },
        { id: 'times', text: 'The times do not suit me' },
        { id: 'health', text: 'My health' },
        { id: 'other-appointments', text: 'I have too many other appointments' },
        { id: 'not-sure-what-for', text: 'I am not sure what it is for' },
        { id: 'trust', text: 'It is hard to trust services' },
        { id: 'nothing', text: 'Nothing gets in the way' },
        { id: 'something-else', text: 'Something else' },
      ],
      words: { prompt: 'Tell us more if you want to. Do not write anyone’s name.', maxLength: 500 },
    },
    {
      id: 'wouldRecommend',
      text: 'Would you tell a friend to use it?',
      help: 'Think of a friend who needs the same kind of help as you.',
      pick: 'one',
      choices: [
        { id: 'yes', text: 'Yes' },
        { id: 'maybe', text: 'Maybe' },
        { id: 'no', text: 'No' },
      ],
    },
    {
      id: 'talkToEvaluator',
      text: 'Would you talk to someone about it?',
      help: 'A researcher wants to hear more about what it is like. If you say yes, your link worker will ask if you still want to. Saying no does not change your help.',
      pick: 'one',
      choices: [
        { id: 'yes', text: 'Yes, I would talk to them' },
        { id: 'no', text: 'No, thank you' },
      ],
    },
  ],
  thanks: 'Thank you. Your answers have been sent.',
} as const satisfies EasyReadQuestionnaire;

export type FeedbackQuestionId = (typeof FEEDBACK_EASY_READ_V1.questions)[number]['id'];

/**
 * Every questionnaire by id. A Map, not an object: ids come from request paths, and an object
 * would also answer for `__proto__`, `constructor` or `toString`.
 */
export const QUESTIONNAIRES: ReadonlyMap<
  string,
  Questionnaire | CapitalCheckInstrument | EasyReadQuestionnaire
> = new Map<string, Questionnaire | CapitalCheckInstrument | EasyReadQuestionnaire>([
  [WELLBEING_PULSE_V1.id, WELLBEING_PULSE_V1],
  [CAPITAL_CHECK_V1.id, CAPITAL_CHECK_V1],
  [FEEDBACK_EASY_READ_V1.id, FEEDBACK_EASY_READ_V1],
]);

/** An easy-read questionnaire as the API serves it (`GET /questionnaires/feedback-easy-read`, a feedback link). */
export const easyReadQuestionnaireSchema = z
  .object({
    id: z.string().max(64),
    version: z.int(),
    title: z.string().max(200),
    purpose: z.string().max(500),
    privacy: z.string().max(500),
    byPhone: z.string().max(500),
    questions: z
      .array(
        z
          .object({
            id: z.string().max(40),
            text: z.string().max(200),
            help: z.string().max(400),
            pick: z.enum(['one', 'many']),
            choices: z
              .array(z.object({ id: z.string().max(40), text: z.string().max(200) }).strict())
              .max(20),
            words: z
              .object({ prompt: z.string().max(200), maxLength: z.int() })
              .strict()
              .optional(),
          })
          .strict(),
      )
      .max(20),
    thanks: z.string().max(300),
  })
  .strict()
  .meta({ id: 'EasyReadQuestionnaire' });
