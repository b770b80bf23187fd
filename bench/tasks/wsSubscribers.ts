/**
 * The WebSocket side of the subscription scenario, in its own process (one per server): opens N
 * graphql-ws (graphql-transport-ws protocol) subscriptions to inventoryItemChanges, then, in the
 * blocks the orchestrator asks for, makes each change with a checkInItems mutation over HTTP —
 * one at a time, waiting until every subscriber has it — and times each delivery against the
 * mutation's acknowledgement (and its start) on this process's clock, so no cross-process clock is
 * involved.
 *
 * The protocol is spoken directly over `ws` (connection_init → connection_ack → subscribe → next),
 * which keeps the client's own cost per message to a timestamp and a regex.
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { fail, finish, sendEvent, taskInput, waitForParent } from '../lib/childRuntime';
import { summarize, type LatencySummary } from '../lib/stats';

export interface WsSubscribersInput {
  readonly wsUrl: string;
  readonly httpUrl: string;
  readonly subscribers: number;
  readonly itemIds: readonly string[];
  /** Sent with each mutation (the subscriptions themselves are anonymous). */
  readonly headers: Record<string, string>;
}

export interface WsSubscribersResult {
  readonly subscribers: number;
  readonly changes: number;
  readonly connectMs: number;
  readonly fromAck: LatencySummary;
  readonly fromStart: LatencySummary;
  /** Mutation round trip (start → acknowledgement). */
  readonly mutation: LatencySummary;
  /** Share of deliveries that arrived before the mutation's acknowledgement. */
  readonly beforeAck: number;
  readonly lost: number;
  readonly errors: number;
  readonly sampleError: string | null;
}

const SUBSCRIPTION =
  'subscription { inventoryItemChanges { eventType position item { id sku name quantityOnHand quantityAvailable version } } }';
const CHECK_IN = 'mutation CheckIn($input: CheckInItemsInput!) { checkInItems(input: $input) { position } }';
const POSITION = /"position":"(\d+)"/;

async function main(): Promise<void> {
  const input = taskInput<WsSubscribersInput>();
  const receipts = new Map<string, number[]>();
  const waiters = new Map<string, { need: number; resolve: () => void }>();
  let errors = 0;
  let sampleError: string | null = null;

  const onNext = (raw: string, at: number) => {
    const position = POSITION.exec(raw)?.[1];
    if (position === undefined) {
      errors += 1;
      sampleError ??= raw.slice(0, 300);
      return;
    }
    let list = receipts.get(position);
    if (!list) receipts.set(position, (list = []));
    list.push(at);
    const waiter = waiters.get(position);
    if (waiter && list.length >= waiter.need) waiter.resolve();
  };

  const sockets: WebSocket[] = [];
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(input.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
      sockets.push(socket);
      socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      socket.on('message', (data: Buffer) => {
        const at = performance.now();
        const raw = data.toString();
        if (raw.startsWith('{"type":"next"') || raw.includes('"type":"next"')) {
          onNext(raw, at);
          return;
        }
        const message = JSON.parse(raw) as { type: string };
        if (message.type === 'connection_ack') {
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: SUBSCRIPTION } }));
          resolve();
        } else if (message.type === 'error') {
          errors += 1;
          sampleError ??= raw.slice(0, 300);
        } else if (message.type === 'ping') {
          socket.send(JSON.stringify({ type: 'pong' }));
        }
      });
      socket.on('error', reject);
      socket.on('close', (code) => {
        if (code !== 1000 && code !== 1005 && code !== 1006) {
          errors += 1;
          sampleError ??= `socket closed with ${code}`;
        }
      });
    });

  const connectStarted = performance.now();
  const batch = 250;
  for (let start = 0; start < input.subscribers; start += batch) {
    await Promise.all(Array.from({ length: Math.min(batch, input.subscribers - start) }, open));
  }
  const connectMs = performance.now() - connectStarted;

  let nextItem = 0;
  const mutate = async () => {
    const id = input.itemIds[nextItem++ % input.itemIds.length]!;
    const started = performance.now();
    const response = await fetch(input.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...input.headers },
      body: JSON.stringify({ query: CHECK_IN, variables: { input: { id, count: 1 } } }),
    });
    const body = (await response.json()) as { data?: { checkInItems: { position: string } }; errors?: unknown };
    const acked = performance.now();
    if (!body.data) throw new Error(`mutation failed: ${JSON.stringify(body.errors)}`);
    return { position: body.data.checkInItems.position, started, acked };
  };
  const waitForAll = (position: string, timeoutMs: number) =>
    new Promise<number>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        waiters.delete(position);
        resolve(receipts.get(position)?.length ?? 0);
      };
      const timer = setTimeout(done, timeoutMs);
      if ((receipts.get(position)?.length ?? 0) >= input.subscribers) done();
      else waiters.set(position, { need: input.subscribers, resolve: done });
    });
  const roundTimeoutMs = 10_000 + input.subscribers * 2;

  // Subscribing is asynchronous on the server: warm up until one change reaches everybody.
  for (let attempt = 1; ; attempt += 1) {
    const { position } = await mutate();
    const received = await waitForAll(position, roundTimeoutMs);
    if (received >= input.subscribers) break;
    if (attempt >= 5) throw new Error(`only ${received} of ${input.subscribers} subscribers received a change`);
  }
  for (let warm = 0; warm < 5; warm += 1) await waitForAll((await mutate()).position, roundTimeoutMs);
  receipts.clear();

  sendEvent('connected', { connectMs });

  // The orchestrator interleaves this client with the other server's: it asks for blocks of
  // changes in turn and ends with a block of 0.
  const fromAck: number[] = [];
  const fromStart: number[] = [];
  const mutationMs: number[] = [];
  let beforeAck = 0;
  let lost = 0;
  for (;;) {
    const { changes } = (await waitForParent('block')) as { changes: number };
    if (changes === 0) break;
    for (let change = 0; change < changes; change += 1) {
      const { position, started, acked } = await mutate();
      const received = await waitForAll(position, roundTimeoutMs);
      lost += input.subscribers - received;
      mutationMs.push(acked - started);
      for (const at of receipts.get(position) ?? []) {
        fromAck.push(at - acked);
        fromStart.push(at - started);
        if (at < acked) beforeAck += 1;
      }
      receipts.delete(position);
    }
    sendEvent('blockDone');
  }
  for (const socket of sockets) socket.terminate();
  const result: WsSubscribersResult = {
    subscribers: input.subscribers,
    changes: mutationMs.length,
    connectMs,
    fromAck: summarize(fromAck),
    fromStart: summarize(fromStart),
    mutation: summarize(mutationMs),
    beforeAck: fromAck.length === 0 ? 0 : beforeAck / fromAck.length,
    lost,
    errors,
    sampleError,
  };
  finish(result);
}

main().catch(fail);
