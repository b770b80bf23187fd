import { TokenBuckets } from './rateLimit';

describe('TokenBuckets', () => {
  it('allows a burst up to the per-minute budget, then asks the client to wait, and refills over time', () => {
    let now = 0;
    const buckets = new TokenBuckets(60, () => now);
    for (let i = 0; i < 60; i += 1) expect(buckets.take('alice')).toBe(0);
    expect(buckets.take('alice')).toBe(1);
    expect(buckets.take('bob')).toBe(0);
    now += 1000;
    expect(buckets.take('alice')).toBe(0);
    expect(buckets.take('alice')).toBe(1);
    now += 60_000;
    for (let i = 0; i < 60; i += 1) expect(buckets.take('alice')).toBe(0);
  });
});
