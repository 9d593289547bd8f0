import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { participantRefCipher } from '../../shared/adapters/participant-refs';
import {
  type AgeBand,
  applyCheck,
  canonicalParticipantRef,
  capitalCheckBodySchema,
  type CheckKind,
  followUpWindow,
  nationalIdentifierKind,
  type ParticipantSummary,
  type StoredCheck,
} from '../../functions/participants/participants';
import { capitalCheckInstrumentSchema } from '../../functions/platform/routes';
import { ConflictError, ValidationError } from '../../shared/domain/errors';
import { addDays, ukDate } from '../../shared/domain/iso-week';
import { CAPITAL_CHECK_V1, type StrengthDomainId } from '../../shared/domain/questionnaires';
import type { SiteId } from '../../shared/domain/sites';
import { capitalBody } from '../support/capital';

const TODAY = '2025-06-30';
const SEALED = 'v1.sealed';
const DOMAINS = CAPITAL_CHECK_V1.sections.strengths.domains.map((d) => d.id);
const BARRIERS = CAPITAL_CHECK_V1.sections.barriers.items.map((i) => i.id);
const NEEDS = CAPITAL_CHECK_V1.sections.needs.items.map((i) => i.id);

let ids = 0;
function check(
  kind: CheckKind,
  date: string,
  overrides: Partial<Omit<StoredCheck, 'kind' | 'date'>> = {},
): StoredCheck {
  const body = capitalBody('CLW-1', { kind, date });
  return {
    id: `check-${++ids}`,
    site: 'north-east',
    participant: 'p1',
    kind,
    date,
    questionnaireVersion: 1,
    ...(kind === 'baseline' ? { ageBand: '26-35' } : {}),
    barriers: body.barriers,
    needs: body.needs,
    strengths: body.strengths,
    recordedAt: `${TODAY}T10:00:00.000Z`,
    ...overrides,
  };
}

const baselineOn = (date: string, overrides: Partial<StoredCheck> = {}): ParticipantSummary =>
  applyCheck(undefined, check('baseline', date, overrides), TODAY, SEALED).summary;

/** What `fn` throws, for asserting on its class and fields. */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

const scores = fc.record(
  Object.fromEntries(DOMAINS.map((id) => [id, fc.integer({ min: 1, max: 5 })])) as Record<
    StrengthDomainId,
    fc.Arbitrary<number>
  >,
);
const answers = (ids: readonly string[]) =>
  fc.record(Object.fromEntries(ids.map((id) => [id, fc.boolean()])));
const yesCount = (a: Readonly<Record<string, boolean>>) => Object.values(a).filter(Boolean).length;

describe('applyCheck: distance travelled', () => {
  it('is, per strength domain, the latest score minus the baseline score, and the change in barrier and need counts', () => {
    fc.assert(
      fc.property(
        scores,
        scores,
        answers(BARRIERS),
        answers(BARRIERS),
        answers(NEEDS),
        answers(NEEDS),
        fc.constantFrom<CheckKind>('follow-up', 'exit'),
        (before, after, barriersBefore, barriersAfter, needsBefore, needsAfter, kind) => {
          const summary = baselineOn('2025-01-06', {
            strengths: before,
            barriers: barriersBefore as StoredCheck['barriers'],
            needs: needsBefore as StoredCheck['needs'],
          });
          const later = check(kind, '2025-04-06', {
            strengths: after,
            barriers: barriersAfter as StoredCheck['barriers'],
            needs: needsAfter as StoredCheck['needs'],
          });
          const { distanceTravelled, summary: updated } = applyCheck(summary, later, TODAY, SEALED);
          for (const id of DOMAINS) expect(distanceTravelled?.strengths[id]).toBe(after[id] - before[id]);
          expect(distanceTravelled?.barriers).toBe(yesCount(barriersAfter) - yesCount(barriersBefore));
          expect(distanceTravelled?.needs).toBe(yesCount(needsAfter) - yesCount(needsBefore));
          expect(distanceTravelled).toMatchObject({ since: '2025-01-06', to: '2025-04-06' });
          expect(updated.distanceTravelled).toEqual(distanceTravelled);
        },
      ),
    );
  });

  it('measures every follow-up against the baseline, not the previous follow-up', () => {
    const baseline = baselineOn('2025-01-06', { strengths: capitalBody('x', { score: 1 }).strengths });
    const followUp = applyCheck(
      baseline,
      check('follow-up', '2025-04-06', { strengths: capitalBody('x', { score: 3 }).strengths }),
      TODAY,
      SEALED,
    );
    const exit = applyCheck(
      followUp.summary,
      check('exit', '2025-06-06', { strengths: capitalBody('x', { score: 4 }).strengths }),
      TODAY,
      SEALED,
    );
    const distances = [followUp.distanceTravelled, exit.distanceTravelled];
    const summary = exit.summary;
    expect(distances.map((d) => d?.strengths.finance)).toEqual([2, 3]);
    expect(summary).toMatchObject({ checks: 3, exited: true, nextFollowUpDue: null, version: 3 });
  });

  it('has no distance for a baseline, and sets the next follow-up 90 days on', () => {
    const applied = applyCheck(undefined, check('baseline', '2025-01-06'), TODAY, SEALED);
    expect(applied.distanceTravelled).toBeNull();
    expect(applied.summary).toMatchObject({
      nextFollowUpDue: '2025-04-06',
      exited: false,
      checks: 1,
      version: 1,
      reference: SEALED,
      ageBand: '26-35',
    });
  });
});

describe('applyCheck: the order of checks', () => {
  it('refuses a second baseline as a conflict', () => {
    const summary = baselineOn('2025-01-06');
    expect(thrown(() => applyCheck(summary, check('baseline', '2025-02-01'), TODAY, SEALED))).toBeInstanceOf(
      ConflictError,
    );
  });

  it.each<CheckKind>(['follow-up', 'exit'])('refuses a %s with no baseline as a conflict', (kind) => {
    expect(thrown(() => applyCheck(undefined, check(kind, '2025-02-01'), TODAY, SEALED))).toBeInstanceOf(
      ConflictError,
    );
  });

  it.each(['2025-01-05', '2025-01-06'])(
    'refuses a follow-up dated %s, not after the baseline of 2025-01-06, at /body/date',
    (date) => {
      const error = thrown(() =>
        applyCheck(baselineOn('2025-01-06'), check('follow-up', date), TODAY, SEALED),
      ) as ValidationError;
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.errors).toEqual([
        { pointer: '/body/date', detail: expect.stringContaining('follow-up before baseline') as unknown },
      ]);
    },
  );

  it('refuses anything after an exit as a conflict', () => {
    const exited = applyCheck(baselineOn('2025-01-06'), check('exit', '2025-03-01'), TODAY, SEALED).summary;
    expect(thrown(() => applyCheck(exited, check('follow-up', '2025-05-01'), TODAY, SEALED))).toBeInstanceOf(
      ConflictError,
    );
  });

  it('keeps the baseline reference and age band when later checks come', () => {
    const later = applyCheck(
      baselineOn('2025-01-06'),
      check('follow-up', '2025-04-01', { ageBand: '36-49' }),
      TODAY,
      'v1.other',
    );
    expect(later.summary).toMatchObject({ reference: SEALED, ageBand: '26-35' });
  });
});

describe('applyCheck: dates and cohorts', () => {
  it('refuses a check dated after today', () => {
    const error = thrown(() => applyCheck(undefined, check('baseline', '2025-07-01'), TODAY, SEALED));
    expect(error).toMatchObject({ errors: [{ pointer: '/body/date' }] });
  });

  it('accepts a check dated today', () => {
    expect(applyCheck(undefined, check('baseline', TODAY), TODAY, SEALED).summary.lastCheck.date).toBe(TODAY);
  });

  it('refuses a check dated before 2024', () => {
    const error = thrown(() => applyCheck(undefined, check('baseline', '2023-12-31'), TODAY, SEALED));
    expect(error).toMatchObject({ errors: [{ pointer: '/body/date' }] });
  });

  it('requires an age band on a baseline', () => {
    const { ageBand: _omitted, ...noBand } = check('baseline', '2025-01-06');
    const error = thrown(() => applyCheck(undefined, noBand, TODAY, SEALED));
    expect(error).toMatchObject({
      errors: [{ pointer: '/body/ageBand', detail: 'is required for a baseline' }],
    });
  });

  it('does not need an age band after the baseline', () => {
    const followUp = check('follow-up', '2025-04-01');
    expect(followUp.ageBand).toBeUndefined();
    expect(applyCheck(baselineOn('2025-01-06'), followUp, TODAY, SEALED).summary.checks).toBe(2);
  });

  it.each<[SiteId, AgeBand, boolean]>([
    ['london', 'under-18', false],
    ['london', '18-20', true],
    ['london', '21-25', true],
    ['london', '26-35', false],
    ['london', '50-plus', false],
    ['north-east', '26-35', true],
    ['yorkshire-humber', 'under-18', true],
  ])('at %s, a baseline for age band %s is accepted: %s', (site, ageBand, accepted) => {
    const attempt = () =>
      applyCheck(undefined, check('baseline', '2025-01-06', { site, ageBand }), TODAY, SEALED);
    if (accepted) {
      expect(attempt().summary.ageBand).toBe(ageBand);
    } else {
      expect(thrown(attempt)).toMatchObject({
        errors: [{ pointer: '/body/ageBand', detail: expect.stringContaining('18 to 25') as unknown }],
      });
    }
  });
});

describe('followUpWindow', () => {
  it.each([
    [75, 'not-yet'],
    [76, 'due'],
    [90, 'due'],
    [104, 'due'],
    [105, 'overdue'],
  ])('%i days after the last check, the follow-up is %s', (days, status) => {
    expect(followUpWindow('2025-01-06', addDays('2025-01-06', days)).status).toBe(status);
  });

  it('is due from 76 days and by 104 days after the last check, for any date', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2024-01-01T00:00:00Z'),
          max: new Date('2030-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.integer({ min: 0, max: 400 }),
        (at, days) => {
          const last = at.toISOString().slice(0, 10);
          const window = followUpWindow(last, addDays(last, days));
          expect(window.dueFrom).toBe(addDays(last, 76));
          expect(window.dueBy).toBe(addDays(last, 104));
          expect(window.status).toBe(days < 76 ? 'not-yet' : days <= 104 ? 'due' : 'overdue');
        },
      ),
    );
  });
});

describe('ukDate', () => {
  it('gives the UK calendar date, which in summer starts an hour before UTC’s', () => {
    expect(ukDate(new Date('2025-07-01T23:30:00Z'))).toBe('2025-07-02');
    expect(ukDate(new Date('2025-12-01T23:30:00Z'))).toBe('2025-12-01');
  });
});

describe('the capital check body', () => {
  it('accepts a complete check', () => {
    expect(capitalCheckBodySchema.safeParse(capitalBody('CLW-0042')).success).toBe(true);
  });

  it.each([
    [
      'a score out of range',
      { strengths: { ...capitalBody('a').strengths, finance: 6 } },
      ['strengths', 'finance'],
    ],
    ['an unknown item', { needs: { ...capitalBody('a').needs, pets: true } }, ['needs']],
    ['an extra field', { name: 'Jo' }, []],
    ['a reference with a space', { participantRef: 'CLW 1' }, ['participantRef']],
    ['an unknown age band', { ageBand: '18-25' }, ['ageBand']],
  ])('refuses %s', (_case, change, path) => {
    const result = capitalCheckBodySchema.safeParse({ ...capitalBody('CLW-0042'), ...change });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(path);
  });

  it.each([
    ['X123456', 'CRN'],
    ['x123456', 'CRN'],
    ['QQ123456C', 'National Insurance'],
    ['QQ-12-34-56-C', 'National Insurance'],
    ['A1234BC', 'NOMS'],
    ['2012-0052494X', 'PNC'],
    ['20120052494X', 'PNC'],
  ])('refuses the national identifier %s as a reference (%s)', (ref, kind) => {
    expect(nationalIdentifierKind(ref)).toContain(kind);
    const result = capitalCheckBodySchema.safeParse(capitalBody(ref));
    expect(result.error?.issues.map((i) => i.path)).toEqual([['participantRef']]);
  });

  it.each(['CLW-0042', 'LDN_17', 'p12', 'AB1234', 'X1234567', 'NE-X123456'])(
    'accepts the provider reference %s',
    (ref) => {
      expect(nationalIdentifierKind(ref)).toBeUndefined();
    },
  );

  it('matches references whatever their case', () => {
    expect(canonicalParticipantRef('clw-12')).toBe(canonicalParticipantRef('CLW-12'));
  });

  it('is described by an instrument that passes its own published schema', () => {
    expect(capitalCheckInstrumentSchema.parse(CAPITAL_CHECK_V1)).toEqual(CAPITAL_CHECK_V1);
  });

  it('maps each strength domain to one of the person-level outcomes a-f, each outcome once', () => {
    expect(CAPITAL_CHECK_V1.sections.strengths.domains.map((d) => d.outcome).sort()).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e',
      'f',
    ]);
  });
});

describe('participantRefCipher', () => {
  const cipher = participantRefCipher(randomBytes(32));
  const refs = fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/);

  it('opens what it sealed for the same site', () => {
    fc.assert(
      fc.property(refs, fc.constantFrom<SiteId>('london', 'north-east', 'yorkshire-humber'), (ref, site) => {
        expect(cipher.open(site, cipher.seal(site, ref))).toBe(ref);
      }),
    );
  });

  it('never contains the reference, and seals it differently each time', () => {
    const one = cipher.seal('london', 'CLW-0042');
    const two = cipher.seal('london', 'CLW-0042');
    expect(one).not.toContain('CLW-0042');
    expect(one).not.toBe(two);
  });

  it('refuses to open a reference sealed for another site', () => {
    const sealed = cipher.seal('london', 'CLW-0042');
    expect(() => cipher.open('north-east', sealed)).toThrow();
  });

  it('refuses to open a reference sealed with another key', () => {
    const sealed = participantRefCipher(randomBytes(32)).seal('london', 'CLW-0042');
    expect(() => cipher.open('london', sealed)).toThrow();
  });

  it('refuses to open a sealed reference that was altered', () => {
    const [format, iv, data, tag] = cipher.seal('london', 'CLW-0042').split('.');
    const flipped = Buffer.from(data ?? '', 'base64url');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(() => cipher.open('london', [format, iv, flipped.toString('base64url'), tag].join('.'))).toThrow();
  });
});
