/**
 * The per-client mutation budget: `perMinute` mutation fields per client in a one-minute window
 * (rate-limiter-flexible). In memory by default; with REDIS_URL the counters live in Redis, so
 * every gateway instance draws on the same budget. If Redis is unreachable, each instance falls
 * back to its own in-memory budget (the insurance limiter) rather than refusing all writes.
 * An operation is allowed whole or refused whole: one asking for more fields than remain is
 * refused and takes nothing from the budget.
 */
import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../projections/projectionRunner';

export interface MutationRateLimiter {
  /** Takes `fields` from the client's budget; resolves 0 when allowed, else the seconds to wait. */
  take(client: string, fields: number): Promise<number>;
  close(): Promise<void>;
}

export interface RateLimitSettings {
  readonly perMinute: number;
  readonly redisUrl: string | null;
  readonly logger: Logger;
  /** Separates budgets of unrelated deployments sharing one Redis. */
  readonly keyPrefix?: string;
}

const WINDOW_SECONDS = 60;

export async function createMutationRateLimiter({
  perMinute,
  redisUrl,
  logger,
  keyPrefix = 'eventshop:mutations',
}: RateLimitSettings): Promise<MutationRateLimiter> {
  const memory = new RateLimiterMemory({ points: perMinute, duration: WINDOW_SECONDS, keyPrefix });
  let limiter: RateLimiterAbstract = memory;
  let redis: Redis | null = null;
  if (redisUrl !== null) {
    // No offline queue: while Redis is away a call fails at once and the insurance limiter answers.
    redis = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, disconnectTimeout: 100 });
    redis.on('error', (error: Error) =>
      logger.warn('rate limit store unavailable; limiting per instance meanwhile', { error: error.message }),
    );
    await waitUntilReady(redis, 5_000).catch(() =>
      logger.warn('rate limit store not reachable at start; limiting per instance until it is'),
    );
    limiter = new RateLimiterRedis({
      storeClient: redis,
      points: perMinute,
      duration: WINDOW_SECONDS,
      keyPrefix,
      rejectIfRedisNotReady: true,
      insuranceLimiter: memory,
    });
  }
  return {
    async take(client, fields) {
      if (fields <= 0) return 0;
      try {
        await limiter.consume(client, fields);
        return 0;
      } catch (rejection) {
        if (!(rejection instanceof RateLimiterRes)) throw rejection;
        // A refused operation executes nothing, so it spends nothing: give its fields back.
        await limiter.reward(client, fields).catch(() => undefined);
        return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      }
    },
    async close() {
      // Nothing is pending worth waiting for: every call answers or falls back at once.
      redis?.disconnect(false);
    },
  };
}

function waitUntilReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error('timeout'));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
