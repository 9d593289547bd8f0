/**
 * DynamoDB's sustained write rate for one partition key: about 1,000 write units a second (each unit
 * one write of up to 1 KB). Writes to one key faster than that are throttled, whatever the table's
 * capacity.
 */
export const PARTITION_WRITE_UNITS_PER_SECOND = 1000;

/** What the pacer aims for by default: under the limit, so a burst from another writer still fits. */
export const DEFAULT_PACED_UNITS_PER_SECOND = 800;

/**
 * A token bucket per partition key: a write waits until its key has the units it costs. Each bucket
 * refills at `unitsPerSecond` and holds at most one second's worth. When DynamoDB throttles a key
 * anyway (another writer on it), `slowDown` halves that key's rate; every second without throttling
 * gives back a tenth of the configured rate.
 */
export class PartitionPacer {
  private readonly buckets = new Map<
    string,
    { tokens: number; at: number; rate: number; calmSince: number }
  >();

  constructor(
    private readonly unitsPerSecond = DEFAULT_PACED_UNITS_PER_SECOND,
    private readonly clock: () => number = () => performance.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) =>
      new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Waits until `units` may be written to `key`, then takes them. */
  async take(key: string, units: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const bucket = this.refilled(key);
      // A write larger than the bucket waits for a full bucket and then goes, leaving it in debt.
      if (bucket.tokens >= Math.min(units, bucket.rate)) {
        bucket.tokens -= units;
        return;
      }
      await this.sleep(Math.ceil(((Math.min(units, bucket.rate) - bucket.tokens) / bucket.rate) * 1000));
    }
  }

  /** DynamoDB throttled `key`: halve its rate (down to 5% of the configured one) and empty its bucket. */
  slowDown(key: string): void {
    const bucket = this.refilled(key);
    bucket.rate = Math.max(this.unitsPerSecond / 20, bucket.rate / 2);
    bucket.tokens = Math.min(bucket.tokens, 0);
    bucket.calmSince = this.clock();
  }

  /** The rate `key` is paced at now, in write units a second. */
  rateOf(key: string): number {
    return this.refilled(key).rate;
  }

  private refilled(key: string) {
    const now = this.clock();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.unitsPerSecond, at: now, rate: this.unitsPerSecond, calmSince: now };
      this.buckets.set(key, bucket);
    }
    const calmSeconds = Math.floor((now - bucket.calmSince) / 1000);
    if (calmSeconds > 0 && bucket.rate < this.unitsPerSecond) {
      bucket.rate = Math.min(this.unitsPerSecond, bucket.rate + (calmSeconds * this.unitsPerSecond) / 10);
      bucket.calmSince = now;
    }
    bucket.tokens = Math.min(bucket.rate, bucket.tokens + ((now - bucket.at) / 1000) * bucket.rate);
    bucket.at = now;
    return bucket;
  }
}
