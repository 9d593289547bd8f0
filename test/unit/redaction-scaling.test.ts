import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { pieces, redactFreeText } from '../../shared/domain/redaction';

/**
 * Redaction time grows linearly with the text, whatever its shape. Compared by ratio, not by an
 * absolute time, so a loaded machine cannot fail it: eight redactions of a 1x text against one of
 * the same text eight times as long (the same number of characters), the fastest of seven runs each. A
 * linear redactor gives a ratio near 1; the bound (2.5, i.e. 8x input in under 20x the time) is
 * generous. Before texts were cut into pieces, 8x input took some 50 times as long.
 */
const BASE = 1000;
const SHAPES: Record<string, (length: number) => string> = {
  'no punctuation at all': (length) =>
    'priya shah told Tolulope Adeyemi the worker in Bury said Grace would ring Mr Okafor about the flat '
      .repeat(Math.ceil(length / 90))
      .slice(0, length),
  'one huge word': (length) => 'Abc'.repeat(Math.ceil(length / 3)).slice(0, length),
  'repeated titles': (length) => 'Mr Mrs Ms Dr Miss '.repeat(Math.ceil(length / 18)).slice(0, length),
  'a lower-case list without end': (length) =>
    'kemi, tola, bex, me, '.repeat(Math.ceil(length / 21)).slice(0, length),
  'possessive capitalised words': (length) =>
    "Bennett's Lane Dani's Hostel Precious M, ".repeat(Math.ceil(length / 41)).slice(0, length),
  'capitalised words without a break': (length) =>
    'Kwame Mensah Summary Of Findings Seven Sisters '.repeat(Math.ceil(length / 47)).slice(0, length),
};

/**
 * The fastest of `runs`: another process taking the CPU can only add time to a run, never take it
 * away, so on a shared machine the fastest run is the one nearest the code's own cost (a median
 * still failed once in a busy test run, at 10 times).
 */
const fastest = (runs: number, act: () => void) => {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    act();
    best = Math.min(best, performance.now() - start);
  }
  return best;
};

describe('redaction time', () => {
  for (const [shape, make] of Object.entries(SHAPES)) {
    it(`grows linearly with the text: ${shape}`, () => {
      const small = make(BASE);
      const large = make(BASE * 8);
      redactFreeText(small); // warm-up: loads the tagger and the lists, compiles the code
      redactFreeText(large);
      const eightSmall = fastest(7, () => {
        for (let i = 0; i < 8; i++) redactFreeText(small);
      });
      const oneLarge = fastest(7, () => redactFreeText(large));

      expect(oneLarge / eightSmall).toBeLessThan(2.5);
    });
  }

  it('cuts text into pieces of bounded length that cover it exactly', () => {
    const text = `${'word '.repeat(200)}${'x'.repeat(1000)} End. Next sentence here. ${'y '.repeat(300)}`;
    const cut = pieces(text);

    expect(cut[0]?.[0]).toBe(0);
    expect(cut.at(-1)?.[1]).toBe(text.length);
    for (let i = 0; i < cut.length; i++) {
      const [start, end] = cut[i] ?? [0, 0];
      expect(end - start).toBeGreaterThan(0);
      expect(end - start).toBeLessThanOrEqual(300);
      if (i > 0) expect(start).toBe(cut[i - 1]?.[1]);
    }
  });
});
