/**
 * Mutations: durable checkInItems end to end (HTTP → GraphQL → command handler → group-committed
 * SQLite append with synchronous=FULL → projection → read-your-writes answer) at several
 * concurrencies, vs the same command through Emmett's CommandHandler and SQLite event store behind a
 * minimal node:http endpoint.
 */
import { join } from 'node:path';
import { AUTH_HEADERS, BENCH_JWT_SECRET } from '../lib/auth';
import { Child } from '../lib/child';
import { benchCatalogue, readAllItems, seedGateway } from '../lib/graphql';
import { errorsOf, httpLoad, interleavedLoad, type HttpLoadResult } from '../lib/load';
import { settings } from '../lib/settings';
import { fmtMs, fmtNumber } from '../lib/stats';
import { scratchDir } from '../lib/workdir';
import { measuredWindow, type Scenario } from './scenario';

const CHECK_IN =
  'mutation CheckIn($input: CheckInItemsInput!) { checkInItems(input: $input) { revision item { id quantityOnHand version } } }';

type Url = { url: string };

/**
 * Each command re-reads its stream, so a run on streams that earlier runs made longer would be
 * slower for that reason alone: every run gets its own fresh set of items (`sets` × mutationItems).
 */
async function startSeededGateway(dataDir: string, sets: number, execArgv: readonly string[] = []) {
  const gateway = await Child.start<Url>('gateway', 'servers/gatewayServer.ts', {
    input: { store: 'file', dataDir, jwtSecret: BENCH_JWT_SECRET },
    execArgv,
  });
  const catalogue = benchCatalogue(settings.mutationItems * sets);
  const ids = await seedGateway(gateway.ready.url, catalogue);
  return { gateway, catalogue, ids };
}

const gatewayBodies = (ids: readonly string[]) =>
  ids.map((id) => JSON.stringify({ query: CHECK_IN, variables: { input: { id, count: 1 } } }));
const emmettBodies = (ids: readonly string[]) => ids.map((id) => JSON.stringify({ id, count: 1 }));
const acknowledged = (runs: readonly HttpLoadResult[]) => runs.reduce((sum, run) => sum + run.ok + run.warmupOk, 0);
const totalOnHand = (items: ReadonlyArray<Record<string, unknown>>) => items.reduce((sum, item) => sum + Number(item.quantityOnHand), 0);

export const mutations: Scenario = {
  name: 'mutations',
  title: 'Mutations: durable checkInItems end to end',
  settings: ['durationS', 'warmupS', 'sliceS', 'mutationItems', 'mutationConcurrency'],

  async run() {
    const scratch = scratchDir('mutations');
    const children: Child<unknown>[] = [];
    try {
      const levels = settings.mutationConcurrency;
      const { gateway, catalogue, ids } = await startSeededGateway(join(scratch.path, 'gateway'), levels.length + 1);
      children.push(gateway);
      const startOnHand = totalOnHand(await readAllItems(gateway.ready.url));
      const items = catalogue.map((item, index) => ({
        id: ids[index]!,
        sku: item.sku,
        name: item.name,
        unitPriceCents: item.unitPriceCents,
      }));
      const set = (index: number) => ids.slice(index * settings.mutationItems, (index + 1) * settings.mutationItems);
      const emmett = await Child.start<Url & { synchronous: number }>('emmett', 'servers/emmettServer.ts', {
        input: {
          fileName: join(scratch.path, 'emmett', 'events.sqlite'),
          items: items.slice(0, levels.length * settings.mutationItems),
          mode: 'serialized',
        },
      }).catch((error: unknown) => {
        throw new Error(
          `the Emmett baseline did not start (its SQLite store needs sqlite3's native addon: \`npm rebuild sqlite3\` builds it): ${String(error)}`,
        );
      });
      children.push(emmett);

      const rows: string[][] = [];
      const ratios = [];
      const gatewayRuns: HttpLoadResult[] = [];
      const emmettRuns: HttpLoadResult[] = [];
      const row = (name: string, concurrency: string, result: HttpLoadResult) =>
        rows.push([
          name,
          concurrency,
          fmtNumber(result.okPerSecond),
          result.responses === 0 ? '—' : fmtMs(result.latencyMs.p50),
          result.responses === 0 ? '—' : fmtMs(result.latencyMs.p99),
          errorsOf(result),
        ]);

      for (const [level, concurrency] of levels.entries()) {
        const pair = await interleavedLoad(
          [
            { name: 'gateway', url: gateway.ready.url, bodies: gatewayBodies(set(level)), headers: AUTH_HEADERS },
            { name: 'emmett', url: `${emmett.ready.url}/check-in`, bodies: emmettBodies(set(level)) },
          ],
          { connections: concurrency },
        );
        const ours = pair.get('gateway')!;
        const theirs = pair.get('emmett')!;
        gatewayRuns.push(ours);
        emmettRuns.push(theirs);
        row('gateway', String(concurrency), ours);
        row('Emmett + SQLite (serialized)', String(concurrency), theirs);
        ratios.push({
          label: `mutations c=${concurrency}: gateway ok/s ÷ Emmett ok/s`,
          value: ours.okPerSecond / theirs.okPerSecond,
          direction: 'higher' as const,
          target: concurrency === 16 ? 2 : null,
          profileTarget: `c${concurrency}`,
        });
      }
      const hot = await httpLoad(
        { name: 'gateway hot item', url: gateway.ready.url, bodies: gatewayBodies(set(levels.length).slice(0, 1)), headers: AUTH_HEADERS },
        { connections: 16 },
      );
      gatewayRuns.push(hot);
      row('gateway, one hot item', '16', hot);

      // Every acknowledged check-in must be in the read model (a few more may have landed as the load stopped).
      const applied = totalOnHand(await readAllItems(gateway.ready.url)) - startOnHand;
      const acked = acknowledged(gatewayRuns);
      if (applied < acked) throw new Error(`the gateway acknowledged ${acked} check-ins but shows only ${applied}`);
      const emmettTotal = (await (await fetch(`${emmett.ready.url}/total`)).json()) as {
        quantityOnHand: number;
        errors: Record<string, number>;
      };
      const emmettApplied = emmettTotal.quantityOnHand; // its items start with nothing on hand
      const emmettAcked = acknowledged(emmettRuns);
      if (emmettApplied < emmettAcked) throw new Error(`Emmett acknowledged ${emmettAcked} check-ins but holds only ${emmettApplied}`);
      await emmett.stop();

      // Emmett's store as shipped, with concurrent commands (no serialization in front of it).
      const shipped = await Child.start<Url>('emmett (as shipped)', 'servers/emmettServer.ts', {
        input: {
          fileName: join(scratch.path, 'emmett-shipped', 'events.sqlite'),
          items: items.slice(0, settings.mutationItems),
          mode: 'as-shipped',
        },
      });
      children.push(shipped);
      const shippedRun = await httpLoad(
        { name: 'emmett as shipped', url: `${shipped.ready.url}/check-in`, bodies: emmettBodies(set(0)) },
        { connections: 16, warmupS: 0, durationS: Math.min(4, settings.durationS) },
      );
      row('Emmett + SQLite (as shipped, concurrent)', '16', shippedRun);
      let shippedOutcome: string;
      try {
        const { errors } = (await (await fetch(`${shipped.ready.url}/total`, { signal: AbortSignal.timeout(10_000) })).json()) as {
          errors: Record<string, number>;
        };
        shippedOutcome =
          Object.entries(errors)
            .map(([code, count]) => `${code} ×${count}`)
            .join(', ') || 'no errors this time';
      } catch {
        shippedOutcome = `the server no longer answered${shipped.process.exitCode !== null ? ` (its process exited with ${shipped.process.exitCode})` : ''}; last stderr: ${JSON.stringify(shipped.stderrTail.trim().split('\n').slice(-2).join(' ').slice(0, 200))}`;
      }

      return {
        tables: [{ columns: ['server', 'concurrency', 'ok/s', 'p50', 'p99', 'errors'], rows }],
        ratios,
        notes: [
          `Each request checks 1 unit in to one of ${settings.mutationItems} items, round-robin (the hot-item row: always the same item). Every row starts on its own fresh items (both systems re-read a stream to decide, so streams lengthened by an earlier row would slow a later one). At each concurrency the gateway and Emmett get ${settings.warmupS} s of warm-up each, then ${settings.durationS} s of load each in ${settings.sliceS} s slices taken in turn; the hot-item row runs alone, the as-shipped row alone for at most 4 s without warm-up. ok/s counts 2xx answers without errors.`,
          'Gateway: production config, file-backed embedded store in a fresh temp folder (WAL, synchronous=FULL), admin bearer token on every request, the mutation answers only after the durable commit and the read model showing the write.',
          `Emmett: @event-driven-io/emmett 0.38.5 CommandHandler (retry on version conflict) + @event-driven-io/emmett-sqlite 0.38.5 getSQLiteEventStore on a file (WAL; synchronous=${emmett.ready.synchronous === 2 ? 'FULL' : String(emmett.ready.synchronous)}, node-sqlite3's default), the project's own inventory decider, behind node:http; no GraphQL, no read model. The registry here has no @event-driven-io/emmett 0.42.4, which emmett-sqlite 0.42.x requires, so 0.38.5 is the newest consistent pair.`,
          `Emmett's SQLite store opens a connection per operation and closes the shared handle when an operation ends, with no busy timeout: with commands in flight at once it fails (as-shipped row: ${shippedOutcome}). The serialized rows put a one-at-a-time queue in front of it — what a user has to do — and are the baseline for the ratios.`,
          `Check: the gateway acknowledged ${fmtNumber(acked)} check-ins (warm-ups included) and its read model shows ${fmtNumber(applied)} more units; Emmett acknowledged ${fmtNumber(emmettAcked)} and holds ${fmtNumber(emmettApplied)} (a few more than acknowledged: requests in flight when a run stopped). Emmett (serialized) errors: ${
            Object.entries(emmettTotal.errors)
              .map(([code, count]) => `${code} ×${count}`)
              .join(', ') || 'none'
          }.`,
        ],
      };
    } finally {
      await Promise.all(children.map((child) => child.stop()));
      scratch.remove();
    }
  },

  async profile(target, execArgv) {
    const concurrency = Number(/^c(\d+)$/.exec(target)?.[1] ?? 16);
    const scratch = scratchDir('mutations-profile');
    const { gateway, ids } = await startSeededGateway(join(scratch.path, 'gateway'), 1, execArgv);
    try {
      const { window, result } = await measuredWindow(gateway, () =>
        httpLoad(
          { name: 'gateway', url: gateway.ready.url, bodies: gatewayBodies(ids), headers: AUTH_HEADERS },
          { connections: concurrency, warmupS: 0, sliceS: settings.durationS },
        ),
      );
      return {
        description: `the gateway process under checkInItems load at concurrency ${concurrency} (${settings.durationS} s; start-up and seeding cut out)`,
        pid: gateway.pid,
        window,
        operations: result.responses,
        operationName: 'mutation',
      };
    } finally {
      await gateway.stop();
      scratch.remove();
    }
  },
};
