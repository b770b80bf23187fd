/**
 * A per-client token bucket for mutations: `perMinute` tokens, refilled continuously. A client is
 * its authenticated subject, or its address when anonymous.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; updatedAt: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes `count` tokens; returns 0 when allowed, else the seconds to wait. */
  take(client: string, count = 1): number {
    const now = this.now();
    const refillPerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, updatedAt: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updatedAt) * refillPerMs);
    bucket.updatedAt = now;
    this.buckets.set(client, bucket);
    if (this.buckets.size > 100_000) this.evictFull(now);
    if (bucket.tokens >= count) {
      bucket.tokens -= count;
      return 0;
    }
    return Math.ceil((count - bucket.tokens) / refillPerMs / 1000);
  }

  /** Forgets clients whose buckets are full again: they would start full anyway. */
  private evictFull(now: number): void {
    const refillPerMs = this.perMinute / 60_000;
    for (const [client, bucket] of this.buckets) {
      if (bucket.tokens + (now - bucket.updatedAt) * refillPerMs >= this.perMinute) this.buckets.delete(client);
    }
  }
}
