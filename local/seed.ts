/**
 * `npm run seed`: a believable six months of made-up evidence for the three sites, written through
 * the same domain functions the handlers call, each with the clock set to when it "happened". Every
 * name, note and quote here is invented and carries no identifier.
 *
 * The generator first plans everything from a seeded random stream (pure, so the same seed and day
 * give the same data), then writes the plan. Ids come from `deps.newId` and stay random.
 */
import type { UploadStore } from '../functions/findings/uploads';
import { createHash } from 'node:crypto';
import {
  type AgeBand,
  type CapitalCheckBody,
  canonicalParticipantRef,
  followUpWindow,
  recordCapitalCheck,
} from '../functions/participants/participants';
import {
  addTheme,
  normaliseThemeName,
  type OutcomeCode,
  type QuestionAreaCode,
} from '../functions/findings/codebook';
import {
  addCommunityResource,
  type CommunityResourceBody,
  organisationKey,
  type RESOURCE_SUITS,
  type RESOURCE_TYPES,
} from '../functions/engagement/community-resources';
import {
  checkEngagementFigures,
  type EngagementFigures,
  submitEngagementReturn,
} from '../functions/engagement/engagement';
import { ConflictError, ValidationError } from '../shared/domain/errors';
import {
  type INTERVIEW_METHODS,
  type InterviewBody,
  RESPONDENT_GROUPS,
  type STANCES,
  submitInterview,
} from '../functions/findings/interviews';
import { addDays, toIsoDate, ukDate } from '../shared/domain/iso-week';
import {
  CAPITAL_CHECK_V1,
  type CapitalBarrierId,
  type CapitalNeedId,
  type StrengthDomainId,
  WELLBEING_PULSE_V1,
  type WellbeingItemId,
} from '../shared/domain/questionnaires';
import {
  type BarrierCode,
  type EnablerCode,
  type ReferralBarrierBody,
  submitReferralBarrier,
} from '../functions/referrals/referral-barriers';
import type { Principal, Role } from '../shared/domain/roles';
import { SITE_IDS, type SiteId } from '../shared/domain/sites';
import { type PulseBody, submitPulse } from '../functions/wellbeing/wellbeing';
import { type ChangeBody, recordChange } from '../functions/voice/changes';
import {
  answerFeedback,
  createFeedbackLink,
  type FeedbackAnswerBody,
  type FeedbackKind,
} from '../functions/voice/feedback';
import type { Services } from './services';
import { demoSubject } from './issuer';

// ── Options and results ──

export interface SeedOptions {
  /** Multiplies participants, referral barriers, interviews and community resources (1-100). */
  readonly scale: number;
  /** The same seed (and day) gives the same data. */
  readonly seed: number;
  /** The six months end here; nothing is dated after it. */
  readonly today: Date;
}

export interface SiteSeedCounts {
  readonly staff: number;
  readonly pulses: number;
  /** Participants with a baseline. */
  readonly participants: number;
  readonly followUps: number;
  readonly exits: number;
  /** Participants whose follow-up is due on `today`, as `GET /sites/{site}/follow-ups` will say. */
  readonly followUpsDue: number;
  readonly followUpsOverdue: number;
  readonly engagementReturns: number;
  readonly communityResources: number;
  /** Resources not added: already on the site's map (an earlier run with another seed), or refused. */
  readonly communityResourcesSkipped: number;
  readonly referralBarriers: number;
  readonly interviews: number;
  readonly findings: number;
  readonly quotes: number;
  /** Feedback links made, links answered, and answers that asked to talk to an evaluator. */
  readonly feedbackLinks: number;
  readonly feedbackAnswers: number;
  readonly involvementInterest: number;
}

export interface SeedSummary {
  readonly seed: number;
  readonly scale: number;
  /** The first and last day of the six months (YYYY-MM-DD). */
  readonly from: string;
  readonly to: string;
  /** Themes added to the codebook, and those already there and reused. */
  readonly themes: { readonly added: number; readonly reused: number };
  readonly sites: Readonly<Record<SiteId, SiteSeedCounts>>;
}

/** Why the generator would not run: the programme is paused, or this seed's data is already there. */
export class SeedRefusedError extends Error {
  override readonly name = 'SeedRefusedError';
}

export const MAX_SCALE = 100;

// ── Who ──

interface DemoActor {
  readonly user: string;
  readonly role: Role;
  readonly site?: SiteId;
}

/** Provider staff per site, and the week (0-25) each started checking in: recruitment took a while. */
const STAFF: Readonly<Record<SiteId, readonly { user: string; fromWeek: number }[]>> = {
  'yorkshire-humber': [
    { user: 'amira', fromWeek: 0 },
    { user: 'ben', fromWeek: 0 },
    { user: 'carys', fromWeek: 9 },
  ],
  'north-east': [
    { user: 'dan', fromWeek: 0 },
    { user: 'eilidh', fromWeek: 4 },
  ],
  london: [
    { user: 'sam', fromWeek: 0 },
    { user: 'tola', fromWeek: 0 },
    { user: 'jude', fromWeek: 13 },
  ],
};

/** Probation practitioners and prison staff who report referral barriers. */
const PRACTITIONERS: Readonly<Record<SiteId, readonly string[]>> = {
  'yorkshire-humber': ['morgan', 'rowan'],
  'north-east': ['alex', 'jamie'],
  london: ['kit', 'robin'],
};

const EVALUATORS = ['eve', 'nia'] as const;

/**
 * Everyone the demo data was written as. `npm run -s token -- --role <role> [--site <site>] --user
 * <user>` gives the same person a token, so what they wrote is theirs in the audit log.
 */
export const DEMO_USERS: readonly DemoActor[] = [
  ...SITE_IDS.flatMap((site) => STAFF[site].map(({ user }) => ({ user, role: 'provider' as const, site }))),
  ...SITE_IDS.flatMap((site) =>
    PRACTITIONERS[site].map((user) => ({ user, role: 'practitioner' as const, site })),
  ),
  ...EVALUATORS.map((user) => ({ user, role: 'evaluator' as const })),
];

const SITE_CODE: Readonly<Record<SiteId, string>> = {
  'yorkshire-humber': 'YH',
  'north-east': 'NE',
  london: 'LDN',
};

/** The provider's reference for a demo participant: the seed is in it, so a rerun is recognised. */
export const demoParticipantRef = (seed: number, site: SiteId, n: number): string =>
  `DEMO-S${seed}-${SITE_CODE[site]}-${String(n).padStart(4, '0')}`;

// ── A seeded random stream ──

/**
 * Uniform numbers in [0, 1) from SHA-256 over a key and a counter: slower than an arithmetic
 * generator but plenty for a few thousand draws, with no state to get subtly wrong. One stream per
 * site and kind of data, so adding draws to one kind never changes another.
 */
class Random {
  private counter = 0;
  private buffer: number[] = [];

  constructor(private readonly key: string) {}

  next(): number {
    let value = this.buffer.pop();
    if (value === undefined) {
      const digest = createHash('sha256').update(`${this.key}#${this.counter++}`).digest();
      for (let i = 0; i < digest.length; i += 4) this.buffer.push(digest.readUInt32BE(i) / 2 ** 32);
      value = this.buffer.pop() ?? 0;
    }
    return value;
  }

  /** An integer from `min` to `max`, both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(list: readonly T[]): T {
    return item(list, Math.floor(this.next() * list.length));
  }

  /** One key, with probability in proportion to its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const entries = (Object.entries(weights) as [K, number | undefined][]).map(
      ([k, w]) => [k, w ?? 0] as const,
    );
    let left = this.next() * entries.reduce((sum, [, w]) => sum + w, 0);
    for (const [key, weight] of entries) {
      left -= weight;
      if (left < 0) return key;
    }
    return item(entries, entries.length - 1)[0];
  }

  /** `count` different items, in random order. */
  sample<T>(list: readonly T[], count: number): T[] {
    const copy = [...list];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [copy[i], copy[j]] = [item(copy, j), item(copy, i)];
    }
    return copy.slice(0, count);
  }

  /** Roughly normal noise with standard deviation `sd` (the sum of three uniforms). */
  noise(sd: number): number {
    return (this.next() + this.next() + this.next() - 1.5) * 2 * sd;
  }
}

function item<T>(list: readonly T[], index: number): T {
  if (index < 0 || index >= list.length) throw new RangeError(`no item ${index} in a list of ${list.length}`);
  return list[index] as T;
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

// ── Dates ──

const DAYS = 182; // 26 weeks
const pad2 = (n: number) => String(n).padStart(2, '0');
const timeOn = (date: string, hour: number, minute: number) =>
  new Date(`${date}T${pad2(hour)}:${pad2(minute)}:00.000Z`);
const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

function addMonths(month: string, n: number): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const index = year * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
}

const lastDayOf = (month: string) => addDays(`${addMonths(month, 1)}-01`, -1);

// ── What is written ──

interface Planned<T> {
  readonly at: Date;
  readonly by: DemoActor;
  readonly body: T;
}

interface PlannedParticipant {
  readonly ref: string;
  readonly by: DemoActor;
  readonly checks: readonly { readonly at: Date; readonly body: CapitalCheckBody }[];
  readonly exit?: { readonly date: string; readonly completed: boolean };
}

type PlannedFinding = Omit<InterviewBody['findings'][number], 'theme'> & { readonly themeName: string };
type PlannedInterview = Omit<InterviewBody, 'findings'> & { readonly findings: readonly PlannedFinding[] };

interface SitePlan {
  readonly site: SiteId;
  readonly staff: number;
  readonly pulses: readonly Planned<PulseBody>[];
  readonly participants: readonly PlannedParticipant[];
  readonly engagementReturns: readonly Planned<{ month: string; figures: EngagementFigures }>[];
  readonly communityResources: readonly Planned<CommunityResourceBody>[];
  readonly referralBarriers: readonly Planned<ReferralBarrierBody>[];
  readonly interviews: readonly Planned<PlannedInterview>[];
  readonly feedback: readonly PlannedFeedback[];
}

interface PlannedFeedback {
  readonly by: DemoActor;
  readonly madeAt: Date;
  readonly kind: FeedbackKind;
  readonly participantRef?: string;
  /** When the person answered; none for a link left unanswered. */
  readonly answer?: { readonly at: Date; readonly body: FeedbackAnswerBody };
}

export interface DemoPlan {
  readonly seed: number;
  readonly scale: number;
  readonly from: string;
  readonly to: string;
  readonly themes: readonly Planned<{ area: QuestionAreaCode; name: string }>[];
  readonly sites: readonly SitePlan[];
  /** "You said, we did": changes the evaluators recorded. */
  readonly changes: readonly Planned<ChangeBody>[];
}

// ── The plan ──

/**
 * Everything the demo data will hold, worked out without writing anything: the same options always
 * give the same plan. Every write is timed on or before `today`, and every date on or before the day
 * before it.
 *
 * @example planDemoData({ scale: 1, seed: 1, today: new Date() }).sites[0]?.participants.length // 15 to 40
 */
export function planDemoData(options: SeedOptions): DemoPlan {
  const { scale, seed, today } = options;
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_SCALE) {
    throw new RangeError(`scale must be a whole number from 1 to ${MAX_SCALE}`);
  }
  if (!Number.isSafeInteger(seed) || seed < 0) throw new RangeError('seed must be a whole number, 0 or more');
  const to = toIsoDate(today);
  const from = addDays(to, -DAYS);
  // A write planned for later today has not happened yet: it is pulled back to now.
  const notAfterToday = (at: Date) => (at > today ? today : at);
  // Week 25 is this week; week 0 starts 25 weeks before its Monday.
  const firstMonday = addDays(mondayOf(to), -25 * 7);
  const window = { from, to, today, firstMonday, notAfterToday };
  const random = (stream: string, site = '') => new Random(`clw-demo/${seed}/${stream}/${site}`);
  const themeRandom = random('themes');
  return {
    seed,
    scale,
    from,
    to,
    themes: THEMES.map(({ area, name }) => ({
      at: timeOn(addDays(from, themeRandom.int(5, 30)), themeRandom.int(9, 16), themeRandom.int(0, 59)),
      by: { user: themeRandom.pick(EVALUATORS), role: 'evaluator' },
      body: { area, name },
    })),
    sites: SITE_IDS.map((site) => {
      const participants = planParticipants(site, scale, seed, window, random('participants', site));
      return {
        site,
        staff: STAFF[site].length,
        pulses: planPulses(site, window, random('pulses', site)),
        participants,
        engagementReturns: planEngagementReturns(site, participants, window, random('engagement', site)),
        communityResources: planResources(site, scale, window, random('resources', site)),
        referralBarriers: planReferralBarriers(site, scale, window, random('barriers', site)),
        interviews: planInterviews(scale, window, random('interviews', site)),
        feedback: planFeedback(site, participants, window, random('feedback', site)),
      };
    }),
    changes: planChanges(window, random('changes')),
  };
}

interface Window {
  readonly from: string;
  readonly to: string;
  readonly today: Date;
  readonly firstMonday: string;
  readonly notAfterToday: (at: Date) => Date;
}

const provider = (site: SiteId, user: string): DemoActor => ({ user, role: 'provider', site });

/** The staff member of a site who was in post on `date`. */
function staffOn(site: SiteId, window: Window, date: string, random: Random): DemoActor {
  const week = Math.floor(daysBetween(window.firstMonday, date) / 7);
  const inPost = STAFF[site].filter((s) => s.fromWeek <= week);
  return provider(site, random.pick(inPost.length > 0 ? inPost : STAFF[site]).user);
}

// ── Wellbeing check-ins (4.4, outcome j) ──

/** How an item sits against a person's general mood: safety is rated high, caseload low. */
const ITEM_OFFSET: Readonly<Record<WellbeingItemId, number>> = {
  supported: 0.2,
  supervision: -0.1,
  training: 0,
  caseload: -0.5,
  safety: 0.5,
  emotionalLoad: -0.3,
  remitClarity: -0.1,
  intentionToStay: 0.1,
};

/** What each site went through: a referral surge, supervision arriving late, training arriving. */
function siteEffect(site: SiteId, week: number, id: WellbeingItemId): number {
  switch (site) {
    case 'yorkshire-humber':
      return week >= 10 && week <= 15 && (id === 'caseload' || id === 'emotionalLoad') ? -0.9 : 0;
    case 'north-east':
      return id === 'supervision' ? -0.9 * clamp((14 - week) / 8, 0, 1) : 0;
    case 'london':
      if (id === 'training') return week < 7 ? -0.8 : 0.2;
      return id === 'remitClarity' && week < 10 ? -0.5 : 0;
  }
}

function planPulses(site: SiteId, window: Window, random: Random): Planned<PulseBody>[] {
  const pulses: Planned<PulseBody>[] = [];
  for (const { user, fromWeek } of STAFF[site]) {
    const usual = 3.4 + random.next() * 0.8;
    let mood = usual;
    const leave = random.int(3, 22); // two weeks of annual leave
    for (let week = fromWeek; week < 26; week++) {
      mood += (usual - mood) * 0.3 + random.noise(0.25);
      if (week === leave || week === leave + 1 || random.chance(0.1)) continue;
      const day = random.chance(0.4) ? 4 : random.int(0, 4);
      const monday = addDays(window.firstMonday, week * 7);
      const at = timeOn(addDays(monday, day), random.int(8, 16), random.int(0, 59));
      if (at > window.today) continue; // this week's check-in has not happened yet
      const answers = Object.fromEntries(
        WELLBEING_PULSE_V1.items.map(({ id }) => [
          id,
          clamp(Math.round(mood + ITEM_OFFSET[id] + siteEffect(site, week, id) + random.noise(0.45)), 1, 5),
        ]),
      ) as Record<WellbeingItemId, number>;
      const mean = Object.values(answers).reduce((sum, n) => sum + n, 0) / WELLBEING_PULSE_V1.items.length;
      const comments =
        mean < 3 ? PULSE_COMMENTS.strained : mean >= 3.9 ? PULSE_COMMENTS.good : PULSE_COMMENTS.usual;
      pulses.push({
        at,
        by: provider(site, user),
        body: {
          questionnaireVersion: WELLBEING_PULSE_V1.version,
          answers,
          ...(random.chance(0.15) ? { comment: random.pick(comments) } : {}),
        },
      });
    }
  }
  return pulses;
}

function mondayOf(date: string): string {
  const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(date, -weekday);
}

// ── Capital checks (4.3, outcomes a-f) ──

const AGE_BANDS_BY_SITE: Readonly<Record<SiteId, Readonly<Partial<Record<AgeBand, number>>>>> = {
  'yorkshire-humber': { '18-20': 0.08, '21-25': 0.17, '26-35': 0.35, '36-49': 0.28, '50-plus': 0.12 },
  'north-east': { '18-20': 0.05, '21-25': 0.15, '26-35': 0.38, '36-49': 0.3, '50-plus': 0.12 },
  // The London cohort is young adults aged 18 to 25.
  london: { '18-20': 0.45, '21-25': 0.55 },
};

/** How likely each recent barrier is at baseline; people leaving prison more often have no settled home. */
const BARRIER_LIKELIHOOD: Readonly<Record<CapitalBarrierId, number>> = {
  unsettledHome: 0.4,
  drinkOrDrugs: 0.35,
  openJusticeMatters: 0.3,
  nothingToDo: 0.6,
  moneyTrouble: 0.55,
  noOneToTurnTo: 0.4,
};

const NEED_LIKELIHOOD: Readonly<Record<CapitalNeedId, number>> = {
  housing: 0.4,
  drugAlcoholTreatment: 0.25,
  mentalHealth: 0.45,
  physicalHealth: 0.3,
  familyRelationships: 0.3,
  legal: 0.15,
  financeBenefits: 0.5,
  employmentTraining: 0.45,
};

type CheckAnswers = Pick<CapitalCheckBody, 'barriers' | 'needs' | 'strengths'>;

function baselineAnswers(site: SiteId, random: Random): CheckAnswers {
  const { barriers, needs, strengths } = CAPITAL_CHECK_V1.sections;
  return {
    barriers: Object.fromEntries(
      barriers.items.map(({ id }) => [
        id,
        random.chance(BARRIER_LIKELIHOOD[id] + (site === 'north-east' && id === 'unsettledHome' ? 0.2 : 0)),
      ]),
    ) as Record<CapitalBarrierId, boolean>,
    needs: Object.fromEntries(
      needs.items.map(({ id }) => [id, random.chance(NEED_LIKELIHOOD[id])]),
    ) as Record<CapitalNeedId, boolean>,
    strengths: Object.fromEntries(
      strengths.domains.map(({ id }) => [
        id,
        Number(random.weighted({ '1': 0.25, '2': 0.4, '3': 0.25, '4': 0.1 })),
      ]),
    ) as Record<StrengthDomainId, number>,
  };
}

/** Three months on: strengths mostly a little up, some barriers and needs resolved, a few new. */
function laterAnswers(before: CheckAnswers, random: Random): CheckAnswers {
  const flip = (answers: Readonly<Record<string, boolean>>, keep: number, appear: number) =>
    Object.fromEntries(
      Object.entries(answers).map(([id, yes]) => [id, yes ? random.chance(keep) : random.chance(appear)]),
    );
  return {
    barriers: flip(before.barriers, 0.6, 0.08) as Record<CapitalBarrierId, boolean>,
    needs: flip(before.needs, 0.55, 0.08) as Record<CapitalNeedId, boolean>,
    strengths: Object.fromEntries(
      Object.entries(before.strengths).map(([id, score]) => [
        id,
        clamp(score + Number(random.weighted({ '-1': 0.08, '0': 0.37, '1': 0.43, '2': 0.12 })), 1, 5),
      ]),
    ) as Record<StrengthDomainId, number>,
  };
}

function planParticipants(
  site: SiteId,
  scale: number,
  seed: number,
  window: Window,
  random: Random,
): PlannedParticipant[] {
  const count = random.int(15, 40) * scale;
  const latest = addDays(window.to, -1);
  const participants: PlannedParticipant[] = [];
  for (let n = 1; n <= count; n++) {
    // The first three are placed so that every site has a follow-up due today, one overdue, and
    // someone already followed up; everyone else's journey is left to chance.
    const daysAgo = n === 1 ? random.int(80, 100) : n <= 3 ? random.int(110, 170) : random.int(2, DAYS - 2);
    const baseline = addDays(window.to, -daysAgo);
    const by = staffOn(site, window, baseline, random);
    const checks: { at: Date; body: CapitalCheckBody }[] = [];
    const record = (
      kind: CapitalCheckBody['kind'],
      date: string,
      answers: CheckAnswers,
      ageBand?: AgeBand,
    ) => {
      checks.push({
        at: window.notAfterToday(timeOn(date, random.int(9, 16), random.int(0, 59))),
        body: {
          participantRef: demoParticipantRef(seed, site, n),
          kind,
          date,
          questionnaireVersion: CAPITAL_CHECK_V1.version,
          ...(ageBand ? { ageBand } : {}),
          ...answers,
        },
      });
    };
    let answers = baselineAnswers(site, random);
    record('baseline', baseline, answers, random.weighted(AGE_BANDS_BY_SITE[site]));
    let exit: PlannedParticipant['exit'];
    let last = baseline;
    if (n > 2) {
      // Some leave within weeks; about half of the rest are seen again around 90 days, some twice.
      if (n > 3 && random.chance(0.12)) {
        const date = addDays(baseline, random.int(14, 75));
        if (date <= latest) exit = { date, completed: false };
      } else {
        for (let round = 0; round < 2 && !exit; round++) {
          const due = addDays(last, 90 + random.int(-10, 14));
          const seen = (n === 3 && round === 0) || random.chance(round === 0 ? 0.72 : 0.5);
          if (due > latest || !seen) break;
          answers = laterAnswers(answers, random);
          record('follow-up', due, answers);
          last = due;
          if (random.chance(0.2)) {
            const date = addDays(last, random.int(20, 60));
            if (date <= latest) exit = { date, completed: random.chance(0.75) };
          }
        }
      }
    }
    if (exit) record('exit', exit.date, laterAnswers(answers, random));
    participants.push({ ref: demoParticipantRef(seed, site, n), by, checks, ...(exit ? { exit } : {}) });
  }
  return participants;
}

// ── Engagement returns (4.6) ──

/**
 * The last six complete months, each sent early the month after, with figures that follow from the
 * participants: baselines are first appointments attended, exits are closures, caseload is who is
 * open at the month's end. Every return keeps the consistency rules of `checkEngagementFigures`.
 */
function planEngagementReturns(
  site: SiteId,
  participants: readonly PlannedParticipant[],
  window: Window,
  random: Random,
): Planned<{ month: string; figures: EngagementFigures }>[] {
  const thisMonth = window.to.slice(0, 7);
  const returns: Planned<{ month: string; figures: EngagementFigures }>[] = [];
  for (let back = 6; back >= 1; back--) {
    const month = addMonths(thisMonth, -back);
    const end = lastDayOf(month);
    const inMonth = (date: string) => date.startsWith(month);
    const starts = participants.filter((p) => inMonth(p.checks[0]?.body.date ?? '')).length;
    const exits = participants.flatMap((p) => (p.exit && inMonth(p.exit.date) ? [p.exit] : []));
    const caseload = participants.filter(
      (p) => (p.checks[0]?.body.date ?? '') <= end && !(p.exit && p.exit.date <= end),
    ).length;
    const initialNotAttended = random.int(0, Math.ceil(starts * 0.3));
    const initialCancelled = random.int(0, Math.ceil(starts * 0.15));
    const sessionsBooked = Math.round(caseload * (2 + random.next() * 1.5));
    const sessionsAttended = Math.round(sessionsBooked * (0.62 + random.next() * 0.18));
    const sessionsNotAttended = Math.round(sessionsBooked * (0.1 + random.next() * 0.08));
    const figures: EngagementFigures = {
      referralsReceived: starts + random.int(0, Math.max(1, Math.round(starts * 0.5))),
      initialAppointments: {
        booked: starts + initialNotAttended + initialCancelled + random.int(0, 1),
        attended: starts,
        notAttended: initialNotAttended,
        cancelled: initialCancelled,
      },
      sessions: {
        booked: sessionsBooked,
        attended: sessionsAttended,
        notAttended: sessionsNotAttended,
        cancelled: Math.min(
          sessionsBooked - sessionsAttended - sessionsNotAttended,
          Math.round(sessionsBooked * (0.04 + random.next() * 0.06)),
        ),
      },
      caseload,
      completions: exits.filter((e) => e.completed).length,
      withdrawals: exits.filter((e) => !e.completed).length,
    };
    const problems = checkEngagementFigures(figures);
    if (problems.length > 0) throw new Error(`demo engagement return for ${site} ${month} is inconsistent`);
    const sent = addDays(`${addMonths(month, 1)}-01`, random.int(2, 6));
    returns.push({
      at: window.notAfterToday(timeOn(sent, random.int(9, 16), random.int(0, 59))),
      by: provider(site, item(STAFF[site], 0).user),
      body: { month, figures },
    });
  }
  return returns;
}

// ── The voice of people using the service (4.6) ──

/**
 * About half the people supported get a feedback link some weeks into their support, and most who
 * leave get one at exit; about two in three answer, and some ask to talk to an evaluator. The
 * provider gives its own reference with most links, so a request to talk can be passed on.
 */
function planFeedback(
  site: SiteId,
  participants: readonly PlannedParticipant[],
  window: Window,
  random: Random,
): PlannedFeedback[] {
  const planned: PlannedFeedback[] = [];
  const plan = (p: PlannedParticipant, kind: FeedbackKind, date: string) => {
    if (date > window.to) return;
    const madeAt = window.notAfterToday(timeOn(date, random.int(9, 16), random.int(0, 59)));
    const answeredOn = addDays(date, random.int(1, 6));
    const answers = random.chance(0.65) && answeredOn <= window.to;
    planned.push({
      by: p.by,
      madeAt,
      kind,
      ...(random.chance(0.7) ? { participantRef: p.ref } : {}),
      ...(answers
        ? {
            answer: {
              at: window.notAfterToday(timeOn(answeredOn, random.int(8, 21), random.int(0, 59))),
              body: feedbackAnswer(site, random),
            },
          }
        : {}),
    });
  };
  for (const p of participants) {
    const baseline = p.checks[0]?.body.date;
    if (baseline && random.chance(0.5)) plan(p, 'during-support', addDays(baseline, random.int(21, 70)));
    if (p.exit && random.chance(0.8)) plan(p, 'at-exit', p.exit.date);
  }
  return planned;
}

function feedbackAnswer(site: SiteId, random: Random): FeedbackAnswerBody {
  // London's young adults are the least sure what the service is for; the North East's mention travel.
  const unsure = site === 'london' ? 0.35 : 0.15;
  const pickSome = <T>(options: readonly T[], p: number): T[] => options.filter(() => random.chance(p));
  const keepsComing = pickSome(
    ['same-worker', 'listened-to', 'near-me', 'reminders', 'practical-help', 'new-people'] as const,
    0.35,
  );
  const inTheWay = pickSome(
    [
      ...(site === 'north-east' ? (['getting-there', 'getting-there'] as const) : []),
      'times',
      'health',
      'other-appointments',
      'trust',
    ] as const,
    0.2,
  );
  return {
    questionnaireVersion: 1,
    answers: {
      understandsOffer: random.chance(unsure) ? random.pick(['a-bit', 'no'] as const) : 'yes',
      helps: random.weighted({ 'a-lot': 5, 'a-bit': 3, 'not-really': 1, 'not-sure': 1 }),
      keepsComing: {
        choices: keepsComing.length > 0 ? keepsComing : ['same-worker'],
        ...(random.chance(0.2) ? { words: random.pick(FEEDBACK_WORDS) } : {}),
      },
      getsInTheWay: { choices: inTheWay.length > 0 ? [...new Set(inTheWay)] : ['nothing'] },
      wouldRecommend: random.weighted({ yes: 6, maybe: 3, no: 1 }),
      talkToEvaluator: random.chance(0.2) ? 'yes' : 'no',
    },
  };
}

const FEEDBACK_WORDS = [
  'She texts me the day before so I do not forget.',
  'It helps that we meet at the café and not the office.',
  'I got help sorting my benefits, that kept me going.',
  'The walking group is the best part of my week.',
] as const;

/** Two changes the evaluators heard about and recorded, in the second half of the window. */
function planChanges(window: Window, random: Random): Planned<ChangeBody>[] {
  const changes: Omit<ChangeBody, 'when'>[] = [
    {
      heard: 'People said morning appointments clashed with probation and work.',
      changed: 'Link workers now offer late afternoon sessions two days a week.',
      sites: ['north-east', 'yorkshire-humber'],
    },
    {
      heard: 'Young adults said they were not sure what the link worker was for.',
      changed: 'A one-page easy-read leaflet is now given at the first meeting.',
      sites: ['london'],
    },
  ];
  return changes.map((body, i) => {
    const when = addDays(window.from, 100 + i * 30 + random.int(0, 10));
    return {
      at: window.notAfterToday(timeOn(when, random.int(10, 16), random.int(0, 59))),
      by: { user: random.pick(EVALUATORS), role: 'evaluator' },
      body: { ...body, when },
    };
  });
}

// ── Community resources (4.7, outcome g) ──

type ResourceType = keyof typeof RESOURCE_TYPES;
type ResourceSuit = keyof typeof RESOURCE_SUITS;

function planResources(
  site: SiteId,
  scale: number,
  window: Window,
  random: Random,
): Planned<CommunityResourceBody>[] {
  const count = random.int(8, 15) * scale;
  const taken = new Set<string>();
  const resources: Planned<CommunityResourceBody>[] = [];
  for (let n = 0; n < count; n++) {
    const type = random.weighted<ResourceType>({
      'professional-service': 0.2,
      'mutual-aid-group': 0.25,
      'community-asset': 0.3,
      'grassroots-organisation': 0.25,
    });
    const organisationName = resourceName(site, type, taken, random);
    const isNew = type !== 'professional-service' && random.chance(0.35);
    const seedFunded = isNew && random.chance(0.6);
    const suits: ResourceSuit[] = random.chance(0.35)
      ? [
          random.weighted<ResourceSuit>({
            age: 2,
            faith: 1,
            ethnicity: 1,
            gender: 2,
            disability: 1,
            other: 1,
          }),
        ]
      : [];
    const suit = suits[0];
    const date = addDays(window.from, random.int(3, DAYS - 1));
    resources.push({
      at: window.notAfterToday(timeOn(date, random.int(9, 16), random.int(0, 59))),
      by: random.chance(0.8)
        ? staffOn(site, window, date, random)
        : { user: random.pick(EVALUATORS), role: 'evaluator' },
      body: {
        organisationName,
        type,
        status: isNew ? 'new' : 'existing',
        seedFunded,
        ...(seedFunded ? { seedFundingPounds: random.int(5, 100) * 50 } : {}),
        openAccess: type === 'professional-service' ? random.chance(0.3) : random.chance(0.8),
        suits,
        ...(suit ? { suitsDescription: random.pick(SUITS_DESCRIPTIONS[suit]) } : {}),
        linksMade: random.int(0, isNew ? 12 : 25),
        ...(random.chance(0.8) ? { locality: random.pick(LOCALITIES[site]) } : {}),
      },
    });
  }
  return resources;
}

/** A made-up organisation name, different from the site's others once normalised. */
function resourceName(site: SiteId, type: ResourceType, taken: Set<string>, random: Random): string {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    // Past a few collisions (only at large scales) a locality tells two same-named groups apart.
    const where = attempt >= 20 ? ` ${random.pick(LOCALITIES[site])}` : '';
    const name = `${random.pick(RESOURCE_PREFIXES)} ${random.pick(RESOURCE_KINDS[type])}${where}`;
    const key = organisationKey(name);
    if (!taken.has(key)) {
      taken.add(key);
      return name;
    }
  }
  throw new Error('ran out of demo organisation names');
}

// ── Referral barriers (4.5) ──

type ReporterRole = ReferralBarrierBody['reporterRole'];

function planReferralBarriers(
  site: SiteId,
  scale: number,
  window: Window,
  random: Random,
): Planned<ReferralBarrierBody>[] {
  const count = random.int(10, 20) * scale;
  const reports: Planned<ReferralBarrierBody>[] = [];
  for (let n = 0; n < count; n++) {
    const day = random.int(3, DAYS - 1);
    const date = addDays(window.from, day);
    // Early on people have not heard of the service; later the friction is workload and process.
    const t = day / DAYS;
    const who = random.weighted({ practitioner: 0.55, provider: 0.3, evaluator: 0.15 });
    const prisonShare = site === 'north-east' ? 0.4 : 0.1;
    const reporterRole: ReporterRole =
      who === 'evaluator'
        ? random.weighted<ReporterRole>({ 'probation-practitioner': 3, 'prison-staff': 1, commissioner: 1 })
        : who === 'provider' && random.chance(0.3)
          ? 'provider-staff'
          : random.chance(prisonShare)
            ? 'prison-staff'
            : 'probation-practitioner';
    const by: DemoActor =
      who === 'practitioner'
        ? { user: random.pick(PRACTITIONERS[site]), role: 'practitioner', site }
        : who === 'provider'
          ? staffOn(site, window, date, random)
          : { user: random.pick(EVALUATORS), role: 'evaluator' };
    const barrierCodes = weightedOrder<BarrierCode>(random, {
      'not-aware-of-service': 3 * (1 - t) + 0.4,
      'unclear-offer': 2 * (1 - t) + 0.5,
      'referral-process': 1.5,
      'low-confidence-in-service': 1,
      workload: 1 + 1.5 * t,
      'eligibility-unclear': 1,
      'person-declined': 0.8,
      other: 0.3,
    });
    const howMany = Number(random.weighted({ '0': 0.15, '1': 0.45, '2': 0.3, '3': 0.1 }));
    const barriers = barrierCodes.slice(0, howMany).map((code) => ({
      code,
      severity: random.weighted({ low: 0.3, medium: 0.45, high: 0.25 }),
    }));
    const enablers = weightedOrder<EnablerCode>(random, {
      'clear-offer': 1,
      'co-location': 0.5 + t,
      'link-worker-contact': 1.2,
      'quick-feedback': 0.8,
      'training-briefing': 1,
      'shared-case-discussion': 0.6,
      other: 0.2,
    }).slice(0, Number(random.weighted({ '0': 0.4, '1': 0.4, '2': 0.2 })));
    const first = barriers[0]?.code;
    const note = random.chance(0.5)
      ? first
        ? random.pick(BARRIER_NOTES[first])
        : enablers[0]
          ? random.pick(ENABLER_NOTES[enablers[0]])
          : undefined
      : undefined;
    reports.push({
      at: window.notAfterToday(timeOn(date, random.int(9, 17), random.int(0, 59))),
      by,
      body: {
        reporterRole,
        source:
          who === 'practitioner' ? 'self-report' : who === 'provider' ? 'provider-feedback' : 'interview',
        referring: random.weighted({ yes: 0.25 + 0.3 * t, sometimes: 0.35, no: 0.4 - 0.3 * t }),
        ...(barriers.length > 0 ? { barriers } : {}),
        ...(enablers.length > 0 ? { enablers } : {}),
        ...(note ? { note } : {}),
      },
    });
  }
  return reports;
}

/** Every key once, heavier ones tending to come first. */
function weightedOrder<K extends string>(random: Random, weights: Readonly<Record<K, number>>): K[] {
  let left = Object.entries(weights) as [K, number][];
  const order: K[] = [];
  while (left.length > 0) {
    const key = random.weighted(Object.fromEntries(left) as Record<K, number>);
    order.push(key);
    left = left.filter(([k]) => k !== key);
  }
  return order;
}

// ── Interview findings (all question areas) ──

type RespondentGroup = (typeof RESPONDENT_GROUPS)[number];
type Method = (typeof INTERVIEW_METHODS)[number];

const GROUP_AREAS: Readonly<Record<RespondentGroup, readonly QuestionAreaCode[]>> = {
  'provider-staff': ['4.3', '4.4', '4.7', '4.8'],
  'person-using-service': ['4.3', '4.6', '4.7', '4.8'],
  'probation-practitioner': ['4.5', '4.6', '4.8'],
  'prison-staff': ['4.5', '4.8'],
  'commissioner-contract-manager': ['4.4', '4.5', '4.7', '4.8'],
  'community-organisation': ['4.7', '4.6'],
};

const GROUP_METHODS: Readonly<Record<RespondentGroup, Readonly<Partial<Record<Method, number>>>>> = {
  'provider-staff': { interview: 0.5, 'focus-group': 0.5 },
  'person-using-service': { interview: 0.8, 'survey-free-text': 0.2 },
  'probation-practitioner': { 'focus-group': 0.6, 'survey-free-text': 0.4 },
  'prison-staff': { 'focus-group': 0.7, interview: 0.3 },
  'commissioner-contract-manager': { interview: 1 },
  'community-organisation': { interview: 0.7, 'focus-group': 0.3 },
};

function planInterviews(scale: number, window: Window, random: Random): Planned<PlannedInterview>[] {
  const count = random.int(3, 6) * scale;
  let groups: RespondentGroup[] = [];
  const interviews: Planned<PlannedInterview>[] = [];
  for (let n = 0; n < count; n++) {
    if (groups.length === 0) groups = random.sample(RESPONDENT_GROUPS, RESPONDENT_GROUPS.length);
    const respondentGroup = groups.pop() ?? 'provider-staff';
    const method = random.weighted(GROUP_METHODS[respondentGroup]);
    // Fieldwork starts after the first month, once the codebook has its first themes.
    const date = addDays(window.from, random.int(35, DAYS - 4));
    const themes = random.sample(
      THEMES.filter((theme) => GROUP_AREAS[respondentGroup].includes(theme.area)),
      random.int(2, 4),
    );
    interviews.push({
      at: window.notAfterToday(timeOn(addDays(date, random.int(1, 7)), random.int(9, 17), random.int(0, 59))),
      by: { user: random.pick(EVALUATORS), role: 'evaluator' },
      body: {
        respondentGroup,
        method,
        participants:
          method === 'interview' ? 1 : method === 'focus-group' ? random.int(3, 8) : random.int(5, 20),
        date,
        contactAttempts: respondentGroup === 'person-using-service' ? random.int(2, 8) : random.int(1, 3),
        consent: { recorded: true, date: addDays(date, -random.int(0, 7)) },
        findings: themes.map((theme) => ({
          area: theme.area,
          themeName: theme.name,
          outcomes: [...theme.outcomes],
          stance: theme.stance,
          summary: random.pick(theme.summaries),
          quotes: random
            .sample(theme.quotes, Number(random.weighted({ '0': 0.25, '1': 0.45, '2': 0.3 })))
            .map((text) => ({ text, publishable: random.chance(0.65) })),
        })),
      },
    });
  }
  return interviews;
}

// ── Writing the plan ──

/** An upload store for the interview rules: the demo data has no attachments, so it is never asked. */
const noAttachments = () => Promise.reject(new Error('the demo data has no interview attachments'));
const NO_UPLOADS: UploadStore = {
  presignPut: noAttachments,
  find: noAttachments,
  readStart: noAttachments,
  scanStatus: noAttachments,
  copy: noAttachments,
  remove: noAttachments,
};

const CONCURRENT_WRITES = 16;

/**
 * Seeds six months of demo data ending `today` for the three sites, through the domain functions
 * the handlers call (so every rule, redaction and audit event applies), each write timed when it
 * "happened". Same seed and day, same data. Refuses (`SeedRefusedError`) while the programme is
 * paused, and when this seed's data is already there: a second run would duplicate the reports and
 * interviews, which have no natural key. Another seed can be added alongside: its themes are reused
 * and resources whose names the site already has are skipped.
 *
 * @example await seedDemoData(await services(), { scale: 1, seed: 1, today: new Date() })
 */
export async function seedDemoData(deps: Services, options: SeedOptions): Promise<SeedSummary> {
  const programme = await deps.programme.getProgramme();
  if (programme.state === 'paused') {
    throw new SeedRefusedError(
      'The programme is paused, so it takes no new data: resume it (PUT /programme as an admin) before seeding.',
    );
  }
  const plan = planDemoData(options);
  const [first, ...others] = plan.sites.flatMap((site) =>
    site.participants.map((p) => ({ site: site.site, p })),
  );
  if (!first) throw new Error('the demo plan has no participants');
  const marker = deps.pseudonymiseParticipant(first.site, canonicalParticipantRef(first.p.ref));
  if (await deps.capital.getSummary(first.site, marker)) {
    throw new SeedRefusedError(
      `This database already has the demo data of --seed ${plan.seed} (participant ${first.p.ref} at ${first.site}). ` +
        'Seeding it again would duplicate referral barriers and interviews: use another --seed, or start from an empty LOCAL_DATA_DIR.',
    );
  }

  const principal = (by: DemoActor): Principal => ({
    actor: deps.pseudonymise(demoSubject(by.user)),
    roles: [by.role],
    site: by.site,
  });
  const at = (when: Date) => ({ ...deps, now: () => when });
  const counts = Object.fromEntries(SITE_IDS.map((site) => [site, emptyCounts()])) as Record<SiteId, Counts>;

  const writeParticipant = async (site: SiteId, participant: PlannedParticipant) => {
    for (const check of participant.checks) {
      await recordCapitalCheck(at(check.at), principal(participant.by), site, check.body);
    }
    const c = counts[site];
    c.participants++;
    c.followUps += participant.checks.filter((check) => check.body.kind === 'follow-up').length;
    if (participant.exit) c.exits++;
  };
  // The first participant is written before anything else: it is what a rerun looks for.
  await writeParticipant(first.site, first.p);
  const themes = await writeThemes(deps, plan, principal);

  const tasks: (() => Promise<void>)[] = others.map(
    ({ site, p }) =>
      () =>
        writeParticipant(site, p),
  );
  for (const sitePlan of plan.sites) {
    const { site } = sitePlan;
    const c = counts[site];
    for (const pulse of sitePlan.pulses) {
      tasks.push(async () => {
        await submitPulse(at(pulse.at), principal(pulse.by), site, pulse.body);
        c.pulses++;
      });
    }
    for (const r of sitePlan.engagementReturns) {
      tasks.push(async () => {
        await submitEngagementReturn(at(r.at), principal(r.by), site, r.body.month, r.body.figures);
        c.engagementReturns++;
      });
    }
    for (const resource of sitePlan.communityResources) {
      tasks.push(async () => {
        try {
          await addCommunityResource(at(resource.at), principal(resource.by), site, resource.body);
          c.communityResources++;
        } catch (error) {
          // Already on the map from another seed's run, or a name the redaction rules now flag.
          if (!(error instanceof ConflictError || error instanceof ValidationError)) throw error;
          c.communityResourcesSkipped++;
        }
      });
    }
    for (const report of sitePlan.referralBarriers) {
      tasks.push(async () => {
        await submitReferralBarrier(at(report.at), principal(report.by), site, report.body);
        c.referralBarriers++;
      });
    }
    for (const interview of sitePlan.interviews) {
      tasks.push(async () => {
        const body: InterviewBody = {
          ...interview.body,
          findings: interview.body.findings.map(({ themeName, ...finding }) => ({
            ...finding,
            theme: themes.ids.get(themeKey(finding.area, themeName)) ?? '',
          })),
        };
        const receipt = await submitInterview(
          { ...at(interview.at), uploads: NO_UPLOADS, uploadScan: 'none' },
          principal(interview.by),
          site,
          body,
        );
        c.interviews++;
        c.findings += receipt.findings;
        c.quotes += receipt.quotes.publishable + receipt.quotes.notPublishable;
      });
    }
  }
  for (const sitePlan of plan.sites) {
    const c = counts[sitePlan.site];
    for (const feedback of sitePlan.feedback) {
      tasks.push(async () => {
        const link = await createFeedbackLink(at(feedback.madeAt), principal(feedback.by), sitePlan.site, {
          kind: feedback.kind,
          ...(feedback.participantRef ? { participantRef: feedback.participantRef } : {}),
        });
        c.feedbackLinks++;
        if (!feedback.answer) return;
        const receipt = await answerFeedback(at(feedback.answer.at), link.token, feedback.answer.body);
        c.feedbackAnswers++;
        if (receipt.interestPassedOn) c.involvementInterest++;
      });
    }
  }
  for (const change of plan.changes) {
    tasks.push(async () => {
      await recordChange(at(change.at), principal(change.by), change.body);
    });
  }
  await runAll(tasks, CONCURRENT_WRITES);

  const asOf = ukDate(options.today);
  for (const { site, participants, staff } of plan.sites) {
    const c = counts[site];
    c.staff = staff;
    for (const p of participants) {
      const last = p.checks.at(-1);
      if (!last || p.exit) continue;
      const { status } = followUpWindow(last.body.date, asOf);
      if (status === 'due') c.followUpsDue++;
      if (status === 'overdue') c.followUpsOverdue++;
    }
  }
  return {
    seed: plan.seed,
    scale: plan.scale,
    from: plan.from,
    to: plan.to,
    themes: { added: themes.added, reused: themes.reused },
    sites: counts,
  };
}

type Counts = { -readonly [K in keyof SiteSeedCounts]: number };

const emptyCounts = (): Counts => ({
  staff: 0,
  pulses: 0,
  participants: 0,
  followUps: 0,
  exits: 0,
  followUpsDue: 0,
  followUpsOverdue: 0,
  engagementReturns: 0,
  communityResources: 0,
  communityResourcesSkipped: 0,
  referralBarriers: 0,
  interviews: 0,
  findings: 0,
  quotes: 0,
  feedbackLinks: 0,
  feedbackAnswers: 0,
  involvementInterest: 0,
});

const themeKey = (area: string, name: string) => `${area}#${normaliseThemeName(name)}`;

/** Adds the demo themes, reusing any the codebook already has (same area, same name once normalised). */
async function writeThemes(
  deps: Services,
  plan: DemoPlan,
  principal: (by: DemoActor) => Principal,
): Promise<{ ids: ReadonlyMap<string, string>; added: number; reused: number }> {
  const ids = new Map<string, string>();
  for (const theme of await deps.codebook.listThemes()) ids.set(themeKey(theme.area, theme.name), theme.id);
  let added = 0;
  let reused = 0;
  for (const theme of plan.themes) {
    const key = themeKey(theme.body.area, theme.body.name);
    if (ids.has(key)) {
      reused++;
      continue;
    }
    const receipt = await addTheme({ ...deps, now: () => theme.at }, principal(theme.by), theme.body);
    ids.set(key, receipt.id);
    added++;
  }
  return { ids, added, reused };
}

/** Runs the tasks, `concurrency` at a time; the first failure stops new ones starting and is thrown. */
async function runAll(tasks: readonly (() => Promise<void>)[], concurrency: number): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < tasks.length) {
      const task = item(tasks, next++);
      try {
        await task();
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, tasks.length) }, worker));
}

// ── The words: all invented, none naming a person ──

const PULSE_COMMENTS = {
  good: [
    'Good supervision session this week, I felt listened to.',
    'Really rewarding week: two people went along to the allotment group for the first time.',
    'Team meeting helped us share out the new referrals fairly.',
    'Felt like the probation team finally understand what we do.',
    'A lovely moment when someone told me they had got their own flat.',
  ],
  usual: [
    'Quiet week, caught up on case notes.',
    'The training day on trauma-informed practice was useful.',
    'Spent a lot of time on the phone to housing, but we got there in the end.',
    'Travel between offices is eating into contact time.',
    'Busy but manageable.',
  ],
  strained: [
    'Too much admin this week and less time with the people I support.',
    'Caseload feels heavy since the new referrals came in.',
    'A difficult conversation on Tuesday; glad I could debrief afterwards.',
    'Waiting on housing for several people and it is frustrating for everyone.',
    'Covering for a colleague on leave, so everything took twice as long.',
  ],
} as const;

const BARRIER_NOTES: Readonly<Record<BarrierCode, readonly string[]>> = {
  'not-aware-of-service': [
    'Most of the team had not heard of the service until this month.',
    'New starters in the office are not told about link workers at induction.',
  ],
  'unclear-offer': [
    'Not clear how this differs from what the resettlement team already offers.',
    'People ask what a link worker actually does and we cannot say.',
  ],
  'referral-process': [
    'The referral form asks for information that is already on the case system.',
    'No reply for two weeks after sending a referral, so we stopped sending them.',
  ],
  'low-confidence-in-service': [
    'Worried people will be passed on again and lose trust in us.',
    'We have seen projects like this come and go before.',
  ],
  workload: [
    'Caseloads are too high to find time for another referral this month.',
    'Referrals slip to the bottom of the list when there are breach reports to write.',
  ],
  'eligibility-unclear': [
    'Unsure whether people on licence after a short sentence can be referred.',
    'Not sure if the service takes people who are still in treatment.',
  ],
  'person-declined': [
    'The person said they had had enough of services for now.',
    'Some people want to wait until their housing is sorted first.',
  ],
  other: ['Staff shortages on the wing meant fewer chances to talk about the service.'],
};

const ENABLER_NOTES: Readonly<Record<EnablerCode, readonly string[]>> = {
  'clear-offer': ['The one-page leaflet made it easy to explain the offer.'],
  'co-location': ['Having a link worker in the office on Thursdays made referring much easier.'],
  'link-worker-contact': ['Knowing exactly who to call makes a big difference.'],
  'quick-feedback': ['We heard back the same week about what happened after the referral.'],
  'training-briefing': ['The team briefing answered most of our questions.'],
  'shared-case-discussion': ['Talking cases through together helped us spot who would benefit.'],
  other: ['Being able to refer by email rather than a form helped.'],
};

/** Place-like words for made-up organisation names; every name they make passes the redaction rules. */
const RESOURCE_PREFIXES = [
  'Riverside',
  'Hillside',
  'Northgate',
  'Parkside',
  'Meadowbank',
  'Canalside',
  'Oakfield',
  'Millfield',
  'Eastfield',
  'Westgate',
  'Southbank',
  'Greenway',
  'Stonebridge',
  'Harbourside',
  'Moorside',
  'Castlegate',
  'Old Mill',
  'Orchard',
  'Heathside',
  'Fernhill',
  'Station Road',
  'Market Street',
  'Town Centre',
  'Valley',
  'Beacon',
  'Lighthouse',
  'Cornerstone',
  'Open Door',
  'New Leaf',
  'Fresh Start',
  'Common Ground',
  'Pathways',
  'Compass',
  'Anchor',
  'Horizon',
  'Oak Tree',
  'Brightside',
  'Springfield',
  'Hope Street',
  'Canal Street',
] as const;

// Checked against the redaction rules with every prefix and locality: words such as "Kitchen",
// "Gym", "Café", "Choir" or "Shed" read as surnames to the name tagger, so names using them were refused.
const RESOURCE_KINDS: Readonly<Record<ResourceType, readonly string[]>> = {
  'professional-service': [
    'Debt Advice Service',
    'Housing Advice Centre',
    'Employment Support Service',
    'Benefits Advice Service',
    'Welfare Rights Service',
    'Legal Advice Centre',
    'Community Mental Health Team',
  ],
  'mutual-aid-group': [
    'Recovery Group',
    'Peer Support Group',
    'Mutual Aid Network',
    'Recovery Hub',
    "Dads' Peer Support Group",
    "Women's Recovery Group",
  ],
  'community-asset': [
    'Community Garden Project',
    'Adult Learning Centre',
    'Football Project',
    'Community Meals Project',
    'Library Learning Hub',
    'Sports Hub',
    'Boxing Club',
    'Music Project',
  ],
  'grassroots-organisation': [
    'Allotment Group',
    'Walking Group',
    'Craft Group',
    'Food Bank',
    'Fishing Group',
    'Repair Group',
    'Cycling Group',
    'Art Group',
    'Cooking Group',
    'Running Club',
    'Gardening Club',
    'Bike Project',
  ],
};

const LOCALITIES: Readonly<Record<SiteId, readonly string[]>> = {
  'yorkshire-humber': ['Leeds', 'Bradford', 'Hull', 'Wakefield', 'Doncaster', 'Sheffield'],
  'north-east': ['Newcastle', 'Gateshead', 'Sunderland', 'Middlesbrough', 'Durham', 'Hartlepool'],
  london: ['Lambeth', 'Southwark', 'Hackney', 'Croydon', 'Newham', 'Lewisham'],
};

const SUITS_DESCRIPTIONS: Readonly<Record<ResourceSuit, readonly string[]>> = {
  age: ['Young adults aged 18 to 25', 'People over 50'],
  faith: ['Run by a local faith community, open to all'],
  ethnicity: ['Run by and for the local South Asian community', 'A group for the local Somali community'],
  gender: ['Women only sessions', 'A group for dads'],
  disability: ['Step-free venue with a hearing loop'],
  other: ['People who have been in prison in the last year'],
};

interface ThemeContent {
  readonly area: QuestionAreaCode;
  readonly name: string;
  readonly stance: (typeof STANCES)[number];
  readonly outcomes: readonly OutcomeCode[];
  readonly summaries: readonly string[];
  readonly quotes: readonly string[];
}

/** The evaluators' codebook themes, and what interviews coded under them said. */
const THEMES: readonly ThemeContent[] = [
  {
    area: '4.3',
    name: 'Capital check feels like a conversation',
    stance: 'enabler',
    outcomes: ['e', 'f'],
    summaries: [
      'The strengths section starts a real conversation; people were surprised to be asked what is going well.',
      'The check takes about twenty minutes in a familiar place, longer in a probation office.',
    ],
    quotes: [
      'It was the first form that asked what I am good at, not what I did wrong.',
      'We sat in the café and did it, it did not feel like a test.',
      'Doing it again after three months showed me how far I had come.',
    ],
  },
  {
    area: '4.3',
    name: 'Follow-ups slip when contact lapses',
    stance: 'barrier',
    outcomes: [],
    summaries: [
      'Repeat checks at 90 days were missed when people changed phone numbers or moved; staff asked for diary reminders.',
      'People who stopped engaging early are missing from the distance travelled, so it may look better than it is.',
    ],
    quotes: [
      'By the time the follow-up came round I had lost touch with half of them.',
      'A reminder a week before would save me digging through my notes.',
    ],
  },
  {
    area: '4.3',
    name: 'Distance travelled shows small steps',
    stance: 'enabler',
    outcomes: ['a', 'b', 'd'],
    summaries: [
      'Scores for home and money moved first; recovery and relationships moved more slowly and sometimes dipped before improving.',
    ],
    quotes: [
      'The numbers only go up a little, but for some people that is huge.',
      'Seeing it written down made me believe it.',
    ],
  },
  {
    area: '4.4',
    name: 'Supervision makes the work sustainable',
    stance: 'enabler',
    outcomes: ['j'],
    summaries: [
      'Regular clinical supervision was described as what keeps link workers in post, especially after difficult disclosures.',
    ],
    quotes: [
      'Without supervision I would have burnt out by now.',
      'Having somewhere to take the hard stuff means I do not carry it home.',
    ],
  },
  {
    area: '4.4',
    name: 'Admin load crowds out contact time',
    stance: 'barrier',
    outcomes: ['j'],
    summaries: [
      'Staff estimate a third of their week goes on recording and chasing other services rather than time with people.',
      'Duplicate recording across two case systems was the most common complaint.',
    ],
    quotes: [
      'I came into this to be with people, not to fill in forms.',
      'Every visit means writing the same thing up twice.',
    ],
  },
  {
    area: '4.4',
    name: 'Lived experience valued in recruitment',
    stance: 'enabler',
    outcomes: ['j'],
    summaries: [
      'Recruiting people with lived experience helped trust, but vetting delays held up two start dates by several weeks.',
    ],
    quotes: [
      'They trust me because I have been where they are.',
      'The vetting took so long I nearly took another job.',
    ],
  },
  {
    area: '4.5',
    name: 'Practitioners unsure what the offer is',
    stance: 'barrier',
    outcomes: ['i'],
    summaries: [
      'Probation practitioners often confused the service with existing resettlement support and did not know who was eligible.',
    ],
    quotes: [
      'I thought it was just another name for the resettlement team.',
      'Nobody told us who we could refer.',
    ],
  },
  {
    area: '4.5',
    name: 'Co-location builds referrals',
    stance: 'enabler',
    outcomes: ['i'],
    summaries: [
      'Where a link worker spent a day a week in the probation office, referrals rose and practitioners felt more confident.',
    ],
    quotes: [
      'Having them down the corridor makes it easy to ask.',
      'I refer more now I can put a face to the service.',
    ],
  },
  {
    area: '4.5',
    name: 'Referral process too slow',
    stance: 'barrier',
    outcomes: ['i'],
    summaries: [
      'A long referral form and slow replies put practitioners off; a shorter form trialled mid-way was welcomed.',
    ],
    quotes: [
      'The form is longer than the pre-sentence report.',
      'If I do not hear back I assume nothing happened.',
    ],
  },
  {
    area: '4.6',
    name: 'First appointment nerves',
    stance: 'barrier',
    outcomes: ['e'],
    summaries: [
      'People described being anxious before the first appointment; meeting somewhere informal and being met at the door helped.',
    ],
    quotes: [
      'I nearly did not go in the first time.',
      'I thought it would be another office telling me what to do.',
    ],
  },
  {
    area: '4.6',
    name: 'Flexible meeting places keep people engaged',
    stance: 'enabler',
    outcomes: ['e', 'f'],
    summaries: [
      'Meeting in cafés, parks and community centres rather than offices was the reason most often given for keeping going.',
    ],
    quotes: [
      'We just go for a walk and talk, it is easier than sitting across a desk.',
      'They come to me, I do not have to get two buses.',
    ],
  },
  {
    area: '4.6',
    name: 'Texts and reminders help attendance',
    stance: 'enabler',
    outcomes: [],
    summaries: [
      'A text the day before an appointment was credited with fewer missed sessions, especially for people in temporary housing.',
    ],
    quotes: [
      'The text the night before is the only reason I remember.',
      'I lose letters, but I always see a text.',
    ],
  },
  {
    area: '4.7',
    name: 'Small groups need light-touch paperwork',
    stance: 'barrier',
    outcomes: ['g'],
    summaries: [
      'Volunteer-run groups found the safeguarding and monitoring forms daunting; a simple agreement worked better.',
    ],
    quotes: [
      'We are three volunteers and a kettle, we cannot do a twenty page form.',
      'We want to help, but the paperwork scares people off.',
    ],
  },
  {
    area: '4.7',
    name: 'Seed funding starts new peer groups',
    stance: 'enabler',
    outcomes: ['g', 'f'],
    summaries: [
      'Small grants of a few hundred pounds paid for room hire and equipment that got new peer groups going.',
    ],
    quotes: [
      'A few hundred pounds for the room and the tea and we were off.',
      'The grant meant we could buy proper fishing gear to lend out.',
    ],
  },
  {
    area: '4.7',
    name: 'Going along to the first session together',
    stance: 'enabler',
    outcomes: ['e', 'f'],
    summaries: [
      'People were far more likely to keep going to a group when their link worker went with them the first time.',
    ],
    quotes: [
      'I would never have walked in on my own.',
      'After the first time I knew some faces, so I kept going.',
    ],
  },
  {
    area: '4.8',
    name: 'Housing waiting times stall progress',
    stance: 'barrier',
    outcomes: ['a', 'h'],
    summaries: [
      'Long waits for settled accommodation held back other goals; link workers spent much of their time chasing housing.',
    ],
    quotes: [
      'It is hard to think about work when you do not know where you are sleeping next month.',
      'We can do all the other stuff, but without a home it falls apart.',
    ],
  },
  {
    area: '4.8',
    name: 'Benefits advice joined up with link work',
    stance: 'enabler',
    outcomes: ['b'],
    summaries: [
      'A benefits adviser taking referrals straight from link workers meant claims were sorted in weeks rather than months.',
    ],
    quotes: [
      'They sorted my claim in one go, I did not have to explain everything again.',
      'It felt like everyone was on the same page for once.',
    ],
  },
  {
    area: '4.8',
    name: 'Employment support needs warm handovers',
    stance: 'neutral',
    outcomes: ['c'],
    summaries: [
      'Handovers to employment support worked when introduced in person, and were often lost when done by letter.',
    ],
    quotes: [
      'Being introduced properly made me actually go.',
      'I got a letter with an appointment and just did not go.',
    ],
  },
];
