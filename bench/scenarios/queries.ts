/**
 * Queries: one page of the catalogue over HTTP. The gateway (embedded store in memory, seeded
 * through its own mutations) vs bare graphql-yoga serving the same items from an array vs
 * mercurius + graphql-jit with the same schema and data.
 */
import { isDeepStrictEqual } from 'node:util';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_JWT_SECRET } from '../lib/auth';
import { Child } from '../lib/child';
import { benchCatalogue, gql, readAllItems, seedGateway } from '../lib/graphql';
import { errorsOf, httpLoad, interleavedLoad } from '../lib/load';
import { settings } from '../lib/settings';
import { fmtBytes, fmtMs, fmtNumber } from '../lib/stats';
import { scratchDir } from '../lib/workdir';
import { measuredWindow, type Scenario } from './scenario';

export const INVENTORY_PAGE_QUERY =
  '{ inventoryItems(first: 20) { nodes { id sku name quantityAvailable unitPriceCents } pageInfo { hasNextPage } } }';

type Url = { url: string };

/**
 * Bare yoga with the configuration the query profile pointed at (see yogaTunedServer.ts): the
 * ceiling of our own stack once the gateway runs the same configuration.
 */
const WHAT_IF = 'bare yoga, body-limit stream off + graphql-jit';

/** The gateway as users get it runs its event-invalidated response cache; this one runs without. */
const UNCACHED = 'gateway, response cache off';

async function startGateway(execArgv: readonly string[] = [], env: Record<string, string> = {}): Promise<Child<Url>> {
  const gateway = await Child.start<Url>('gateway', 'servers/gatewayServer.ts', {
    input: { store: 'memory', jwtSecret: BENCH_JWT_SECRET, env },
    execArgv,
  });
  // One at a time: both gateways then list the items in the same (creation) order.
  await seedGateway(gateway.ready.url, benchCatalogue(settings.queryItems), 1);
  return gateway;
}

const body = JSON.stringify({ query: INVENTORY_PAGE_QUERY });

export const queries: Scenario = {
  name: 'queries',
  title: 'Queries: inventoryItems(first: 20) over HTTP',
  settings: ['durationS', 'warmupS', 'sliceS', 'queryConnections', 'queryItems'],

  async run() {
    const scratch = scratchDir('queries');
    const servers: Array<{ name: string; child: Child<Url> }> = [];
    try {
      const gateway = await startGateway();
      servers.push({ name: 'gateway', child: gateway });
      servers.push({ name: UNCACHED, child: await startGateway([], { RESPONSE_CACHE_ENTRIES: '0' }) });
      const itemsFile = join(scratch.path, 'items.json');
      writeFileSync(itemsFile, JSON.stringify(await readAllItems(gateway.ready.url)));
      servers.push({
        name: 'bare graphql-yoga',
        child: await Child.start<Url>('yoga', 'servers/yogaBareServer.ts', { input: { itemsFile } }),
      });
      servers.push({
        name: 'mercurius + graphql-jit',
        child: await Child.start<Url>('mercurius', 'servers/mercuriusServer.ts', { input: { itemsFile } }),
      });
      servers.push({
        name: WHAT_IF,
        child: await Child.start<Url>('yoga (tuned)', 'servers/yogaTunedServer.ts', { input: { itemsFile } }),
      });

      // Same data, same answer: every server must return exactly the gateway's response.
      const answers = await Promise.all(servers.map(({ child }) => gql(child.ready.url, INVENTORY_PAGE_QUERY)));
      answers.forEach((answer, index) => {
        if (!isDeepStrictEqual(answer, answers[0])) {
          throw new Error(`${servers[index]!.name} answers differently from the gateway:\n${JSON.stringify(answer).slice(0, 400)}`);
        }
      });

      const measured = await interleavedLoad(
        servers.map(({ name, child }) => ({ name, url: child.ready.url, bodies: [body] })),
        { connections: settings.queryConnections },
      );
      const rows: string[][] = [];
      for (const { name, child } of servers) {
        const result = measured.get(name)!;
        const memory = await child.request<{ rss: number }>('memory');
        rows.push([
          name,
          fmtNumber(result.okPerSecond),
          fmtMs(result.latencyMs.p50),
          fmtMs(result.latencyMs.p99),
          errorsOf(result),
          fmtBytes(memory.rss),
        ]);
      }
      const ours = measured.get('gateway')!.okPerSecond;
      const yoga = measured.get('bare graphql-yoga')!.okPerSecond;
      const mercurius = measured.get('mercurius + graphql-jit')!.okPerSecond;
      const tuned = measured.get(WHAT_IF)!.okPerSecond;
      const uncached = measured.get(UNCACHED)!.okPerSecond;
      return {
        tables: [{ columns: ['server', 'req/s', 'p50', 'p99', 'errors', 'server RSS after'], rows }],
        ratios: [
          {
            label: 'queries: gateway req/s ÷ bare yoga req/s',
            value: ours / yoga,
            direction: 'higher',
            target: 0.9,
            profileTarget: 'gateway',
          },
          {
            label: 'queries: gateway req/s ÷ mercurius+jit req/s',
            value: ours / mercurius,
            direction: 'higher',
            target: 1.0,
            profileTarget: 'gateway',
          },
          {
            label: 'queries: gateway req/s ÷ tuned bare yoga req/s (same yoga configuration as the gateway)',
            value: ours / tuned,
            direction: 'higher',
            target: 0.9,
            profileTarget: 'gateway',
          },
          {
            label: 'queries: tuned bare yoga req/s ÷ default bare yoga req/s',
            value: tuned / yoga,
            direction: 'higher',
            target: null,
            profileTarget: 'yoga-tuned',
          },
          {
            label: 'queries: gateway without its response cache req/s ÷ tuned bare yoga req/s (the per-request cost alone)',
            value: uncached / tuned,
            direction: 'higher',
            target: 0.9,
            profileTarget: 'gateway',
          },
          {
            label: 'queries: gateway without its response cache req/s ÷ mercurius+jit req/s',
            value: uncached / mercurius,
            direction: 'higher',
            target: null,
            profileTarget: 'gateway',
          },
        ],
        notes: [
          `Query: \`${INVENTORY_PAGE_QUERY}\` (POST, JSON), ${settings.queryConnections} connections; every server gets ${settings.warmupS} s of warm-up, then ${settings.durationS} s of load in ${settings.sliceS} s slices taken in turn (rotating order), so all of them sample the same noise of the shared machine. All answers were checked identical before the load.`,
          `The gateway runs on the embedded store in memory, seeded with ${settings.queryItems} items through its own createInventoryItem/checkInItems mutations; the baselines serve the gateway's own items (read back from it) from an array.`,
          'Latency is every response’s own time as autocannon measured it (not its 1 ms histogram).',
          '"gateway" is the configuration users get: its event-invalidated response cache is on (a repeated query is answered from memory until an event changes what it shows; this load never writes, so it measures hits). "gateway, response cache off" runs the same build with RESPONSE_CACHE_ENTRIES=0: every request executes.',
          `"bare yoga, body-limit stream off + graphql-jit" is bare yoga with yoga's stream-based request-body limit off (a Content-Length check in front instead) and execution through graphql-jit — the two changes the gateway's query profile pointed at. Once the gateway runs that configuration, this row, not default bare yoga, is the ceiling of our own stack, so the issue's ≥ 0.9× target is also checked against it.`,
        ],
      };
    } finally {
      await Promise.all(servers.map(({ child }) => child.stop()));
      scratch.remove();
    }
  },

  /** target: 'gateway' (our side), 'gateway-uncached' (our side, response cache off), or 'yoga' / 'mercurius' / 'yoga-tuned' to profile another server under the same load for comparison. */
  async profile(target, execArgv) {
    const scratch = scratchDir('queries-profile');
    const children: Child<Url>[] = [];
    try {
      let server: Child<Url>;
      const script: Record<string, string> = {
        yoga: 'servers/yogaBareServer.ts',
        mercurius: 'servers/mercuriusServer.ts',
        'yoga-tuned': 'servers/yogaTunedServer.ts',
      };
      if (script[target]) {
        const gateway = await startGateway();
        children.push(gateway);
        const itemsFile = join(scratch.path, 'items.json');
        writeFileSync(itemsFile, JSON.stringify(await readAllItems(gateway.ready.url)));
        await gateway.stop();
        server = await Child.start<Url>(target, script[target]!, { input: { itemsFile }, execArgv });
      } else {
        server = await startGateway(execArgv, target === 'gateway-uncached' ? { RESPONSE_CACHE_ENTRIES: '0' } : {});
      }
      children.push(server);
      // Warm up unprofiled-window first, as the measured runs do.
      await httpLoad(
        { name: target, url: server.ready.url, bodies: [body] },
        { connections: settings.queryConnections, durationS: Math.max(1, settings.warmupS), warmupS: 0 },
      );
      const { window, result } = await measuredWindow(server, () =>
        httpLoad(
          { name: target, url: server.ready.url, bodies: [body] },
          { connections: settings.queryConnections, warmupS: 0, sliceS: settings.durationS },
        ),
      );
      await server.stop();
      const name =
        {
          yoga: 'bare graphql-yoga',
          mercurius: 'mercurius + graphql-jit',
          'yoga-tuned': 'bare yoga with the body-limit stream off and graphql-jit',
          'gateway-uncached': 'the gateway with its response cache off',
        }[target] ?? 'the gateway';
      return {
        description: `${name} process under the query load (${settings.queryConnections} connections, ${settings.durationS} s after warm-up; start-up and seeding cut out)`,
        pid: server.pid,
        window,
        operations: result.responses,
        operationName: 'request',
      };
    } finally {
      await Promise.all(children.map((child) => child.stop()));
      scratch.remove();
    }
  },
};
