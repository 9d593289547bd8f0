import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BARRIER_CODES,
  type BarrierCode,
  buildReferralBarrier,
  ENABLER_CODES,
  referralBarrierBodySchema,
} from '../../functions/referrals/referral-barriers';

const minimal = { reporterRole: 'prison-staff', source: 'provider-feedback', referring: 'no' } as const;
const principal = { actor: 'pseudonym-1', roles: ['practitioner'] as const, site: 'london' as const };

describe('referralBarrierBodySchema', () => {
  it('has the barrier and enabler codes learning packs rely on, each with a label', () => {
    expect(Object.keys(BARRIER_CODES)).toEqual(
      expect.arrayContaining([
        'not-aware-of-service',
        'unclear-offer',
        'referral-process',
        'low-confidence-in-service',
        'workload',
        'eligibility-unclear',
        'other',
      ]),
    );
    expect(Object.keys(ENABLER_CODES)).toEqual(
      expect.arrayContaining([
        'clear-offer',
        'co-location',
        'link-worker-contact',
        'quick-feedback',
        'other',
      ]),
    );
    for (const label of [...Object.values(BARRIER_CODES), ...Object.values(ENABLER_CODES)]) {
      expect(label.length).toBeGreaterThan(0);
    }
  });

  it('points at the second occurrence of any repeated barrier, wherever it is', () => {
    const codes = Object.keys(BARRIER_CODES) as BarrierCode[];
    const distinct = fc.shuffledSubarray(codes, { minLength: 1 });
    fc.assert(
      fc.property(distinct, fc.nat(), fc.nat(), (list, pick, at) => {
        const repeated = list[pick % list.length] as BarrierCode;
        const position = at % (list.length + 1);
        const withRepeat = [...list];
        withRepeat.splice(position, 0, repeated);
        const firstIndex = withRepeat.indexOf(repeated);
        const secondIndex = withRepeat.indexOf(repeated, firstIndex + 1);
        const result = referralBarrierBodySchema.safeParse({
          ...minimal,
          barriers: withRepeat.slice(0, codes.length).map((code) => ({ code, severity: 'low' })),
        });
        if (secondIndex >= codes.length) return;
        expect(result.error?.issues.map((i) => i.path)).toEqual([['barriers', secondIndex, 'code']]);
      }),
    );
  });
});

describe('buildReferralBarrier', () => {
  it('stores empty lists for a minimal report and no note', () => {
    const { report, redacted } = buildReferralBarrier(principal, 'london', minimal, new Date(0), 'id-1');
    expect(report).toEqual({
      id: 'id-1',
      site: 'london',
      reporter: 'pseudonym-1',
      ...minimal,
      barriers: [],
      enablers: [],
      submittedAt: '1970-01-01T00:00:00.000Z',
    });
    expect(redacted).toEqual({});
  });

  it('keeps a redacted note and reports what went', () => {
    const { report, redacted } = buildReferralBarrier(
      principal,
      'london',
      { ...minimal, note: 'Email duty@example.org for referrals' },
      new Date(0),
      'id-2',
    );
    expect(report.note).not.toContain('duty@example.org');
    expect(redacted).toMatchObject({ email: 1 });
  });
});
