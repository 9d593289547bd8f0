import { describe, expect, it } from 'vitest';
import { plainDetail, POLICY_FIELDS } from '../../functions/web/pages/admin';
import { dayText, sizeText, timeText } from '../../functions/web/pages/market';
import { packPolicySchema } from '../../functions/packs/policy';

describe('the wording of the market and admin pages', () => {
  it('puts a schema problem in plain English', () => {
    expect(plainDetail('Too small: expected number to be >=2')).toBe('must be 2 or more');
    expect(plainDetail('Too big: expected number to be <=100')).toBe('must be 100 or less');
    expect(plainDetail('Invalid input: expected number, received string')).toBe('must be a whole number');
    expect(plainDetail('Invalid input: expected int, received number')).toBe('must be a whole number');
    expect(plainDetail('is required')).toBe('is required');
    expect(plainDetail('must be on or before `to`')).toBe('must be on or before `to`');
  });

  it('writes dates and times as UK time, and sizes in bytes, KB and MB', () => {
    expect(dayText('2025-01-01')).toBe('1 January 2025');
    expect(dayText('not a date')).toBe('not a date');
    // 18:30 UTC in summer is 19:30 in London.
    expect(timeText('2026-07-01T18:30:00Z')).toBe('1 July 2026 at 19:30');
    expect(timeText('2026-12-01T18:30:00Z')).toBe('1 December 2026 at 18:30');
    expect(timeText('soon')).toBe('soon');
    expect(sizeText(512)).toBe('512 bytes');
    expect(sizeText(12 * 1024)).toBe('12 KB');
    expect(sizeText(3.5 * 1024 * 1024)).toBe('3.5 MB');
  });

  it('asks for every field of the disclosure policy an admin sends, and no other', () => {
    expect(POLICY_FIELDS.map((field) => field.name).sort()).toEqual(
      Object.keys(packPolicySchema.shape).sort(),
    );
  });
});
