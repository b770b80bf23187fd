/**
 * Read-your-writes: how much the wait for the read model (and, end to end, GraphQL over HTTP)
 * adds to a durable append. In process: InventoryService.checkInItems (append + wait + read) vs
 * CommandHandler.handle (append only), same store settings; over HTTP: the checkInItems mutation
 * against the gateway process, from an autocannon process.
 */
import { join } from 'node:path';
import type { RywInput, RywRun } from '../tasks/readYourWrites';
import { AUTH_HEADERS, BENCH_JWT_SECRET } from '../lib/auth';
import { Child } from '../lib/child';
import { benchCatalogue, seedGateway } from '../lib/graphql';
import { errorsOf, httpLoad } from '../lib/load';
import type { Ratio } from '../lib/results';
import { settings } from '../lib/settings';
import { fmtMs, fmtNumber, type LatencySummary } from '../lib/stats';
import { scratchDir } from '../lib/workdir';
import type { ProfiledRun, Scenario } from './scenario';

const CHECK_IN =
  'mutation CheckIn($input: CheckInItemsInput!) { checkInItems(input: $input) { revision item { id quantityOnHand version } } }';

function inProcess(filename: string, execArgv: readonly string[] = [], onPid?: (pid: number) => void) {
  const input: RywInput = {
    filename,
    items: settings.mutationItems,
    concurrencies: settings.rywConcurrency,
    durationS: settings.durationS,
    warmupS: settings.warmupS,
  };
  return Child.run<{ runs: RywRun[]; window: [number, number] }>(
    'read-your-writes (in process)',
    'tasks/readYourWrites.ts',
    { input, execArgv },
    (child) => onPid?.(child.pid),
  );
}

export const readYourWrites: Scenario = {
  name: 'ryw',
  title: 'Read-your-writes: mutation start → acknowledgement with the read model',
  settings: ['durationS', 'warmupS', 'mutationItems', 'rywConcurrency'],

  async run() {
    const scratch = scratchDir('ryw');
    try {
      const { runs } = await inProcess(join(scratch.path, 'in-process', 'events.sqlite'));
      const gateway = await Child.start<{ url: string }>('gateway', 'servers/gatewayServer.ts', {
        input: { store: 'file', dataDir: join(scratch.path, 'gateway'), jwtSecret: BENCH_JWT_SECRET },
      });
      const http = new Map<number, Awaited<ReturnType<typeof httpLoad>>>();
      try {
        const m = settings.mutationItems;
        const ids = await seedGateway(gateway.ready.url, benchCatalogue(m * settings.rywConcurrency.length));
        for (const [index, concurrency] of settings.rywConcurrency.entries()) {
          const bodies = ids
            .slice(index * m, (index + 1) * m)
            .map((id) => JSON.stringify({ query: CHECK_IN, variables: { input: { id, count: 1 } } }));
          http.set(
            concurrency,
            await httpLoad(
              { name: 'gateway', url: gateway.ready.url, bodies, headers: AUTH_HEADERS },
              { connections: concurrency, sliceS: settings.durationS },
            ),
          );
        }
      } finally {
        await gateway.stop();
      }
      // The floor under the HTTP mutation: the same service call behind bare node:http, same load.
      const floor = await Child.start<{ url: string; ids: string[] }>('bare HTTP service', 'servers/serviceHttpServer.ts', {
        input: { filename: join(scratch.path, 'floor', 'events.sqlite'), items: settings.mutationItems * settings.rywConcurrency.length },
      });
      const floorHttp = new Map<number, Awaited<ReturnType<typeof httpLoad>>>();
      try {
        const m = settings.mutationItems;
        for (const [index, concurrency] of settings.rywConcurrency.entries()) {
          const bodies = floor.ready.ids
            .slice(index * m, (index + 1) * m)
            .map((id) => JSON.stringify({ query: CHECK_IN, variables: { input: { id, count: 1 } } }));
          floorHttp.set(
            concurrency,
            await httpLoad(
              { name: 'bare HTTP service', url: floor.ready.url, bodies },
              { connections: concurrency, sliceS: settings.durationS },
            ),
          );
        }
      } finally {
        await floor.stop();
      }
      const rows: string[][] = [];
      const ratios: Ratio[] = [];
      for (const concurrency of settings.rywConcurrency) {
        const append = runs.find((run) => run.variant === 'append' && run.concurrency === concurrency)!;
        const ryw = runs.find((run) => run.variant === 'ryw' && run.concurrency === concurrency)!;
        const appendOnThread = runs.find((run) => run.variant === 'appendOnWriterThread' && run.concurrency === concurrency)!;
        const e2e = http.get(concurrency)!;
        const bare = floorHttp.get(concurrency)!;
        const row = (path: string, perSecond: number, latencyMs: LatencySummary, errors = '0') =>
          rows.push([path, String(concurrency), fmtNumber(perSecond), fmtMs(latencyMs.p50), fmtMs(latencyMs.p99), errors]);
        row('CommandHandler.handle: durable append only (in process)', append.perSecond, append.latencyMs);
        row(
          'CommandHandler.handle: durable append only, committed on the writer thread (in process)',
          appendOnThread.perSecond,
          appendOnThread.latencyMs,
        );
        row('InventoryService.checkInItems: append + read model (in process)', ryw.perSecond, ryw.latencyMs);
        row('checkInItems mutation over HTTP (gateway process)', e2e.okPerSecond, e2e.latencyMs, errorsOf(e2e));
        row(
          'InventoryService.checkInItems behind bare node:http, no GraphQL (server process, writer thread)',
          bare.okPerSecond,
          bare.latencyMs,
          errorsOf(bare),
        );
        // Every ratio is a latency against the append-only one: lower is better.
        const ratio = (label: string, value: number, target: number | null = null) =>
          ratios.push({ label: `ryw c=${concurrency}: ${label}`, value, direction: 'lower', target, profileTarget: 'in-process' });
        ratio('p50 with read model ÷ append-only p50 (in process)', ryw.latencyMs.p50 / append.latencyMs.p50);
        ratio('p99 with read model ÷ append-only p99 (in process)', ryw.latencyMs.p99 / append.latencyMs.p99);
        ratio('HTTP mutation p50 ÷ append-only p50', e2e.latencyMs.p50 / append.latencyMs.p50, 1.5);
        ratio('bare-HTTP service p50 ÷ append-only p50 (the floor of any HTTP mutation here)', bare.latencyMs.p50 / append.latencyMs.p50);
        ratio('HTTP mutation p50 ÷ bare-HTTP service p50 (GraphQL and the gateway’s stack)', e2e.latencyMs.p50 / bare.latencyMs.p50);
        ratio(
          'append-only p50 committed on the writer thread ÷ on this thread (in process)',
          appendOnThread.latencyMs.p50 / append.latencyMs.p50,
        );
      }
      return {
        tables: [{ columns: ['path', 'concurrency', 'ops/s', 'p50', 'p99', 'errors'], rows }],
        ratios,
        notes: [
          `In process: one child process, a file-backed SqliteEventStore (WAL, synchronous=FULL), ProjectionRunner with the inventory projection, ${settings.mutationItems} items, each operation checks 1 unit in to the next item round-robin, each row on fresh items; ${settings.durationS} s per row after ${settings.warmupS} s of warm-up; latency from the call to its promise resolving (performance.now()).`,
          'Append committed on the writer thread: the same CommandHandler.handle on a second file whose SqliteEventStore commits on its worker thread (`writerThread: true`, as the gateway opens its file store): the post to the thread and its answer are in the latency.',
          'Over HTTP: the gateway process (production config, file store: commits on the writer thread) and an autocannon process, as in the mutations scenario; each response’s own latency.',
          'Issue 13 targets HTTP mutation p50 ÷ in-process append p50 ≤ 1.5× at c=1 and c=16; the reference is the append committed on the calling thread, as the issue measured it; the append on the writer thread is shown beside it.',
          'Bare HTTP service (bench/servers/serviceHttpServer.ts): the same InventoryService.checkInItems (decide, append committed on the writer thread, projection wait, view read) behind a bare node:http handler in its own process, no GraphQL, yoga, plugins or auth, taking the gateway’s request bodies and answering the same JSON, loaded by the same autocannon process after the gateway: what the gateway takes beyond it is GraphQL and its HTTP stack; what it takes beyond the in-process append is the transport, the process hop and the projection wait.',
        ],
      };
    } finally {
      scratch.remove();
    }
  },

  async profile(_target, execArgv): Promise<ProfiledRun> {
    const scratch = scratchDir('ryw-profile');
    try {
      let pid = -1;
      const { window } = await inProcess(join(scratch.path, 'events.sqlite'), execArgv, (child) => (pid = child));
      return { description: 'the in-process read-your-writes task (append-only and read-your-writes runs)', pid, window };
    } finally {
      scratch.remove();
    }
  },
};
