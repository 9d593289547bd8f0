import { describe, expect, it } from 'vitest';
import { findPage } from '../../functions/web/pages';
import { dateField, removedText, ukDateTime, ukTimeText } from '../../functions/web/pages/evaluator-forms';

describe('the evaluator pages’ form fields', () => {
  it('reads a GOV.UK date input as YYYY-MM-DD, passes on what is not a date for the API to refuse, and nothing when empty', () => {
    const form = new URLSearchParams({ 'date-day': '7', 'date-month': '3', 'date-year': '2026' });
    expect(dateField(form, 'date')).toBe('2026-03-07');
    expect(
      dateField(new URLSearchParams({ 'date-day': 'x', 'date-month': '3', 'date-year': '2026' }), 'date'),
    ).toBe('2026-3-x');
    expect(dateField(new URLSearchParams({ 'date-day': ' ' }), 'date')).toBeUndefined();
  });

  it('sends a UK release time with the offset UK time has on that day (GMT in winter, BST in summer)', () => {
    expect(ukDateTime('2026-01-15', '9', '30')).toBe('2026-01-15T09:30:00+00:00');
    expect(ukDateTime('2026-07-01', '14', '5')).toBe('2026-07-01T14:05:00+01:00');
    // The first hour of summer time and the last of winter time.
    expect(ukDateTime('2026-03-29', '3', '00')).toBe('2026-03-29T03:00:00+01:00');
    expect(ukDateTime('2026-03-29', '0', '30')).toBe('2026-03-29T00:30:00+00:00');
    expect(new Date(ukDateTime('2026-07-01', '14', '05') ?? '').toISOString()).toBe(
      '2026-07-01T13:05:00.000Z',
    );
    expect(ukDateTime('2026-13-01', '9', '00')).toBe('2026-13-01T09:00:00');
    expect(ukDateTime(undefined, '', '')).toBeUndefined();
    expect(ukTimeText('2026-07-01T13:05:00Z')).toBe('1 July 2026 at 2:05pm');
  });

  it('words what redaction removed in the API’s order of kinds, singular or plural, from a list or a record', () => {
    expect(
      removedText([
        { kind: 'phone', count: 1 },
        { kind: 'name', count: 2 },
      ]),
    ).toEqual(['1 phone number', '2 names']);
    expect(removedText({ name: 1, postcode: 3, email: 0 })).toEqual(['3 postcodes', '1 name']);
    expect(removedText(undefined)).toEqual([]);
  });

  it('finds a page by a path with an id, the fixed paths before the ones with an id', () => {
    expect(findPage('/evaluate/packs/build')).toMatchObject({ id: 'buildPack' });
    expect(findPage('/evaluate/packs/4b0f6f8e-0f7e-4b8e-9d7a-1f2e3d4c5b6a')).toMatchObject({ id: 'pack' });
    expect(findPage('/evaluate/packs/4b0f6f8e-0f7e-4b8e-9d7a-1f2e3d4c5b6a/publish')).toMatchObject({
      id: 'publishPack',
    });
    expect(findPage('/site/london/interviews/record')).toMatchObject({
      id: 'recordInterview',
      site: 'london',
    });
    expect(findPage('/site/london/interviews/abc')).toMatchObject({ id: 'interview', site: 'london' });
    expect(findPage('/evaluate/packs/a/b/c')).toBeUndefined();
  });
});
