import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactFreeText } from '../../shared/domain/redaction';

describe('redactFreeText', () => {
  it.each([
    ['Email jo.bloggs@example.org please', 'email', 'Email [email removed] please'],
    ['Ring 07700 900123 after 5', 'phone', 'Ring [phone number removed] after 5'],
    ['Office 0113 496 0000', 'phone', 'Office [phone number removed]'],
    ['Or +44 7700 900456', 'phone', 'Or [phone number removed]'],
    ['NI QQ 12 34 56 C on file', 'national-insurance-number', 'NI [NI number removed] on file'],
    ['Lives near LS1 4AP now', 'postcode', 'Lives near [postcode removed] now'],
    ['Case X123456 was moved', 'case-reference', 'Case [case reference removed] was moved'],
  ])('removes the identifier in %j', (input, kind, expected) => {
    const result = redactFreeText(input);
    expect(result.text).toBe(expected);
    expect(result.removed).toEqual({ [kind]: 1 });
  });

  it('leaves ordinary comments alone', () => {
    const text = 'Two people in crisis at once this week; supervision on Thursday helped a lot.';
    expect(redactFreeText(text)).toEqual({ text, removed: {} });
  });

  it('never lets a generated phone number or email through, whatever surrounds it', () => {
    const phone = fc.integer({ min: 0, max: 999 }).map((n) => `07700 900${String(n).padStart(3, '0')}`);
    const email = fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}$/))
      .map(([u, d]) => `${u}@${d}.org`);
    const words = fc.array(fc.constantFrom('the', 'week', 'was', 'hard', 'ok', '.', ','), { maxLength: 6 });
    fc.assert(
      fc.property(words, fc.oneof(phone, email), words, (before, secret, after) => {
        const result = redactFreeText([...before, secret, ...after].join(' '));
        expect(result.text).not.toContain(secret);
        expect(Object.values(result.removed).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
