/**
 * The EventStoreDB protocol test server (TEST INFRASTRUCTURE) checked with the real
 * `@eventstore/db-client`, without the adapter: what it advertises, its append rules and errors on
 * both append paths, reads, subscriptions, filters with checkpoints, positions, seeded system events,
 * and restarts keeping the data.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import {
  BACKWARDS,
  CancelledError,
  END,
  EventStoreDBClient,
  StreamNotFoundError,
  UnavailableError,
  WrongExpectedVersionError,
  eventTypeFilter,
  jsonEvent,
  streamNameFilter,
  type AllStreamSubscription,
  type Position,
  type StreamSubscription,
} from '@eventstore/db-client';
import { ServerFeaturesClient } from '@eventstore/db-client/generated/serverfeatures_grpc_pb';
import type { SupportedMethods } from '@eventstore/db-client/generated/serverfeatures_pb';
import { Empty } from '@eventstore/db-client/generated/shared_pb';
import { EsdbTestServerData, startEsdbTestServer, type EsdbTestServer } from '.';
import { catchError } from '../catchError';

const servers: EsdbTestServer[] = [];
const clients: EventStoreDBClient[] = [];

async function serverAndClient(options: { advertiseBatchAppend?: boolean } = {}) {
  const server = await startEsdbTestServer(options);
  servers.push(server);
  const client = EventStoreDBClient.connectionString(server.connectionString);
  clients.push(client);
  return { server, client };
}

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.dispose()));
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

const event = (type = 'ThingHappened', data: Record<string, unknown> = {}) => jsonEvent({ id: randomUUID(), type, data });
const stream = (category = 'thing') => `${category}-${randomUUID()}`;

async function supportedMethods(port: number): Promise<string[]> {
  const client = new ServerFeaturesClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    const methods = await new Promise<SupportedMethods>((resolve, reject) =>
      client.getSupportedMethods(new Empty(), (error, response) => (error ? reject(error) : resolve(response))),
    );
    return methods.getMethodsList().map((m) => `/${m.getServiceName()}/${m.getMethodName()}`);
  } finally {
    client.close();
  }
}

type Received = { kind: 'event'; stream: string; revision: bigint; type: string; position?: Position } | { kind: 'caughtUp' };

/** Records a client subscription's events and caughtUp (in emission order) until `until` holds. */
function record(
  subscription: StreamSubscription | AllStreamSubscription,
  until: (received: Received[]) => boolean,
  timeoutMs = 5_000,
): Promise<Received[]> {
  const received: Received[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`timed out: ${JSON.stringify(received, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`)),
      timeoutMs,
    );
    const check = () => {
      if (!until(received)) return;
      clearTimeout(timer);
      void subscription.unsubscribe();
      resolve(received);
    };
    subscription.on('data', (resolved) => {
      const e = resolved.event!;
      received.push({ kind: 'event', stream: e.streamId, revision: e.revision, type: e.type, position: e.position });
      check();
    });
    subscription.on('caughtUp', () => {
      received.push({ kind: 'caughtUp' });
      check();
    });
    subscription.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

describe('EventStoreDB protocol test server', () => {
  it('advertises BatchAppend, or not when told so', async () => {
    const { server: withBatch } = await serverAndClient();
    const { server: withoutBatch } = await serverAndClient({ advertiseBatchAppend: false });
    expect(await supportedMethods(withBatch.port)).toContain('/event_store.client.streams.streams/batchappend');
    const methods = await supportedMethods(withoutBatch.port);
    expect(methods).toContain('/event_store.client.streams.streams/append');
    expect(methods).not.toContain('/event_store.client.streams.streams/batchappend');
  });

  describe.each([
    ['BatchAppend', true],
    ['Append', false],
  ])('appends over %s', (_path, advertiseBatchAppend) => {
    it('reports a wrong expected version as the client’s typed error with expected and actual', async () => {
      const { client } = await serverAndClient({ advertiseBatchAppend });
      const name = stream();
      await client.appendToStream(name, [event(), event()], { expectedRevision: 'no_stream' });
      const stale = await catchError(client.appendToStream(name, event(), { expectedRevision: 0n }));
      expect(stale).toBeInstanceOf(WrongExpectedVersionError);
      expect(stale).toMatchObject({ streamName: name, expectedVersion: 0n, actualVersion: 1n });
      const missing = await catchError(client.appendToStream(stream(), event(), { expectedRevision: 'stream_exists' }));
      expect(missing).toMatchObject({ expectedVersion: 'stream_exists', actualVersion: 'no_stream' });
      const exists = await catchError(client.appendToStream(name, event(), { expectedRevision: 'no_stream' }));
      expect(exists).toMatchObject({ expectedVersion: 'no_stream', actualVersion: 1n });
    });

    it('answers an idempotent retry with the original revision and no position, writing nothing', async () => {
      const { client } = await serverAndClient({ advertiseBatchAppend });
      const name = stream();
      const batch = [event(), event()];
      const original = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
      expect(original.position).toBeDefined();
      await client.appendToStream(name, event(), { expectedRevision: 1n });
      const retried = await client.appendToStream(name, batch, { expectedRevision: 'no_stream' });
      expect(retried).toMatchObject({ success: true, nextExpectedRevision: 1n, position: undefined });
      const partial = await catchError(client.appendToStream(name, [batch[0]!, event()], { expectedRevision: 'no_stream' }));
      expect(partial).toBeInstanceOf(WrongExpectedVersionError);
      let count = 0;
      for await (const _ of client.readStream(name)) count += 1;
      expect(count).toBe(3);
    });

    it('is best-effort idempotent with any (recent ids)', async () => {
      const { client } = await serverAndClient({ advertiseBatchAppend });
      const name = stream();
      const batch = [event(), event()];
      await client.appendToStream(name, batch, { expectedRevision: 'any' });
      expect(await client.appendToStream(name, batch, { expectedRevision: 'any' })).toMatchObject({ nextExpectedRevision: 1n });
      let count = 0;
      for await (const _ of client.readStream(name)) count += 1;
      expect(count).toBe(2);
    });
  });

  it('gives positions that start at an offset, are not contiguous, and have commit == prepare', async () => {
    const { client } = await serverAndClient();
    const name = stream();
    await client.appendToStream(name, [event(), event(), event()], { expectedRevision: 'no_stream' });
    const positions: Position[] = [];
    for await (const resolved of client.readAll()) positions.push(resolved.event!.position);
    expect(positions[0]!.commit > 0n).toBe(true);
    for (let i = 1; i < positions.length; i += 1) {
      expect(positions[i]!.commit - positions[i - 1]!.commit > 1n).toBe(true);
    }
    for (const position of positions) expect(position.prepare).toBe(position.commit);
  });

  it('holds seeded system events in $all: $-prefixed types and $$ metadata streams', async () => {
    const { client } = await serverAndClient();
    const all: Array<{ stream: string; type: string }> = [];
    for await (const resolved of client.readAll()) all.push({ stream: resolved.event!.streamId, type: resolved.event!.type });
    expect(all.some((e) => e.type.startsWith('$'))).toBe(true);
    expect(all.some((e) => e.stream.startsWith('$$'))).toBe(true);
    expect(all.some((e) => e.stream.startsWith('$') && !e.type.startsWith('$'))).toBe(true);
  });

  it('reads streams forwards and backwards with counts, and reports a missing stream', async () => {
    const { client } = await serverAndClient();
    const name = stream();
    await client.appendToStream(
      name,
      [0, 1, 2, 3].map((index) => event('T', { index })),
      { expectedRevision: 'no_stream' },
    );
    const revisions = async (read: AsyncIterable<{ event?: { revision: bigint } }>) => {
      const result: bigint[] = [];
      for await (const resolved of read) result.push(resolved.event!.revision);
      return result;
    };
    expect(await revisions(client.readStream(name, { fromRevision: 1n, maxCount: 2 }))).toEqual([1n, 2n]);
    expect(await revisions(client.readStream(name, { direction: BACKWARDS, fromRevision: END, maxCount: 3 }))).toEqual([3n, 2n, 1n]);
    expect(await revisions(client.readStream(name, { direction: BACKWARDS, fromRevision: 1n }))).toEqual([1n, 0n]);
    const missing = await catchError(revisions(client.readStream(stream())));
    expect(missing).toBeInstanceOf(StreamNotFoundError);
  });

  it('reads $all forwards from a position inclusively and backwards from a position exclusively', async () => {
    const { client } = await serverAndClient();
    const name = stream();
    await client.appendToStream(name, [event(), event(), event()], { expectedRevision: 'no_stream' });
    const mine: Position[] = [];
    for await (const resolved of client.readAll()) if (resolved.event!.streamId === name) mine.push(resolved.event!.position);
    const forwards: Position[] = [];
    for await (const resolved of client.readAll({ fromPosition: mine[1]!, maxCount: 5 })) forwards.push(resolved.event!.position);
    expect(forwards).toEqual([mine[1], mine[2]]);
    const backwards: Position[] = [];
    for await (const resolved of client.readAll({ direction: BACKWARDS, fromPosition: mine[2]!, maxCount: 2 })) {
      backwards.push(resolved.event!.position);
    }
    expect(backwards).toEqual([mine[1], mine[0]]);
  });

  it('subscribes to a stream: history, caught-up, then live; from a revision exclusively', async () => {
    const { client } = await serverAndClient();
    const name = stream();
    await client.appendToStream(name, [event(), event()], { expectedRevision: 'no_stream' });
    let live = false;
    const received = await record(client.subscribeToStream(name), (messages) => {
      if (!live && messages.some((m) => m.kind === 'caughtUp')) {
        live = true;
        void client.appendToStream(name, event(), { expectedRevision: 1n });
      }
      return messages.filter((m) => m.kind === 'event').length === 3;
    });
    expect(received.map((m) => (m.kind === 'event' ? m.revision : 'caughtUp'))).toEqual([0n, 1n, 'caughtUp', 2n]);
    const fromRevision = await record(client.subscribeToStream(name, { fromRevision: 0n }), (messages) =>
      messages.some((m) => m.kind === 'caughtUp'),
    );
    expect(fromRevision.map((m) => (m.kind === 'event' ? m.revision : 'caughtUp'))).toEqual([1n, 2n, 'caughtUp']);
  });

  it('subscribes to $all from a position exclusively', async () => {
    const { client } = await serverAndClient();
    const name = stream();
    const first = await client.appendToStream(name, event(), { expectedRevision: 'no_stream' });
    await client.appendToStream(name, [event(), event()], { expectedRevision: 0n });
    const received = await record(client.subscribeToAll({ fromPosition: first.position! }), (messages) =>
      messages.some((m) => m.kind === 'caughtUp'),
    );
    expect(received.flatMap((m) => (m.kind === 'event' ? [m.revision] : []))).toEqual([1n, 2n]);
  });

  it('filters on event type or stream name, by regex or prefix', async () => {
    const { client } = await serverAndClient();
    const a = stream('alpha');
    const b = stream('beta');
    await client.appendToStream(a, [event('Created'), event('Renamed')], { expectedRevision: 'no_stream' });
    await client.appendToStream(b, [event('Created'), event('Deleted')], { expectedRevision: 'no_stream' });
    const untilCaughtUp = (messages: Received[]) => messages.some((m) => m.kind === 'caughtUp');
    const mine = (messages: Received[]) =>
      messages.flatMap((m) =>
        m.kind === 'event' && (m.stream === a || m.stream === b) ? [`${m.stream === a ? 'a' : 'b'}:${m.type}`] : [],
      );

    const byTypeRegex = await record(client.subscribeToAll({ filter: eventTypeFilter({ regex: '^(Renamed|Deleted)$' }) }), untilCaughtUp);
    expect(mine(byTypeRegex)).toEqual(['a:Renamed', 'b:Deleted']);
    const byTypePrefix = await record(client.subscribeToAll({ filter: eventTypeFilter({ prefixes: ['Cre'] }) }), untilCaughtUp);
    expect(mine(byTypePrefix)).toEqual(['a:Created', 'b:Created']);
    const byStreamPrefix = await record(client.subscribeToAll({ filter: streamNameFilter({ prefixes: ['beta-'] }) }), untilCaughtUp);
    expect(mine(byStreamPrefix)).toEqual(['b:Created', 'b:Deleted']);
    expect(byStreamPrefix.every((m) => m.kind === 'caughtUp' || m.stream.startsWith('beta-'))).toBe(true);
    const byStreamRegex = await record(client.subscribeToAll({ filter: streamNameFilter({ regex: '^alpha-' }) }), untilCaughtUp);
    expect(mine(byStreamRegex)).toEqual(['a:Created', 'a:Renamed']);
  });

  it('sends a checkpoint every maxSearchWindow × checkpointInterval scanned events', async () => {
    const { server, client } = await serverAndClient();
    for (let i = 0; i < 20; i += 1) server.data.appendSystemEvent(`$stats-${i % 3}`, '$statsCollected', { i });
    await client.appendToStream('wanted-1', event(), { expectedRevision: 'no_stream' });
    const scannedPositions = server.data.all.map((e) => e.position);
    const checkpoints: bigint[] = [];
    const subscription = client.subscribeToAll({
      filter: streamNameFilter({
        prefixes: ['wanted-'],
        maxSearchWindow: 2,
        checkpointInterval: 3,
        checkpointReached: (_subscription, position) => {
          checkpoints.push(position.commit);
        },
      }),
    });
    const received = await record(subscription, (messages) => messages.some((m) => m.kind === 'caughtUp'));
    expect(received.filter((m) => m.kind === 'event')).toHaveLength(1);
    const every = 2 * 3;
    const expected = scannedPositions.filter((_, index) => (index + 1) % every === 0);
    expect(expected.length).toBeGreaterThan(2);
    expect(checkpoints).toEqual(expected);
  });

  it('restarts on the same port with the same data', async () => {
    const { server, client } = await serverAndClient();
    const name = stream();
    await client.appendToStream(name, [event(), event()], { expectedRevision: 'no_stream' });
    const port = server.port;
    await server.stop();
    expect(server.running).toBe(false);
    await server.restart();
    expect(server.port).toBe(port);
    // The client's first call may still go out on the dead connection (CancelledError), then it reconnects.
    const retried = event();
    let result;
    for (let attempt = 1; ; attempt += 1) {
      try {
        result = await client.appendToStream(name, retried, { expectedRevision: 1n });
        break;
      } catch (error) {
        if (attempt === 3 || !(error instanceof CancelledError || error instanceof UnavailableError)) throw error;
      }
    }
    expect(result.nextExpectedRevision).toBe(2n);
    let count = 0;
    for await (const _ of client.readStream(name)) count += 1;
    expect(count).toBe(3);
  });

  it('persists the log to a JSON-lines file that a new server can serve', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esdb-test-server-'));
    try {
      const file = join(dir, 'log.jsonl');
      const first = await startEsdbTestServer({ dataFile: file });
      servers.push(first);
      const client = EventStoreDBClient.connectionString(first.connectionString);
      clients.push(client);
      const name = stream();
      const written = await client.appendToStream(name, [event(), event()], { expectedRevision: 'no_stream' });
      const reopened = EsdbTestServerData.open(file);
      expect(reopened.all.map((e) => e.position)).toEqual(first.data.all.map((e) => e.position));
      expect(reopened.streamEvents(name)?.[1]?.position).toBe(written.position!.commit);
      // The next position continues the log, it does not restart the numbering.
      const next = reopened.append(name, { kind: 'revision', revision: 1 }, [
        { id: randomUUID(), type: 'T', contentType: 'application/json', data: Buffer.from('{}'), customMetadata: new Uint8Array() },
      ]);
      expect(next.kind === 'success' && next.position! > written.position!.commit).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
