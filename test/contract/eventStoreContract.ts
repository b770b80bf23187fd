/**
 * One contract suite for every event-store adapter. Each adapter's spec calls
 * `describeEventStoreContract` with a factory; the tests use fresh stream names
 * so they also hold against a shared, non-empty store (a real EventStoreDB).
 */
import { randomUUID } from 'node:crypto';
import { StreamNotFoundError, WrongExpectedVersionError } from '../../eventStore/errors';
import type { AllSubscriptionMessage, EventStore, EventToAppend, RecordedEvent } from '../../eventStore/port';
import { catchError } from '../support/catchError';

export interface ContractSubject {
  readonly store: EventStore;
  /** Called after each test. */
  readonly dispose: () => Promise<void>;
}

function anEvent(type = 'ThingHappened', data: Record<string, unknown> = {}): EventToAppend {
  return {
    id: randomUUID(),
    type,
    data: { ...data } as EventToAppend['data'],
    metadata: { commandId: randomUUID(), actor: 'contract-test', occurredAt: '2026-01-01T00:00:00.000Z' },
  };
}

const events = (count: number, type = 'ThingHappened'): EventToAppend[] =>
  Array.from({ length: count }, (_, index) => anEvent(type, { index }));

function newStream(category = 'contractThing'): string {
  return `${category}-${randomUUID()}`;
}

/** Reads a subscription until `until` says stop, or fails after `timeoutMs`. */
async function collect(
  iterable: AsyncIterable<AllSubscriptionMessage>,
  until: (received: AllSubscriptionMessage[]) => boolean,
  timeoutMs = 10_000,
): Promise<AllSubscriptionMessage[]> {
  const received: AllSubscriptionMessage[] = [];
  const iterator = iterable[Symbol.asyncIterator]();
  const deadline = Date.now() + timeoutMs;
  try {
    while (!until(received)) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`timed out after ${received.length} messages`);
      let timer: NodeJS.Timeout | undefined;
      const next = await Promise.race([
        iterator.next(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`timed out after ${received.length} messages`)), remaining);
        }),
      ]).finally(() => clearTimeout(timer));
      if (next.done) break;
      received.push(next.value);
    }
  } finally {
    await iterator.return?.();
  }
  return received;
}

const eventsOf = (messages: AllSubscriptionMessage[], streams: ReadonlySet<string>): RecordedEvent[] =>
  messages.flatMap((m) => (m.kind === 'event' && streams.has(m.event.streamName) ? [m.event] : []));

export function describeEventStoreContract(adapterName: string, createSubject: () => Promise<ContractSubject>): void {
  describe(`event store contract: ${adapterName}`, () => {
    let subject: ContractSubject;
    let store: EventStore;

    beforeEach(async () => {
      subject = await createSubject();
      store = subject.store;
    });
    afterEach(async () => {
      await subject.dispose();
    });

    describe('append', () => {
      it('starts a new stream at revision 0 and returns the revision of the last event', async () => {
        const stream = newStream();
        const result = await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        expect(result.nextExpectedRevision).toBe(2);
        const read = await store.readStream(stream);
        expect(read.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(read[2]?.position).toBe(result.position);
      });

      it('appends at the expected revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        const result = await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        expect(result.nextExpectedRevision).toBe(2);
      });

      it('rejects a stale expected revision with the expected and actual revisions, writing nothing', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const error = await catchError(store.appendToStream(stream, events(1), { expectedRevision: 0 }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(error).toMatchObject({ streamName: stream, expected: 0, actual: 2, code: 'WRONG_EXPECTED_VERSION' });
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('rejects an expected revision ahead of the stream', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const error = await catchError(store.appendToStream(stream, events(1), { expectedRevision: 5 }));
        expect(error).toMatchObject({ expected: 5, actual: 0 });
      });

      it('rejects no_stream on an existing stream and stream_exists on a missing one', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        expect(await catchError(store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' }))).toMatchObject({
          expected: 'no_stream',
          actual: 0,
        });
        const missing = newStream();
        expect(await catchError(store.appendToStream(missing, events(1), { expectedRevision: 'stream_exists' }))).toMatchObject({
          expected: 'stream_exists',
          actual: 'no_stream',
        });
        expect(await catchError(store.readStream(missing))).toBeInstanceOf(StreamNotFoundError);
      });

      it('rejects an explicit revision on a missing stream', async () => {
        const error = await catchError(store.appendToStream(newStream(), events(1), { expectedRevision: 0 }));
        expect(error).toMatchObject({ expected: 0, actual: 'no_stream' });
      });

      it('appends with any and stream_exists', async () => {
        const stream = newStream();
        expect((await store.appendToStream(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(0);
        expect((await store.appendToStream(stream, events(1), { expectedRevision: 'any' })).nextExpectedRevision).toBe(1);
        expect((await store.appendToStream(stream, events(2), { expectedRevision: 'stream_exists' })).nextExpectedRevision).toBe(3);
      });

      it('gives every event a strictly increasing position across streams', async () => {
        const a = newStream();
        const b = newStream();
        const first = await store.appendToStream(a, events(2), { expectedRevision: 'no_stream' });
        const second = await store.appendToStream(b, events(1), { expectedRevision: 'no_stream' });
        const third = await store.appendToStream(a, events(1), { expectedRevision: 1 });
        expect(second.position > first.position).toBe(true);
        expect(third.position > second.position).toBe(true);
        const read = [...(await store.readStream(a)), ...(await store.readStream(b))].sort((x, y) => (x.position < y.position ? -1 : 1));
        for (let i = 1; i < read.length; i += 1) expect(read[i]!.position > read[i - 1]!.position).toBe(true);
      });

      it('round-trips ids, types, data and metadata', async () => {
        const stream = newStream();
        const event: EventToAppend = {
          id: randomUUID(),
          type: 'ItemsCheckedIn',
          data: { count: 3, nested: { list: [1, 'two', null, true] }, text: 'naïve “quotes” ✓' },
          metadata: { commandId: randomUUID(), correlationId: 'c-1', actor: 'alice', occurredAt: '2026-05-01T10:00:00.000Z' },
        };
        await store.appendToStream(stream, [event], { expectedRevision: 'no_stream' });
        const [read] = await store.readStream(stream);
        expect(read).toMatchObject({ id: event.id, type: event.type, streamName: stream, revision: 0, data: event.data });
        expect(read?.metadata).toMatchObject(event.metadata);
        expect(Number.isNaN(Date.parse(read!.recordedAt))).toBe(false);
      });

      it('appends nothing for an empty list and still checks the expected revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        expect(await catchError(store.appendToStream(stream, [], { expectedRevision: 3 }))).toBeInstanceOf(WrongExpectedVersionError);
      });
    });

    describe('idempotent append', () => {
      it('returns the original result when the same event ids are appended again at the same expected revision', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        const batch = events(2);
        const original = await store.appendToStream(stream, batch, { expectedRevision: 0 });
        const retried = await store.appendToStream(stream, batch, { expectedRevision: 0 });
        expect(retried).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('is idempotent for a retried first append with no_stream', async () => {
        const stream = newStream();
        const batch = events(2);
        const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('treats a retry after later appends as idempotent when the ids match at the expected revision', async () => {
        const stream = newStream();
        const batch = events(1);
        const original = await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, events(2), { expectedRevision: 0 });
        expect(await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })).toEqual(original);
        expect(await store.readStream(stream)).toHaveLength(3);
      });

      it('rejects a partial match as a wrong expected version', async () => {
        const stream = newStream();
        const batch = events(2);
        await store.appendToStream(stream, batch, { expectedRevision: 'no_stream' });
        const error = await catchError(store.appendToStream(stream, [batch[0]!, anEvent()], { expectedRevision: 'no_stream' }));
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        expect(await store.readStream(stream)).toHaveLength(2);
      });

      it('writes one copy when the same append races with itself', async () => {
        const stream = newStream();
        const batch = events(2);
        const results = await Promise.all(
          Array.from({ length: 10 }, () => store.appendToStream(stream, batch, { expectedRevision: 'no_stream' })),
        );
        for (const result of results) expect(result).toEqual(results[0]);
        expect(await store.readStream(stream)).toHaveLength(2);
      });
    });

    describe('read a stream', () => {
      it('reads forwards and backwards from a revision with a count', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(5), { expectedRevision: 'no_stream' });
        const forwards = await store.readStream(stream, { fromRevision: 1, maxCount: 2 });
        expect(forwards.map((e) => e.revision)).toEqual([1, 2]);
        const backwards = await store.readStream(stream, { direction: 'backwards', maxCount: 2 });
        expect(backwards.map((e) => e.revision)).toEqual([4, 3]);
        const backwardsFrom = await store.readStream(stream, { direction: 'backwards', fromRevision: 2 });
        expect(backwardsFrom.map((e) => e.revision)).toEqual([2, 1, 0]);
        expect((await store.readStream(stream, { fromRevision: 9 })).length).toBe(0);
      });

      it('fails with a typed not-found for a missing stream', async () => {
        const stream = newStream();
        const error = await catchError(store.readStream(stream));
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect(error).toMatchObject({ streamName: stream, code: 'STREAM_NOT_FOUND' });
      });
    });

    describe('read $all', () => {
      it('reads forwards from a position (inclusive) and backwards from the end', async () => {
        const stream = newStream();
        const first = await store.appendToStream(stream, events(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, events(2), { expectedRevision: 0 });
        const forwards = (await store.readAll({ fromPosition: first.position, maxCount: 1000 })).filter((e) => e.streamName === stream);
        expect(forwards.map((e) => e.revision)).toEqual([0, 1, 2]);
        expect(forwards[0]?.position).toBe(first.position);
        const latest = await store.readAll({ direction: 'backwards', maxCount: 2 });
        expect(latest.map((e) => [e.streamName, e.revision])).toEqual([
          [stream, 2],
          [stream, 1],
        ]);
      });

      it('limits forward reads with a count and keeps $all order', async () => {
        const a = newStream();
        const b = newStream();
        const start = await store.appendToStream(a, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(b, events(2), { expectedRevision: 'no_stream' });
        const page = await store.readAll({ fromPosition: start.position, maxCount: 3 });
        expect(page).toHaveLength(3);
        for (let i = 1; i < page.length; i += 1) expect(page[i]!.position > page[i - 1]!.position).toBe(true);
        expect(page.every((e) => !e.type.startsWith('$') && !e.streamName.startsWith('$'))).toBe(true);
      });
    });

    describe('stream metadata', () => {
      const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

      it('has none until it is set, then reads back what was set', async () => {
        const stream = newStream();
        expect(await store.getStreamMetadata(stream)).toEqual({});
        await store.setStreamMetadata(stream, { maxCount: 3, maxAgeSeconds: 3600 });
        expect(await store.getStreamMetadata(stream)).toEqual({ maxCount: 3, maxAgeSeconds: 3600 });
        await store.setStreamMetadata(stream, { maxCount: 1 });
        expect(await store.getStreamMetadata(stream)).toEqual({ maxCount: 1 });
      });

      it('keeps only the newest maxCount events of a stream, and its revisions keep counting', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(5), { expectedRevision: 'no_stream' });
        await store.setStreamMetadata(stream, { maxCount: 2 });
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([3, 4]);
        const next = await store.appendToStream(stream, events(1), { expectedRevision: 4 });
        expect(next.nextExpectedRevision).toBe(5);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([4, 5]);
        expect((await store.readStream(stream, { direction: 'backwards', maxCount: 1 })).map((e) => e.revision)).toEqual([5]);
        const stale = await catchError(store.appendToStream(stream, events(1), { expectedRevision: 1 }));
        expect(stale).toMatchObject({ expected: 1, actual: 5 });
      });

      it('applies metadata set before the stream exists: one current value with maxCount 1', async () => {
        const stream = newStream();
        await store.setStreamMetadata(stream, { maxCount: 1 });
        for (let i = 0; i < 4; i += 1)
          await store.appendToStream(stream, [anEvent('ValueStored', { value: i })], { expectedRevision: 'any' });
        const read = await store.readStream(stream);
        expect(read.map((e) => [e.revision, e.data.value])).toEqual([[3, 3]]);
      });

      it('hides events older than maxAge, keeps counting revisions and still knows the stream', async () => {
        const stream = newStream();
        await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        await store.setStreamMetadata(stream, { maxAgeSeconds: 1 });
        await pause(1_100);
        expect(await store.readStream(stream)).toEqual([]);
        const next = await store.appendToStream(stream, events(1), { expectedRevision: 1 });
        expect(next.nextExpectedRevision).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.revision)).toEqual([2]);
      });

      it('refuses a count or age that is not a whole number of at least 1', async () => {
        expect(await catchError(store.setStreamMetadata(newStream(), { maxCount: 0 }))).toBeInstanceOf(RangeError);
        expect(await catchError(store.setStreamMetadata(newStream(), { maxAgeSeconds: 1.5 }))).toBeInstanceOf(RangeError);
      });
    });

    describe('internal streams', () => {
      it('are readable by name but left out of $all reads, as system events are', async () => {
        const user = newStream();
        const internal = newStream('_contractInternal');
        const first = await store.appendToStream(user, events(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(internal, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(user, events(1), { expectedRevision: 0 });
        expect((await store.readStream(internal)).map((e) => e.revision)).toEqual([0, 1]);
        const forwards = await store.readAll({ fromPosition: first.position, maxCount: 1000 });
        expect(forwards.some((e) => e.streamName === internal)).toBe(false);
        expect(forwards.filter((e) => e.streamName === user).map((e) => e.revision)).toEqual([0, 1]);
        const latest = await store.readAll({ direction: 'backwards', maxCount: 2 });
        expect(latest.map((e) => [e.streamName, e.revision])).toEqual([
          [user, 1],
          [user, 0],
        ]);
      });

      it('never reach a subscription to $all, in history or live', async () => {
        const user = newStream();
        const internal = newStream('_contractInternal');
        const start = await store.appendToStream(internal, events(1), { expectedRevision: 'no_stream' });
        await store.appendToStream(user, events(1), { expectedRevision: 'no_stream' });
        let appendedLive = false;
        const received = await collect(store.subscribeToAll({ fromPosition: start.position - 1n }), (messages) => {
          if (!appendedLive && messages.some((m) => m.kind === 'caughtUp')) {
            appendedLive = true;
            void store
              .appendToStream(internal, events(1), { expectedRevision: 0 })
              .then(() => store.appendToStream(user, events(1), { expectedRevision: 0 }));
          }
          return eventsOf(messages, new Set([user])).length >= 2;
        });
        expect(received.some((m) => m.kind === 'event' && m.event.streamName.startsWith('_'))).toBe(false);
        expect(eventsOf(received, new Set([user])).map((e) => e.revision)).toEqual([0, 1]);
      });
    });

    describe('catch-up subscription to $all', () => {
      it('delivers history, then caught-up, then live events', async () => {
        const stream = newStream();
        const history = await store.appendToStream(stream, events(3), { expectedRevision: 'no_stream' });
        const controller = new AbortController();
        const subscription = store.subscribeToAll({ signal: controller.signal });
        const mine = new Set([stream]);
        let appendedLive = false;
        const received = await collect(subscription, (messages) => {
          if (!appendedLive && messages.some((m) => m.kind === 'caughtUp')) {
            appendedLive = true;
            void store.appendToStream(stream, events(2), { expectedRevision: history.nextExpectedRevision });
          }
          return eventsOf(messages, mine).length >= 5;
        });
        controller.abort();
        const caughtUpAt = received.findIndex((m) => m.kind === 'caughtUp');
        const mineIndexes = received.flatMap((m, i) => (m.kind === 'event' && m.event.streamName === stream ? [i] : []));
        expect(mineIndexes.slice(0, 3).every((i) => i < caughtUpAt)).toBe(true);
        expect(mineIndexes.slice(3).every((i) => i > caughtUpAt)).toBe(true);
        expect(eventsOf(received, mine).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
        expect(received.filter((m) => m.kind === 'caughtUp')).toHaveLength(1);
      });

      it('starts after a checkpoint (exclusive)', async () => {
        const stream = newStream();
        const first = await store.appendToStream(stream, events(2), { expectedRevision: 'no_stream' });
        await store.appendToStream(stream, events(2), { expectedRevision: 1 });
        const received = await collect(store.subscribeToAll({ fromPosition: first.position }), (messages) =>
          messages.some((m) => m.kind === 'caughtUp'),
        );
        expect(eventsOf(received, new Set([stream])).map((e) => e.revision)).toEqual([2, 3]);
      });

      it('skips system events', async () => {
        const received = await collect(store.subscribeToAll(), (messages) => messages.some((m) => m.kind === 'caughtUp'));
        for (const message of received) {
          if (message.kind === 'event') {
            expect(message.event.type.startsWith('$')).toBe(false);
            expect(message.event.streamName.startsWith('$')).toBe(false);
          }
        }
      });

      it('misses nothing and repeats nothing when appends race the switch from history to live', async () => {
        const streams = Array.from({ length: 4 }, () => newStream('contractRace'));
        const mine = new Set(streams);
        for (const stream of streams) await store.appendToStream(stream, events(5), { expectedRevision: 'no_stream' });
        const perStream = 40;
        const writers = streams.map(async (stream) => {
          let revision = 4;
          for (let i = 0; i < perStream; i += 1) {
            const result = await store.appendToStream(stream, events(1), { expectedRevision: revision });
            revision = result.nextExpectedRevision;
          }
        });
        const received = await collect(
          store.subscribeToAll(),
          (messages) => eventsOf(messages, mine).length >= streams.length * (5 + perStream),
          20_000,
        );
        await Promise.all(writers);
        const delivered = eventsOf(received, mine);
        expect(new Set(delivered.map((e) => e.id)).size).toBe(delivered.length);
        for (let i = 1; i < delivered.length; i += 1) expect(delivered[i]!.position > delivered[i - 1]!.position).toBe(true);
        for (const stream of streams) {
          const revisions = delivered.filter((e) => e.streamName === stream).map((e) => e.revision);
          expect(revisions).toEqual(Array.from({ length: 5 + perStream }, (_, i) => i));
        }
      });

      it('completes when its signal aborts', async () => {
        const controller = new AbortController();
        const iterator = store.subscribeToAll({ signal: controller.signal })[Symbol.asyncIterator]();
        let done = false;
        const drained = (async () => {
          for (;;) {
            const next = await iterator.next();
            if (next.done) {
              done = true;
              return;
            }
          }
        })();
        await new Promise((resolve) => setTimeout(resolve, 50));
        controller.abort();
        await drained;
        expect(done).toBe(true);
      });
    });
  });
}
