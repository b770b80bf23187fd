import { createMutationRateLimiter } from './rateLimit';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('mutation rate limiter (in memory)', () => {
  it('allows the per-minute budget of fields, then asks the client to wait; clients have their own budgets', async () => {
    const limiter = await createMutationRateLimiter({ perMinute: 60, redisUrl: null, logger: silent, keyPrefix: `unit-${Date.now()}` });
    expect(await limiter.take('alice', 45)).toBe(0);
    expect(await limiter.take('alice', 15)).toBe(0);
    const wait = await limiter.take('alice', 1);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await limiter.take('bob', 60)).toBe(0);
    await limiter.close();
  });

  it('refuses one operation asking for more fields than the whole budget', async () => {
    const limiter = await createMutationRateLimiter({ perMinute: 10, redisUrl: null, logger: silent, keyPrefix: `unit-big-${Date.now()}` });
    expect(await limiter.take('carol', 15)).toBeGreaterThan(0);
    await limiter.close();
  });
});

describe('mutation rate limiter: refusals spend nothing', () => {
  it('gives back the fields of a refused operation', async () => {
    const limiter = await createMutationRateLimiter({
      perMinute: 20,
      redisUrl: null,
      logger: silent,
      keyPrefix: `unit-refund-${Date.now()}`,
    });
    expect(await limiter.take('dana', 15)).toBe(0);
    expect(await limiter.take('dana', 15)).toBeGreaterThan(0);
    expect(await limiter.take('dana', 5)).toBe(0);
    expect(await limiter.take('dana', 1)).toBeGreaterThan(0);
    await limiter.close();
  });
});
