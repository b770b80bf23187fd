/**
 * A WebSocket client that stops reading must not make the server queue its messages without end:
 * once more than MAX_SOCKET_BUFFER_BYTES wait unsent for it, its socket is closed with 4420, on both
 * event stores, for shared subscription executions and for operations executed per subscriber
 * alike; a client that reads on the same server keeps every change.
 *
 * The slow client is the real `ws` client paused (`WebSocket.pause()` stops reading the TCP socket,
 * so the kernel's buffers fill and then the server's). The longest item name (200 characters) under
 * 190 aliases makes every frame about 40 KB, so a few changes to 100 subscriptions on one socket
 * outgrow the loopback buffers and the 1 MiB cap set here.
 */
import WebSocket from 'ws';
import type { Gateway } from '../../server/gateway';
import { WS_CLOSE } from '../../server/webSocket';
import { backends } from '../support/backends';
import { createItem, startTestGateway } from '../support/gatewayHarness';
import { checkInItems } from '../support/shopSetup';
import { until } from '../support/appendedEvents';

interface Reader {
  readonly socket: WebSocket;
  /** `next` messages received, by operation id. */
  readonly nexts: Map<string, number>;
  readonly closed: Promise<number>;
}

const SUBSCRIPTIONS = 100;
const CHANGES = 8;
const LONG_NAME = 'n'.repeat(200);
const ALIASES = 190;
/** The name, once per alias: about 40 KB of JSON per message. */
const NAMES = Array.from({ length: ALIASES }, (_, index) => `n${index}: name`).join(' ');

/** An anonymous graphql-transport-ws connection with `count` subscriptions of `query`. */
async function subscribe(url: string, query: string, variables: Record<string, unknown>, count: number): Promise<Reader> {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const nexts = new Map<string, number>();
  let acknowledged = false;
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { id?: string; type: string };
    if (message.type === 'connection_ack') acknowledged = true;
    if (message.type === 'next') nexts.set(message.id!, (nexts.get(message.id!) ?? 0) + 1);
  });
  await new Promise((resolve) => socket.once('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: {} }));
  await until(() => acknowledged, 'connection_ack');
  for (let id = 1; id <= count; id += 1) socket.send(JSON.stringify({ id: String(id), type: 'subscribe', payload: { query, variables } }));
  return { socket, nexts, closed };
}

const received = (reader: Reader) => [...reader.nexts.values()].reduce((sum, count) => sum + count, 0);

describe.each(backends)('slow WebSocket readers ($name)', (backend) => {
  let gateway: Gateway;
  let dispose: () => Promise<void>;

  beforeEach(async () => {
    let store;
    ({ store, dispose } = await backend.create());
    gateway = await startTestGateway(store, { MAX_SOCKET_BUFFER_BYTES: String(1024 * 1024), MAX_ALIASES: String(ALIASES) });
  });
  afterEach(async () => {
    await gateway.stop();
    await dispose();
  });

  const cases = [
    {
      name: 'subscribers sharing one execution (inventoryItemChanges)',
      query: `subscription { inventoryItemChanges { item { ${NAMES} } } }`,
      // No first value: one change shows every subscription is live.
      primingChanges: 1,
    },
    {
      name: 'operations executed per subscriber (inventoryItem(id), which starts with the current state)',
      query: `subscription ($id: ID!) { inventoryItem(id: $id) { ${NAMES} } }`,
      primingChanges: 0,
    },
  ];

  it.each(cases)(
    'closes a socket that stops reading with 4420, and a reader keeps every change: $name',
    async ({ query, primingChanges }) => {
      const { item } = await createItem(gateway.url, 'SLOW-READER', LONG_NAME);
      const variables = { id: item.id };
      const slow = await subscribe(gateway.url, query, variables, SUBSCRIPTIONS);
      const reader = await subscribe(gateway.url, query, variables, 1);
      for (let change = 0; change < primingChanges; change += 1)
        expect((await checkInItems(gateway.url, item.id, 1)).errors).toBeUndefined();
      await until(() => slow.nexts.size === SUBSCRIPTIONS && reader.nexts.size === 1, 'a first message on every subscription');
      const primed = received(reader);

      slow.socket.pause();
      for (let change = 0; change < CHANGES; change += 1) expect((await checkInItems(gateway.url, item.id, 1)).errors).toBeUndefined();
      await until(() => received(reader) === primed + CHANGES, 'every change at the reading client', 20_000);

      // Reading again, the slow client finds what was queued before the cap, then the close.
      slow.socket.resume();
      expect(await slow.closed).toBe(WS_CLOSE.tooSlow.code);
      expect(received(slow)).toBeLessThan(SUBSCRIPTIONS * (primed + CHANGES));
      expect(reader.socket.readyState).toBe(WebSocket.OPEN);
      reader.socket.close();
    },
  );
});
