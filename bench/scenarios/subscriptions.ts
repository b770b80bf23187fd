/**
 * Subscriptions: N graphql-ws subscribers to inventoryItemChanges (in a separate client process),
 * changes made one at a time by checkInItems mutations; delivery latency from the mutation's
 * acknowledgement to receipt, and the server's memory per subscriber. The gateway (durable file
 * store, changes flow event store → projection → change feed) vs bare yoga + graphql-ws
 * broadcasting the same payloads from an in-memory pubsub.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WsSubscribersInput, WsSubscribersResult } from '../tasks/wsSubscribers';
import { AUTH_HEADERS, BENCH_JWT_SECRET } from '../lib/auth';
import { Child } from '../lib/child';
import { benchCatalogue, readAllItems, seedGateway } from '../lib/graphql';
import { settings } from '../lib/settings';
import { fmtBytes, fmtMs, fmtNumber } from '../lib/stats';
import { scratchDir } from '../lib/workdir';
import type { ProfiledRun, Scenario } from './scenario';

const ITEMS = 20;
const BARE = 'bare yoga + graphql-ws + pubsub';
type Url = { url: string };
type Memory = { rss: number; heapUsed: number };

interface Measured {
  readonly result: WsSubscribersResult;
  readonly rssBefore: number;
  readonly rssAfter: number;
  readonly heapBefore: number;
  readonly heapAfter: number;
}

interface Side {
  readonly name: string;
  readonly server: Child<Url>;
}

/** Changes per block: the servers take turns in blocks this long. */
const BLOCK = 5;

/** Changes per server at `subscribers` subscribers (capped so the 10,000 case stays within the time budget). */
export function changesFor(subscribers: number): number {
  return Math.max(BLOCK, Math.min(settings.subscriptionChanges, Math.ceil(settings.subscriptionMaxDeliveries / subscribers)));
}

/**
 * Connects one client process per server (measuring each server's memory around it), then has
 * the clients make their changes in blocks, taking turns, so both servers see the same noise.
 * Also returns each server's measured window (for --cpu-prof).
 */
async function measureSideBySide(
  sides: readonly Side[],
  subscribers: number,
  itemIds: readonly string[],
): Promise<Map<string, Measured & { window: [number, number] }>> {
  const changes = changesFor(subscribers);
  const clients: Array<{
    side: Side;
    client: Child<unknown>;
    result: Promise<WsSubscribersResult>;
    before: Memory;
    after: Memory;
    blockDone: () => Promise<void>;
  }> = [];
  try {
    for (const side of sides) {
      const before = await side.server.request<Memory>('gc');
      const input: WsSubscribersInput = {
        wsUrl: side.server.ready.url.replace(/^http/, 'ws'),
        httpUrl: side.server.ready.url,
        subscribers,
        itemIds,
        headers: AUTH_HEADERS,
      };
      let connected!: () => void;
      const isConnected = new Promise<void>((resolve) => (connected = resolve));
      let onBlockDone: (() => void) | null = null;
      let started!: (child: Child<unknown>) => void;
      const childStarted = new Promise<Child<unknown>>((resolve) => (started = resolve));
      const result = Child.run<WsSubscribersResult>(`ws clients → ${side.name}`, 'tasks/wsSubscribers.ts', { input }, (child) => {
        child.on('connected', () => connected());
        child.on('blockDone', () => onBlockDone?.());
        started(child);
      });
      const client = await childStarted;
      const early = result.then(() => {
        throw new Error(`the ${side.name} clients finished before connecting`);
      });
      early.catch(() => {});
      await Promise.race([isConnected, early]);
      const after = await side.server.request<Memory>('gc');
      clients.push({
        side,
        client,
        result,
        before,
        after,
        blockDone: () =>
          new Promise<void>((resolve) => {
            onBlockDone = resolve;
          }),
      });
    }
    const windows = new Map<string, [number, number]>(sides.map((side) => [side.name, [0, 0]]));
    for (let done = 0, block = 0; done < changes; done += BLOCK, block += 1) {
      const size = Math.min(BLOCK, changes - done);
      const order = block % 2 === 0 ? clients : [...clients].reverse();
      for (const { side, client, blockDone } of order) {
        const window = windows.get(side.name)!;
        if (window[0] === 0) window[0] = await side.server.request<number>('clock');
        const finished = blockDone();
        client.signal('block', { changes: size });
        await finished;
        window[1] = await side.server.request<number>('clock');
      }
    }
    const measured = new Map<string, Measured & { window: [number, number] }>();
    for (const { side, client, result, before, after } of clients) {
      client.signal('block', { changes: 0 });
      measured.set(side.name, {
        result: await result,
        rssBefore: before.rss,
        rssAfter: after.rss,
        heapBefore: before.heapUsed,
        heapAfter: after.heapUsed,
        window: windows.get(side.name)!,
      });
    }
    return measured;
  } finally {
    for (const { client } of clients) await client.stop();
  }
}

async function startGateway(dataDir: string, execArgv: readonly string[] = []) {
  const gateway = await Child.start<Url>('gateway', 'servers/gatewayServer.ts', {
    input: { store: 'file', dataDir, jwtSecret: BENCH_JWT_SECRET },
    execArgv: ['--expose-gc', ...execArgv],
  });
  const ids = await seedGateway(gateway.ready.url, benchCatalogue(ITEMS));
  return { gateway, ids };
}

export const subscriptions: Scenario = {
  name: 'subscriptions',
  title: 'Subscriptions: inventoryItemChanges fan-out over graphql-ws',
  settings: ['subscribers', 'subscriptionChanges', 'subscriptionMaxDeliveries'],

  async run() {
    const scratch = scratchDir('subscriptions');
    const rows: string[][] = [];
    const ratios = [];
    const notes: string[] = [];
    try {
      for (const count of settings.subscribers) {
        const { gateway, ids } = await startGateway(join(scratch.path, `gateway-${count}`));
        let yoga: Child<Url> | null = null;
        let measured: Map<string, Measured>;
        try {
          const itemsFile = join(scratch.path, `items-${count}.json`);
          writeFileSync(itemsFile, JSON.stringify(await readAllItems(gateway.ready.url)));
          yoga = await Child.start<Url>('yoga', 'servers/yogaBareServer.ts', { input: { itemsFile }, execArgv: ['--expose-gc'] });
          measured = await measureSideBySide(
            [
              { name: 'gateway', server: gateway },
              { name: BARE, server: yoga },
            ],
            count,
            ids,
          );
        } finally {
          await gateway.stop();
          await yoga?.stop();
        }
        for (const name of ['gateway', BARE]) {
          const m = measured.get(name)!;
          const r = m.result;
          rows.push([
            name,
            fmtNumber(count),
            String(r.changes),
            fmtMs(r.fromAck.p50),
            fmtMs(r.fromAck.p99),
            fmtMs(r.fromStart.p50),
            fmtMs(r.fromStart.p99),
            `${(r.beforeAck * 100).toFixed(0)}%`,
            fmtMs(r.mutation.p50),
            fmtBytes((m.rssAfter - m.rssBefore) / count),
            fmtBytes((m.heapAfter - m.heapBefore) / count),
            `${r.lost + r.errors}`,
          ]);
        }
        const g = measured.get('gateway')!;
        const b = measured.get(BARE)!;
        ratios.push({
          label: `subscriptions ${fmtNumber(count)}: gateway p99 ÷ bare p99 (from mutation start)`,
          value: g.result.fromStart.p99 / b.result.fromStart.p99,
          direction: 'lower' as const,
          target: count >= 10_000 ? 0.5 : null,
          profileTarget: String(count),
        });
        ratios.push({
          label: `subscriptions ${fmtNumber(count)}: gateway mutation p50 ÷ bare (acknowledgement while fanning out)`,
          value: g.result.mutation.p50 / b.result.mutation.p50,
          direction: 'lower' as const,
          target: null,
          profileTarget: String(count),
        });
        ratios.push({
          label: `subscriptions ${fmtNumber(count)}: gateway heap per subscriber ÷ bare`,
          value: (g.heapAfter - g.heapBefore) / Math.max(1, b.heapAfter - b.heapBefore),
          direction: 'lower' as const,
          target: null,
          profileTarget: String(count),
        });
        notes.push(
          `${fmtNumber(count)} subscribers: connecting took ${fmtNumber(g.result.connectMs)} ms (gateway) / ${fmtNumber(b.result.connectMs)} ms (bare); ${fmtNumber(g.result.fromAck.count)} / ${fmtNumber(b.result.fromAck.count)} deliveries timed.`,
        );
      }
      return {
        tables: [
          {
            columns: [
              'server',
              'subscribers',
              'changes',
              'p50 from ack',
              'p99 from ack',
              'p50 from start',
              'p99 from start',
              'delivered before ack',
              'mutation p50',
              'RSS / subscriber',
              'heap / subscriber',
              'lost + errors',
            ],
            rows,
          },
        ],
        ratios,
        notes: [
          `Changes one at a time: a client process per server sends checkInItems over HTTP (round-robin over ${ITEMS} items), records its acknowledgement, and waits until every subscriber has that change (matched by position) before the next. The two servers run at the same time and take turns in blocks of ${BLOCK} changes, so both see the same noise. ${settings.subscriptionChanges} changes per server, capped at ${fmtNumber(settings.subscriptionMaxDeliveries)} deliveries (BENCH_SUBSCRIPTION_MAX_DELIVERIES) to keep the whole bench under ten minutes.`,
          'Latencies are per delivery, on the client process’s clock: "from ack" = receipt − acknowledgement (negative when the change arrived before the mutation’s answer), "from start" = receipt − the mutation’s start. The issue’s target (p99 ≤ ½ of bare at 10,000) is checked on "from start", which is always positive.',
          'Memory: RSS and heap of the server process after a forced GC, before its subscribers connect and after they are connected and warmed up, divided by the subscriber count (RSS moves in large steps; heap is the steadier figure).',
          'The gateway runs the production config on a file-backed store; subscriptions are anonymous (as the gateway allows for inventoryItemChanges), mutations carry the admin token. The baseline is bare graphql-yoga with graphql-ws wired the same way, publishing from createPubSub in its mutation resolver.',
          'Each client speaks graphql-transport-ws directly over `ws` (connection_init, subscribe, next), so its own work per message is a timestamp and a regex; one client process holds all of a server’s connections, so the last deliveries of a change also wait for the client to read the earlier ones — the same for both servers.',
          ...notes,
        ],
      };
    } finally {
      scratch.remove();
    }
  },

  async profile(target, execArgv): Promise<ProfiledRun> {
    const count = Number(target) || settings.subscribers[settings.subscribers.length - 1]!;
    const scratch = scratchDir('subscriptions-profile');
    const { gateway, ids } = await startGateway(join(scratch.path, 'gateway'), execArgv);
    try {
      const measured = (await measureSideBySide([{ name: 'gateway', server: gateway }], count, ids)).get('gateway')!;
      return {
        description: `the gateway process delivering ${measured.result.changes} changes to ${fmtNumber(count)} subscribers (connecting cut out)`,
        pid: gateway.pid,
        window: measured.window,
        operations: measured.result.fromStart.count,
        operationName: 'delivery',
      };
    } finally {
      await gateway.stop();
      scratch.remove();
    }
  },
};
