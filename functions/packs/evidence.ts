/**
 * The evidence a learning pack is composed from: plain records of every stream for one period and
 * set of sites, carrying only what the pack's figures need. No free text but publishable quotes,
 * no organisation or person names; staff, reporters and participants appear only as the keyed
 * pseudonyms the streams already store, so distinct people can be counted and checks paired.
 *
 * This file is also the one place the pack code takes the streams' vocabulary from (codes, labels,
 * instruments), so the composer depends on the streams through it alone.
 */
import type { QuestionAreaCode } from '../findings/codebook';
import type { SiteId } from '../../shared/domain/sites';

export { OUTCOMES, QUESTION_AREAS } from '../findings/codebook';
export type { OutcomeCode, QuestionAreaCode } from '../findings/codebook';
export { SITES } from '../../shared/domain/sites';
export type { SiteId } from '../../shared/domain/sites';
export {
  CAPITAL_CHECK_V1,
  FEEDBACK_EASY_READ_V1,
  WELLBEING_PULSE_V1,
} from '../../shared/domain/questionnaires';
export { BARRIER_CODES, ENABLER_CODES, REPORTER_ROLES } from '../referrals/referral-barriers';
export { RESPONDENT_GROUPS } from '../findings/interviews';
export { RESOURCE_STATUSES, RESOURCE_SUITS, RESOURCE_TYPES } from '../engagement/community-resources';
export { redactFreeText } from '../../shared/domain/redaction';

/** A staff wellbeing check-in: the week it is for, who (pseudonym) and the answers. Never the comment. */
export interface EvidencePulse {
  readonly site: SiteId;
  /** The Monday of the ISO week (YYYY-MM-DD). */
  readonly monday: string;
  readonly respondent: string;
  readonly answers: Readonly<Record<string, number>>;
}

/** A referral barrier report, without its note. */
export interface EvidenceBarrierReport {
  readonly site: SiteId;
  readonly reporter: string;
  readonly reporterRole: string;
  readonly source: string;
  readonly referring: 'yes' | 'no' | 'sometimes';
  readonly barriers: readonly { readonly code: string; readonly severity: 'low' | 'medium' | 'high' }[];
  readonly enablers: readonly string[];
  readonly submittedAt: string;
}

/** One coded finding of an interview or focus group, with only its publishable quotes. */
export interface EvidenceFinding {
  readonly site: SiteId;
  /** The interview it came from: findings of one interview are one source, not several. */
  readonly interview: string;
  readonly respondentGroup: string;
  readonly method: string;
  readonly date: string;
  readonly area: QuestionAreaCode;
  readonly theme: string;
  readonly outcomes: readonly string[];
  readonly stance: 'enabler' | 'barrier' | 'neutral';
  /** Quotes the evaluator marked publishable (already redacted when stored). */
  readonly quotes: readonly string[];
}

/** A capital check: who (pseudonym), when, and the answers. */
export interface EvidenceCheck {
  readonly site: SiteId;
  readonly participant: string;
  readonly kind: 'baseline' | 'follow-up' | 'exit';
  readonly date: string;
  readonly barriers: Readonly<Record<string, boolean>>;
  readonly needs: Readonly<Record<string, boolean>>;
  readonly strengths: Readonly<Record<string, number>>;
}

/** A site's engagement return for one month. */
export interface EvidenceEngagementReturn {
  readonly site: SiteId;
  readonly month: string;
  readonly referralsReceived: number;
  readonly initialAppointments: AppointmentCounts;
  readonly sessions: AppointmentCounts;
  readonly completions: number;
  readonly withdrawals: number;
}

export interface AppointmentCounts {
  readonly booked: number;
  readonly attended: number;
  readonly notAttended: number;
  readonly cancelled: number;
}

/** A community resource, without its name, locality or description. */
export interface EvidenceResource {
  readonly site: SiteId;
  readonly type: string;
  readonly status: 'new' | 'existing';
  readonly seedFunded: boolean;
  readonly seedFundingPounds?: number;
  readonly openAccess: boolean;
  readonly suits: readonly string[];
  readonly recordedAt: string;
}

/**
 * One anonymous answer of a person using the service: its site, kind, month and coded answers
 * (a choice, or the choices picked). Never the person's words.
 */
export interface EvidenceFeedback {
  readonly site: SiteId;
  readonly kind: 'during-support' | 'at-exit';
  readonly month: string;
  readonly answers: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** A "you said, we did" change, its texts redacted when recorded. */
export interface EvidenceChange {
  readonly heard: string;
  readonly changed: string;
  /** When the change was made (YYYY-MM-DD). */
  readonly when: string;
  readonly sites: readonly SiteId[];
}

/** Every stream's records for one period and set of sites. */
export interface PackEvidence {
  readonly pulses: readonly EvidencePulse[];
  readonly barrierReports: readonly EvidenceBarrierReport[];
  readonly findings: readonly EvidenceFinding[];
  readonly checks: readonly EvidenceCheck[];
  readonly engagementReturns: readonly EvidenceEngagementReturn[];
  readonly resources: readonly EvidenceResource[];
  /** Answers of people using the service (none when absent). */
  readonly feedback?: readonly EvidenceFeedback[];
  /** "You said, we did" changes (none when absent). */
  readonly changes?: readonly EvidenceChange[];
}

/** A theme of the codebook, as the pack names it. */
export interface PackTheme {
  readonly id: string;
  readonly area: QuestionAreaCode;
  readonly name: string;
}

/** A pack's period: first and last day, inclusive (YYYY-MM-DD). */
export interface PackPeriod {
  readonly from: string;
  readonly to: string;
}
