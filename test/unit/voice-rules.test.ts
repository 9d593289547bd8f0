import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  calendarQuarter,
  feedbackAnswerBodySchema,
  lastEndedQuarter,
  newFeedbackToken,
  protectCounts,
  summariseAnswers,
  type StoredFeedbackAnswer,
} from '../../functions/voice/feedback';
import { FEEDBACK_EASY_READ_V1 } from '../../shared/domain/questionnaires';

describe('feedback link tokens', () => {
  it('are 32 base64url characters (192 bits) and never repeat', () => {
    const tokens = Array.from({ length: 1000 }, newFeedbackToken);
    for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});

describe('calendar quarters', () => {
  it('give their first and last day and months', () => {
    expect(calendarQuarter('2024-Q1')).toEqual({
      from: '2024-01-01',
      to: '2024-03-31',
      months: ['2024-01', '2024-02', '2024-03'],
    });
    expect(calendarQuarter('2025-Q4').to).toBe('2025-12-31');
  });

  it('default to the last one that has ended', () => {
    expect(lastEndedQuarter('2026-12-01')).toBe('2026-Q3');
    expect(lastEndedQuarter('2026-01-01')).toBe('2025-Q4');
    expect(lastEndedQuarter('2026-04-01')).toBe('2026-Q1');
  });
});

describe('protectCounts', () => {
  it('hides counts of 1 to 4, and the next smallest when the hidden ones add up to under 5', () => {
    expect(protectCounts([6, 2, 9], 5, true)).toEqual([null, null, 9]);
    expect(protectCounts([6, 2, 9], 5, false)).toEqual([6, null, 9]);
    expect(protectCounts([0, 12, 7], 5, true)).toEqual([0, 12, 7]);
  });

  it('never leaves hidden counts that add up to 1 to k-1 beside a count that is shown', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 30 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2, max: 10 }),
        (counts, k) => {
          const shown = protectCounts(counts, k, true);
          const hiddenSum = counts.reduce((sum, n, i) => sum + (shown[i] === null ? n : 0), 0);
          // Unless nothing is left to hide: then the hidden counts are only known to be from 1 to k-1.
          const nothingLeft = shown.every((value) => value === null || value === 0);
          expect(hiddenSum === 0 || hiddenSum >= k || nothingLeft).toBe(true);
          // Nothing shown is between 1 and k-1, and what is shown is exact.
          shown.forEach((value, i) => {
            if (value !== null) expect(value).toBe(counts[i]);
            if (value !== null && value > 0) expect(value).toBeGreaterThanOrEqual(k);
          });
        },
      ),
    );
  });
});

describe('summariseAnswers', () => {
  const answer = (
    site: StoredFeedbackAnswer['site'],
    helps: 'a-lot' | 'not-really',
  ): StoredFeedbackAnswer => ({
    id: crypto.randomUUID(),
    site,
    kind: 'during-support',
    month: '2025-02',
    questionnaireVersion: 1,
    answers: { helps },
  });

  it('shows every site with enough answers, and never whether anyone would talk to an evaluator', () => {
    const answers = [
      ...Array.from({ length: 6 }, () => answer('london', 'a-lot')),
      ...Array.from({ length: 5 }, () => answer('north-east', 'a-lot')),
      ...Array.from({ length: 5 }, () => answer('yorkshire-humber', 'not-really')),
    ];
    const groups = summariseAnswers(answers, { minGroupSize: 5 });
    expect(groups.map((g) => g.status)).toEqual(['shown', 'shown', 'shown', 'shown']);
    const programme = groups[0];
    if (programme?.status !== 'shown') throw new Error('the programme should be shown');
    expect(programme.answers).toBe(16);
    expect(programme.questions.map((q) => q.id)).not.toContain('talkToEvaluator');
    expect(programme.questions.find((q) => q.id === 'helps')?.choices).toEqual([
      { id: 'a-lot', people: 11 },
      { id: 'a-bit', people: 0 },
      { id: 'not-really', people: 5 },
      { id: 'not-sure', people: 0 },
    ]);
  });
});

describe('the easy-read answer', () => {
  it('accepts an answer with every question skipped', () => {
    expect(feedbackAnswerBodySchema.safeParse({ questionnaireVersion: 1, answers: {} }).success).toBe(true);
  });

  it('refuses a choice the question does not offer, and the same choice twice', () => {
    const bad = (answers: unknown) =>
      feedbackAnswerBodySchema.safeParse({ questionnaireVersion: 1, answers }).success;
    expect(bad({ helps: 'yes' })).toBe(false);
    expect(bad({ keepsComing: { choices: ['near-me', 'near-me'] } })).toBe(false);
    expect(bad({ keepsComing: { choices: [], words: 'x'.repeat(501) } })).toBe(false);
  });

  it('asks each question in short sentences with help text', () => {
    for (const question of FEEDBACK_EASY_READ_V1.questions) {
      expect(question.help.length).toBeGreaterThan(0);
      for (const sentence of `${question.text} ${question.help}`.split(/(?<=[.?])\s+/)) {
        expect(sentence.split(/\s+/).length).toBeLessThanOrEqual(15);
      }
    }
  });
});
