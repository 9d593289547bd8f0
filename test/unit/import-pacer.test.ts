import { describe, expect, it } from 'vitest';
import { PartitionPacer } from '../../functions/imports/pacer';

/** A pacer on a clock that only moves when it sleeps, so the time it makes a writer wait is exact. */
function pacedAt(unitsPerSecond: number) {
  let now = 0;
  const pacer = new PartitionPacer(
    unitsPerSecond,
    () => now,
    (ms) => {
      now += ms;
      return Promise.resolve();
    },
  );
  return { pacer, elapsed: () => now };
}

describe('the per-partition pacer', () => {
  it('lets a second of writes through at once, then holds each key to its rate', async () => {
    const { pacer, elapsed } = pacedAt(100);
    for (let i = 0; i < 30; i++) await pacer.take('CAPITAL#london', 10);
    // 300 units: the first 100 from the full bucket, 200 more at 100 a second.
    expect(elapsed()).toBeGreaterThanOrEqual(2000);
    expect(elapsed()).toBeLessThan(2100);
  });

  it('paces each partition key on its own', async () => {
    const { pacer, elapsed } = pacedAt(100);
    await pacer.take('CAPITAL#london', 100);
    await pacer.take('FOLLOWUP#london', 100);
    expect(elapsed()).toBe(0);
  });

  it('halves a throttled key’s rate, down to a twentieth, and gives it back a tenth a calm second', async () => {
    const { pacer } = pacedAt(800);
    pacer.slowDown('CAPITAL#london');
    expect(pacer.rateOf('CAPITAL#london')).toBe(400);
    for (let i = 0; i < 10; i++) pacer.slowDown('CAPITAL#london');
    expect(pacer.rateOf('CAPITAL#london')).toBe(40);
    await pacer.take('CAPITAL#london', 40 * 3);
    expect(pacer.rateOf('CAPITAL#london')).toBeGreaterThan(40);
    expect(pacer.rateOf('FOLLOWUP#london')).toBe(800);
  });

  it('stops waiting when its signal aborts', async () => {
    const { pacer } = pacedAt(10);
    const stop = new AbortController();
    stop.abort();
    await expect(pacer.take('CAPITAL#london', 5, stop.signal)).rejects.toThrow();
  });
});
