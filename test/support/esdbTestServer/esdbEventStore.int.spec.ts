/**
 * EventStoreDB adapter behaviours beyond the contract suite, over the EventStoreDB protocol test
 * server (TEST INFRASTRUCTURE): system events are skipped, positions are the server's log positions,
 * a subscription survives a server restart (in-process, and a SIGKILLed server process restarted
 * with its data file) delivering every event exactly once, and calls while the server is down fail
 * fast with EventStoreUnavailableError.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventStoreUnavailableError } from '../../../eventStore/errors';
import { createEsdbEventStore, type EsdbEventStore, type EsdbEventStoreOptions } from '../../../eventStore/esdb/esdbEventStore';
import type { AllSubscriptionMessage, EventToAppend, RecordedEvent } from '../../../eventStore/port';
import { catchError } from '../catchError';
import { spawnEsdbTestServerProcess, type EsdbTestServerProcess } from './childProcess';
import { startEsdbTestServer, type EsdbTestServer } from '.';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serverAndStore(
  options: { advertiseBatchAppend?: boolean } & EsdbEventStoreOptions = {},
): Promise<{ server: EsdbTestServer; store: EsdbEventStore }> {
  const { advertiseBatchAppend = true, ...storeOptions } = options;
  const server = await startEsdbTestServer({ advertiseBatchAppend });
  cleanups.push(() => server.stop());
  const store = createEsdbEventStore(server.connectionString, {
    resubscribe: { initialDelayMs: 50, maxDelayMs: 400 },
    ...storeOptions,
  });
  cleanups.push(() => store.close());
  return { server, store };
}

const events = (count: number, type = 'ThingHappened'): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => ({
    id: randomUUID(),
    type,
    data: { index },
    metadata: { commandId: randomUUID(), actor: 'adapter-test' },
  }));

/** Pulls a subscription continuously into `messages`, so a test can wait for conditions. */
class SubscriptionReader {
  readonly messages: AllSubscriptionMessage[] = [];
  private readonly controller = new AbortController();
  private failure: unknown;
  private readonly done: Promise<void>;

  constructor(store: EsdbEventStore) {
    const iterable = store.subscribeToAll({ signal: this.controller.signal });
    this.done = (async () => {
      try {
        for await (const message of iterable) this.messages.push(message);
      } catch (error) {
        this.failure = error;
      }
    })();
    cleanups.push(() => this.stop());
  }

  eventsOf(stream: string): RecordedEvent[] {
    return this.messages.flatMap((m) => (m.kind === 'event' && m.event.streamName === stream ? [m.event] : []));
  }

  get caughtUpCount(): number {
    return this.messages.filter((m) => m.kind === 'caughtUp').length;
  }

  async waitFor(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (this.failure) throw this.failure;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (${this.messages.length} messages)`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}

function expectExactlyOnceInOrder(delivered: RecordedEvent[], count: number): void {
  expect(delivered.map((e) => e.revision)).toEqual(Array.from({ length: count }, (_, i) => i));
  expect(new Set(delivered.map((e) => e.id)).size).toBe(count);
  for (let i = 1; i < delivered.length; i += 1) expect(delivered[i]!.position > delivered[i - 1]!.position).toBe(true);
}

describe('EventStoreDB adapter over the protocol test server', () => {
  it('skips system events ($-prefixed types or streams) in readAll and subscribeToAll', async () => {
    const { server, store } = await serverAndStore({ readAllPageSize: 2 });
    const stream = `adapterThing-${randomUUID()}`;
    await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
    server.data.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', {});
    server.data.appendSystemEvent('$projections-$master', 'ProjectionsUpdated', {});
    server.data.appendSystemEvent(`$$${stream}`, '$metadata', { $maxCount: 10 });
    await store.appendToStream(stream, events(1), { expectedRevision: 1 });
    server.data.appendSystemEvent('$stats-127.0.0.1:2113', '$statsCollected', {});
    expect(server.data.all.filter((e) => e.type.startsWith('$') || e.streamName.startsWith('$')).length).toBeGreaterThan(6);

    const isUser = (e: RecordedEvent) => !e.type.startsWith('$') && !e.streamName.startsWith('$');
    const all = await store.readAll();
    expect(all.every(isUser)).toBe(true);
    expect(all.map((e) => e.revision)).toEqual([0, 1, 2]);
    const latest = await store.readAll({ direction: 'backwards', maxCount: 2 });
    expect(latest.map((e) => e.revision)).toEqual([2, 1]);
    // Backwards from a position includes the event at that position, as forwards does.
    const fromMiddle = await store.readAll({ direction: 'backwards', fromPosition: all[1]!.position });
    expect(fromMiddle.map((e) => e.revision)).toEqual([1, 0]);
    const forwardsFromMiddle = await store.readAll({ fromPosition: all[1]!.position, maxCount: 5 });
    expect(forwardsFromMiddle.map((e) => e.revision)).toEqual([1, 2]);

    const reader = new SubscriptionReader(store);
    await reader.waitFor('caught up', () => reader.caughtUpCount === 1);
    const delivered = reader.messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));
    expect(delivered.every(isUser)).toBe(true);
    expect(delivered.map((e) => e.revision)).toEqual([0, 1, 2]);
  });

  it.each([
    // Pauses early; resumes and pauses many times during the history.
    { history: 3_000, highWater: 1_000, lowWater: 100 },
    // Pauses with 5 history events left: caught_up is transformed while they are still buffered in
    // the client's stream, so the caught-up marker must wait for them.
    { history: 55, highWater: 50, lowWater: 10 },
  ])(
    'signals caught-up after the whole history when a slow consumer pauses the subscription ($history events, high water $highWater)',
    async ({ history, highWater, lowWater }) => {
      const { server, store } = await serverAndStore({ subscriptionBuffer: { highWater, lowWater } });
      // Only the seeded user-looking event in a system stream reaches the client besides ours.
      expect(server.data.all.filter((e) => !e.type.startsWith('$'))).toHaveLength(1);
      const stream = `adapterBackpressure-${randomUUID()}`;
      for (let written = 0; written < history; written += 500) {
        const count = Math.min(500, history - written);
        await store.appendToStream(stream, events(count), { expectedRevision: written === 0 ? 'no_stream' : written - 1 });
      }
      const controller = new AbortController();
      const iterator = store.subscribeToAll({ signal: controller.signal })[Symbol.asyncIterator]();
      cleanups.push(async () => controller.abort());
      const first = await iterator.next();
      // Consume nothing for a while: the adapter queues up to its high water, then pauses.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const messages: AllSubscriptionMessage[] = first.done ? [] : [first.value];
      let liveAppended = false;
      while (messages.filter((m) => m.kind === 'event' && m.event.streamName === stream).length < history + 1) {
        const next = await iterator.next();
        if (next.done) throw new Error('the subscription ended');
        messages.push(next.value);
        if (next.value.kind === 'caughtUp' && !liveAppended) {
          liveAppended = true;
          await store.appendToStream(stream, events(1), { expectedRevision: history - 1 });
        }
      }
      const caughtUpAt = messages.findIndex((m) => m.kind === 'caughtUp');
      const mine = messages.flatMap((m, index) =>
        m.kind === 'event' && m.event.streamName === stream ? [{ index, revision: m.event.revision }] : [],
      );
      expect(mine.map((m) => m.revision)).toEqual(Array.from({ length: history + 1 }, (_, i) => i));
      expect(mine.slice(0, history).every((m) => m.index < caughtUpAt)).toBe(true);
      expect(mine[history]!.index).toBeGreaterThan(caughtUpAt);
      expect(messages.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
      await iterator.return?.();
    },
  );

  it('reports the server’s log positions: not contiguous, not starting at 0', async () => {
    const { server, store } = await serverAndStore();
    const stream = `adapterThing-${randomUUID()}`;
    const result = await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
    const read = await store.readStream(stream);
    const logged = server.data.streamEvents(stream)!.map((e) => e.position);
    expect(read.map((e) => e.position)).toEqual(logged);
    expect(result.position).toBe(logged[2]);
    expect(read[0]!.position > 0n).toBe(true);
    for (let i = 1; i < read.length; i += 1) expect(read[i]!.position - read[i - 1]!.position > 1n).toBe(true);
  });

  it('fails fast with EventStoreUnavailableError when nothing answers, and ping recovers with the server', async () => {
    const { server, store } = await serverAndStore();
    await store.ping();
    await server.stop();
    for (const call of [
      () => store.appendToStream(`adapterThing-${randomUUID()}`, events(1), { expectedRevision: 'any' }),
      () => store.readStream(`adapterThing-${randomUUID()}`),
      () => store.readAll({ maxCount: 1 }),
      () => store.ping(),
    ]) {
      const started = Date.now();
      expect(await catchError(call())).toBeInstanceOf(EventStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_500);
    }
    await server.restart();
    await store.ping();
  });

  it('ends open subscriptions on close and then rejects calls with EventStoreUnavailableError', async () => {
    const { store } = await serverAndStore();
    const reader = new SubscriptionReader(store);
    await reader.waitFor('caught up', () => reader.caughtUpCount === 1);
    await store.close();
    await reader.stop();
    expect(await catchError(store.ping())).toBeInstanceOf(EventStoreUnavailableError);
    expect(await catchError(store.readAll())).toBeInstanceOf(EventStoreUnavailableError);
  });

  describe.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('appending over %s', (_path, advertiseBatchAppend) => {
    it('keeps a subscription across an in-process server stop and restart on the same port: every event once, in order', async () => {
      const { server, store } = await serverAndStore({ advertiseBatchAppend });
      const stream = `adapterRestart-${randomUUID()}`;
      await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' }); // before
      const reader = new SubscriptionReader(store);
      await reader.waitFor('history and caught-up', () => reader.caughtUpCount === 1 && reader.eventsOf(stream).length === 3);
      await store.appendToStream(stream, events(1), { expectedRevision: 2 }); // live
      await reader.waitFor('the live event', () => reader.eventsOf(stream).length === 4);
      const port = server.port;

      await server.stop();
      const started = Date.now();
      const whileDown = await catchError(store.appendToStream(stream, events(1), { expectedRevision: 3 }));
      expect(whileDown).toBeInstanceOf(EventStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_500);

      await server.restart();
      expect(server.port).toBe(port);
      // Appended while the subscription waits to resubscribe (its backoff is ≥ 50 ms)...
      await store.appendToStream(stream, events(2), { expectedRevision: 3 });
      await reader.waitFor('the events appended during the resubscription', () => reader.eventsOf(stream).length === 6);
      // ...and after it is live again.
      await store.appendToStream(stream, events(2), { expectedRevision: 5 });
      await reader.waitFor('the events appended after', () => reader.eventsOf(stream).length === 8);

      expectExactlyOnceInOrder(reader.eventsOf(stream), 8);
      expect(reader.caughtUpCount).toBe(1);
    });

    it('resumes a subscription exactly once after the server process is SIGKILLed and restarted with its data file', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'esdb-adapter-kill-'));
      cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
      const dataFile = join(dir, 'log.jsonl');
      let child: EsdbTestServerProcess = await spawnEsdbTestServerProcess({ dataFile, advertiseBatchAppend });
      cleanups.push(() => child.kill());
      const store = createEsdbEventStore(child.connectionString, { resubscribe: { initialDelayMs: 50, maxDelayMs: 400 } });
      cleanups.push(() => store.close());

      const stream = `adapterKill-${randomUUID()}`;
      await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
      const reader = new SubscriptionReader(store);
      await reader.waitFor('history and caught-up', () => reader.caughtUpCount === 1 && reader.eventsOf(stream).length === 3);
      await store.appendToStream(stream, events(2), { expectedRevision: 2 });
      await reader.waitFor('live events', () => reader.eventsOf(stream).length === 5);

      const port = child.port;
      await child.kill('SIGKILL');
      const started = Date.now();
      expect(await catchError(store.appendToStream(stream, events(1), { expectedRevision: 4 }))).toBeInstanceOf(EventStoreUnavailableError);
      expect(Date.now() - started).toBeLessThan(1_500);

      child = await spawnEsdbTestServerProcess({ dataFile, port, advertiseBatchAppend });
      expect(child.port).toBe(port);
      // The acknowledged events survived the kill: the stream is at revision 4.
      await store.appendToStream(stream, events(2), { expectedRevision: 4 });
      await reader.waitFor('the events appended after the restart', () => reader.eventsOf(stream).length === 7);

      expectExactlyOnceInOrder(reader.eventsOf(stream), 7);
      expect(reader.caughtUpCount).toBe(1);
      expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    });
  });
});
