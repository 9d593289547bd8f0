import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findRedactions, PLACEHOLDER, redactFreeText } from '../../shared/domain/redaction';

/** Pieces of notes as people write them: names in any case, places, services, headings, identifiers. */
const FRAGMENTS = [
  'my worker dani',
  'Tolulope',
  'told us',
  'Honor kept ringing',
  'Grace',
  'will',
  'Mr Okafor',
  'Mrs J. Booth',
  'in Bury',
  'Sale',
  'Seven Sisters',
  'Mary Seacole House',
  'Change Grow Live',
  'Summary Of Findings',
  'Tier 2',
  'born 1987-11-04',
  'DOB 04/11/1987',
  '07700 900123',
  'sam.k@example.org',
  'NE32 3DX',
  'X123456',
  'and',
  'said',
  'the group',
  '.',
  ',',
  '\n',
  '"',
  '[name removed]',
];

const notes = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 25 })
  .map((parts) => parts.join(' '));
const names = fc.array(fc.constantFrom('Dana Whitfield', 'Tunde Bakare', 'Callum Bury', 'x'), {
  maxLength: 3,
});

const PLACEHOLDERS = new Set(Object.values(PLACEHOLDER));

describe('redaction properties', () => {
  it('changes nothing more when redacting a second time', () => {
    fc.assert(
      fc.property(notes, names, (text, listed) => {
        const once = redactFreeText(text, { names: listed });
        const twice = redactFreeText(once.text, { names: listed });

        expect(twice.text).toBe(once.text);
        expect(twice.removed).toEqual({});
      }),
      { numRuns: 150 },
    );
  });

  it('puts only a bare placeholder where text was removed, and keeps everything else as it was', () => {
    fc.assert(
      fc.property(notes, names, (text, listed) => {
        const spans = findRedactions(text, { names: listed });
        const { text: output } = redactFreeText(text, { names: listed });
        // Rebuild the output from the spans: each removed span becomes its placeholder, nothing more.
        let rebuilt = '';
        let at = 0;
        for (const { kind, start, end } of spans) {
          expect(PLACEHOLDERS.has(PLACEHOLDER[kind])).toBe(true);
          rebuilt += text.slice(at, start) + PLACEHOLDER[kind];
          at = end;
        }
        rebuilt += text.slice(at);

        expect(output).toBe(rebuilt);
        // No placeholder swallowed part of a word: a removed span never starts or ends mid-word.
        for (const { start, end } of spans) {
          expect(/[\p{L}\p{N}]/u.test(text[start - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[start] ?? '')).toBe(
            false,
          );
          expect(/[\p{L}\p{N}]/u.test(text[end - 1] ?? '') && /[\p{L}\p{N}]/u.test(text[end] ?? '')).toBe(
            false,
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
