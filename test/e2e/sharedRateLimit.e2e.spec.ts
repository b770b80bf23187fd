/**
 * With REDIS_URL, gateway instances share one mutation budget per client (issue 11, finding 5:
 * "it is per process: N instances allow N times the limit"), against a real redis-server started
 * for the test. Without a redis-server binary the suite skips and says why.
 */
import type { EventStore } from '../../eventStore/port';
import type { Gateway } from '../../server/gateway';
import { backends } from '../support/backends';
import { createItem, startTestGateway, tokenFor } from '../support/gatewayHarness';
import { redisServerBinary, startRedisServer, type RedisServer } from '../support/redisServer';
import { checkInOneAs, outcomeCode } from '../support/rateLimitProbe';

const binary = redisServerBinary();
if (!binary) {
  console.warn(
    'sharedRateLimit: no redis-server binary (install it with scripts/install-redis.sh): the shared rate-limit tests are skipped',
  );
}
const describeWithRedis = binary ? describe.each(backends) : describe.skip.each(backends);

describeWithRedis('a rate limit shared through Redis ($name)', (backend) => {
  let redis: RedisServer;
  const running: Array<{ gateway: Gateway; dispose: () => Promise<void> }> = [];

  beforeEach(async () => {
    redis = await startRedisServer(binary!);
  });
  afterEach(async () => {
    for (const { gateway, dispose } of running.splice(0)) {
      await gateway.stop();
      await dispose();
    }
    await redis.stop();
  });

  async function start(env: Record<string, string>): Promise<{ gateway: Gateway; store: EventStore }> {
    const { store, dispose } = await backend.create();
    const gateway = await startTestGateway(store, { PAYMENT_LATENCY_MS: '5', ...env });
    running.push({ gateway, dispose });
    return { gateway, store };
  }

  it('lets a client spend its budget once across two instances, not once per instance', async () => {
    const env = { MUTATIONS_PER_MINUTE: '10', REDIS_URL: redis.url };
    const a = await start(env);
    const b = await start(env);
    const [itemA, itemB] = [
      (await createItem(a.gateway.url, 'SHARED-A')).item.id as string,
      (await createItem(b.gateway.url, 'SHARED-B')).item.id as string,
    ];
    const writer = { authorization: `Bearer ${await tokenFor('admin', 'shared-writer')}` };
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i += 1) outcomes.push(outcomeCode(await checkInOneAs(a.gateway.url, itemA, writer)));
    for (let i = 0; i < 6; i += 1) outcomes.push(outcomeCode(await checkInOneAs(b.gateway.url, itemB, writer)));
    expect(outcomes).toEqual([...Array(10).fill('ok'), 'RATE_LIMITED', 'RATE_LIMITED']);
    const appended = async (store: EventStore, id: string) =>
      (await store.readStream(`inventoryItem-${id}`)).filter((event) => event.type !== 'InventoryItemCreated').length;
    expect((await appended(a.store, itemA)) + (await appended(b.store, itemB))).toBe(10);
  });

  it('keeps limiting per instance, without failing writes, while Redis is down', async () => {
    const { gateway } = await start({ MUTATIONS_PER_MINUTE: '3', REDIS_URL: redis.url });
    const { item } = await createItem(gateway.url, 'SHARED-DOWN');
    await redis.stop();
    const writer = { authorization: `Bearer ${await tokenFor('admin', 'while-redis-is-down')}` };
    const codes: string[] = [];
    for (let i = 0; i < 4; i += 1) codes.push(outcomeCode(await checkInOneAs(gateway.url, item.id, writer)));
    expect(codes).toEqual(['ok', 'ok', 'ok', 'RATE_LIMITED']);
    // Restarted for afterEach's stop.
    redis = await startRedisServer(binary!);
  });
});
