/**
 * Tracing cost (issue 14): the query row's and the mutation row's load against two gateways of the
 * same build in the same run, one with tracing off (the default: no OTEL_* variables) and one with
 * tracing on as an operator switches it on (OTEL_EXPORTER_OTLP_ENDPOINT → the OTLP/HTTP exporter
 * behind the batching processor), exporting to a local sink that discards (servers/otlpSinkServer.ts).
 */
import { join } from 'node:path';
import { AUTH_HEADERS, BENCH_JWT_SECRET } from '../lib/auth';
import { Child } from '../lib/child';
import { benchCatalogue, seedGateway } from '../lib/graphql';
import { errorsOf, interleavedLoad, type HttpLoadResult } from '../lib/load';
import { settings } from '../lib/settings';
import { fmtMs, fmtNumber } from '../lib/stats';
import { scratchDir } from '../lib/workdir';
import { INVENTORY_PAGE_QUERY } from './queries';
import type { Scenario } from './scenario';

type Url = { url: string };

const CHECK_IN =
  'mutation CheckIn($input: CheckInItemsInput!) { checkInItems(input: $input) { revision item { id quantityOnHand version } } }';

/** The mutation row's concurrency. */
const MUTATION_CONCURRENCY = 16;

const OFF = 'tracing off (default)';
const ON = 'tracing on (OTLP/HTTP to a discarding local sink)';

function tracingEnv(sinkUrl: string | null): Record<string, string> {
  return sinkUrl === null
    ? { OTEL_SDK_DISABLED: 'true' }
    : { OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl, OTEL_SERVICE_NAME: 'eventshop-bench', OTEL_TRACES_SAMPLER: 'always_on' };
}

function startGateway(input: object, sinkUrl: string | null): Promise<Child<Url>> {
  return Child.start<Url>('gateway', 'servers/gatewayServer.ts', {
    input: { jwtSecret: BENCH_JWT_SECRET, ...input },
    env: tracingEnv(sinkUrl),
  });
}

export const tracing: Scenario = {
  name: 'tracing',
  title: 'Tracing cost: the query and mutation rows with tracing off vs on',
  settings: ['durationS', 'warmupS', 'sliceS', 'queryConnections', 'queryItems', 'mutationItems'],

  async run() {
    const scratch = scratchDir('tracing');
    const children: Child<unknown>[] = [];
    try {
      const sink = await Child.start<Url>('otlp sink', 'servers/otlpSinkServer.ts');
      children.push(sink);
      const rows: string[][] = [];
      const row = (load: string, name: string, result: HttpLoadResult) =>
        rows.push([load, name, fmtNumber(result.okPerSecond), fmtMs(result.latencyMs.p50), fmtMs(result.latencyMs.p99), errorsOf(result)]);

      // Queries: the gateway as users get it (response cache on) and without its cache (every request executes).
      const queryRuns = new Map<string, HttpLoadResult>();
      for (const cache of ['on', 'off'] as const) {
        const env = cache === 'on' ? {} : { RESPONSE_CACHE_ENTRIES: '0' };
        const gateways = await Promise.all([null, sink.ready.url].map((sinkUrl) => startGateway({ store: 'memory', env }, sinkUrl)));
        children.push(...gateways);
        for (const gateway of gateways) await seedGateway(gateway.ready.url, benchCatalogue(settings.queryItems), 1);
        const body = JSON.stringify({ query: INVENTORY_PAGE_QUERY });
        const measured = await interleavedLoad(
          [
            { name: OFF, url: gateways[0]!.ready.url, bodies: [body] },
            { name: ON, url: gateways[1]!.ready.url, bodies: [body] },
          ],
          { connections: settings.queryConnections },
        );
        for (const name of [OFF, ON]) {
          row(`query, response cache ${cache}`, name, measured.get(name)!);
          queryRuns.set(`${cache}/${name}`, measured.get(name)!);
        }
        await Promise.all(gateways.map((gateway) => gateway.stop()));
      }

      // Mutations: durable checkInItems at the mutation row's concurrency, each gateway on its own file store and items.
      const gateways = await Promise.all(
        [null, sink.ready.url].map((sinkUrl, index) =>
          startGateway({ store: 'file', dataDir: join(scratch.path, `gateway-${index}`) }, sinkUrl),
        ),
      );
      children.push(...gateways);
      const bodies = await Promise.all(
        gateways.map(async (gateway) =>
          (await seedGateway(gateway.ready.url, benchCatalogue(settings.mutationItems))).map((id) =>
            JSON.stringify({ query: CHECK_IN, variables: { input: { id, count: 1 } } }),
          ),
        ),
      );
      const mutations = await interleavedLoad(
        [
          { name: OFF, url: gateways[0]!.ready.url, bodies: bodies[0]!, headers: AUTH_HEADERS },
          { name: ON, url: gateways[1]!.ready.url, bodies: bodies[1]!, headers: AUTH_HEADERS },
        ],
        { connections: MUTATION_CONCURRENCY },
      );
      for (const name of [OFF, ON]) row(`mutation c=${MUTATION_CONCURRENCY}`, name, mutations.get(name)!);
      const received = await sink.request<{ exports: number; bytes: number }>('received');
      if (received.exports === 0) throw new Error('the traced gateways exported nothing: tracing was not on');

      const ratio = (on: HttpLoadResult, off: HttpLoadResult) => on.okPerSecond / off.okPerSecond;
      return {
        tables: [{ columns: ['load', 'gateway', 'ok/s', 'p50', 'p99', 'errors'], rows }],
        ratios: [
          {
            label: 'tracing: query (response cache on) req/s with tracing on ÷ off',
            value: ratio(queryRuns.get(`on/${ON}`)!, queryRuns.get(`on/${OFF}`)!),
            direction: 'higher',
            target: null,
            profileTarget: 'on',
          },
          {
            label: 'tracing: query (response cache off) req/s with tracing on ÷ off',
            value: ratio(queryRuns.get(`off/${ON}`)!, queryRuns.get(`off/${OFF}`)!),
            direction: 'higher',
            target: null,
            profileTarget: 'on',
          },
          {
            label: `tracing: mutation c=${MUTATION_CONCURRENCY} ok/s with tracing on ÷ off`,
            value: ratio(mutations.get(ON)!, mutations.get(OFF)!),
            direction: 'higher',
            target: null,
            profileTarget: 'on',
          },
        ],
        notes: [
          `Same build, same run: each pair of gateways (tracing off, tracing on) gets ${settings.warmupS} s of warm-up each, then ${settings.durationS} s of load each in ${settings.sliceS} s slices taken in turn, so both sample the same noise of the shared machine. Queries: \`${INVENTORY_PAGE_QUERY}\`, ${settings.queryConnections} connections, embedded store in memory, ${settings.queryItems} items. Mutations: checkInItems round-robin over ${settings.mutationItems} items at concurrency ${MUTATION_CONCURRENCY}, file-backed embedded store (synchronous=FULL), each gateway on its own store.`,
          "Off: no OTEL_* variable (OTEL_SDK_DISABLED=true is passed so a bench environment with OTEL_* set cannot switch it on): no provider, no GraphQL tracing plugin, the span helpers reduced to one null check. On: OTEL_EXPORTER_OTLP_ENDPOINT set, OTEL_TRACES_SAMPLER=always_on (every request sampled: the worst case), the SDK's batching processor with its defaults (queue 2048, batches of 512 every 5 s; spans beyond the queue are dropped, not waited for).",
          `The sink (its own process) read and discarded ${fmtNumber(received.exports)} OTLP/HTTP JSON exports, ${fmtNumber(received.bytes)} bytes in all.`,
        ],
      };
    } finally {
      await Promise.all(children.map((child) => child.stop()));
      scratch.remove();
    }
  },

  async profile() {
    throw new Error(
      'the tracing scenario is a comparison of two configurations; profile the queries or mutations scenario with OTEL_* set instead',
    );
  },
};
