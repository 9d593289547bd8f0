import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { suppressSmallGroups } from '../../shared/domain/disclosure';

const policy = { minGroupSize: 5 };

describe('suppressSmallGroups', () => {
  it('shows the programme and suppresses every site of two or three staff', () => {
    const result = suppressSmallGroups(9, { a: 3, b: 3, c: 3 }, policy);
    expect(result.total).toEqual({ shown: true });
    expect(Object.values(result.parts).every((d) => !d.shown)).toBe(true);
  });

  it('suppresses a group with fewer than 5 respondents, saying why', () => {
    const result = suppressSmallGroups(4, { a: 4 }, policy);
    expect(result.total).toEqual({ shown: false, reason: 'fewer than 5 distinct respondents' });
  });

  it('suppresses a shown site when the programme minus it would leave fewer than 5', () => {
    const result = suppressSmallGroups(8, { a: 6, b: 1, c: 1 }, policy);
    expect(result.total.shown).toBe(true);
    expect(result.parts.a.shown).toBe(false);
  });

  it('shows a site when what remains of the programme is at least 5', () => {
    const result = suppressSmallGroups(11, { a: 6, b: 3, c: 2 }, policy);
    expect(result.parts.a).toEqual({ shown: true });
  });

  it('shows every site when the programme is exactly their sum and each is large enough', () => {
    const result = suppressSmallGroups(15, { a: 5, b: 5, c: 5 }, policy);
    expect([result.total, ...Object.values(result.parts)].every((d) => d.shown)).toBe(true);
  });

  it('never shows a small group, and never leaves a small remainder to subtract', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 2, max: 12 }),
        (counts, k) => {
          const parts = Object.fromEntries(counts.map((n, i) => [`s${i}`, n]));
          const total = counts.reduce((a, b) => a + b, 0);
          const result = suppressSmallGroups(total, parts, { minGroupSize: k });
          const shown = Object.keys(parts).filter((key) => result.parts[key]?.shown);
          for (const key of shown) expect(parts[key]).toBeGreaterThanOrEqual(k);
          if (result.total.shown) {
            expect(total).toBeGreaterThanOrEqual(k);
            const residual = total - shown.reduce((sum, key) => sum + (parts[key] ?? 0), 0);
            expect(residual === 0 || residual >= k).toBe(true);
          } else {
            expect(total).toBeLessThan(k);
          }
        },
      ),
    );
  });
});
