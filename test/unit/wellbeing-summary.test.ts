import { describe, expect, it } from 'vitest';
import type { SiteId } from '../../shared/domain/sites';
import { type StoredPulse, summarisePulses } from '../../functions/wellbeing/wellbeing';

const allFours = {
  supported: 4,
  supervision: 4,
  training: 4,
  caseload: 4,
  safety: 4,
  emotionalLoad: 4,
  remitClarity: 4,
  intentionToStay: 4,
};

function pulse(site: SiteId, respondent: string, overrides: Partial<StoredPulse> = {}): StoredPulse {
  return {
    site,
    respondent,
    week: '2026-W48',
    monday: '2026-11-23',
    questionnaireVersion: 1,
    answers: allFours,
    submittedAt: '2026-11-23T10:00:00.000Z',
    ...overrides,
  };
}

const threePerSite = (['yorkshire-humber', 'north-east', 'london'] as const).flatMap((site) =>
  [1, 2, 3].map((n) => pulse(site, `${site}-${n}`)),
);

describe('summarisePulses', () => {
  it('shows the programme of nine and suppresses each site of three', () => {
    const groups = summarisePulses(threePerSite, { minGroupSize: 5 });
    expect(groups[0]).toMatchObject({ scope: 'programme', status: 'shown', respondents: 9, checkIns: 9 });
    expect(groups.slice(1).map((g) => g.status)).toEqual(['suppressed', 'suppressed', 'suppressed']);
  });

  it('gives suppressed groups a reason and no figures at all', () => {
    const london = summarisePulses(threePerSite, { minGroupSize: 5 }).find((g) => g.site === 'london');
    expect(london).toEqual({
      scope: 'site',
      site: 'london',
      status: 'suppressed',
      reason: 'fewer than 5 distinct respondents',
    });
  });

  it('counts distinct respondents, not check-ins, against the threshold', () => {
    const sameFourTwice = [1, 2, 3, 4].flatMap((n) => [
      pulse('london', `p${n}`),
      pulse('london', `p${n}`, { monday: '2026-11-30', week: '2026-W49' }),
    ]);
    const [programme] = summarisePulses(sameFourTwice, { minGroupSize: 5 });
    expect(programme?.status).toBe('suppressed');
  });

  it('averages each item over check-ins to one decimal place', () => {
    const pulses = threePerSite.map((p, i) => (i === 0 ? { ...p, answers: { ...allFours, safety: 1 } } : p));
    const [programme] = summarisePulses(pulses, { minGroupSize: 5 });
    expect(programme?.status === 'shown' && programme.items.find((item) => item.id === 'safety')?.mean).toBe(
      3.7,
    );
  });

  it('counts comments without ever returning one', () => {
    const pulses = threePerSite.map((p, i) => (i < 2 ? { ...p, comment: 'a hard week' } : p));
    const groups = summarisePulses(pulses, { minGroupSize: 5 });
    expect(groups[0]).toMatchObject({ comments: 2 });
    expect(JSON.stringify(groups)).not.toContain('a hard week');
  });
});
