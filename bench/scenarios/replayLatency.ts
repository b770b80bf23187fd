/**
 * Does the gateway keep answering while it replays? N events in an embedded store file (the
 * rebuild scenario's data), then one gateway process on that file, probed from this process:
 * - start-up replay: from spawning the gateway until it reports ready (caught up);
 * - idle: the caught-up gateway, doing nothing else;
 * - rebuild: `rebuildProjections` of all N events, side by side with the live read model, while
 *   a mutation is sent every MUTATION_INTERVAL_MS and the progress is read every PROGRESS_INTERVAL_MS.
 * The probes are GET /health and the query `{ status { caughtUp processedEvents } }`, one after the
 * other every PROBE_INTERVAL_MS each; a probe's latency counts in the phase it started and ended in.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AUTH_HEADERS, BENCH_JWT_SECRET } from '../lib/auth';
import { Child } from '../lib/child';
import { gql } from '../lib/graphql';
import { settings } from '../lib/settings';
import { fmtMs, fmtNumber, sleep, summarize, type LatencySummary } from '../lib/stats';
import { scratchDir } from '../lib/workdir';
import type { ProfiledRun, Scenario } from './scenario';

const PROBE_INTERVAL_MS = 10;
const MUTATION_INTERVAL_MS = 20;
const PROGRESS_INTERVAL_MS = 100;
const IDLE_MS = 5_000;
/** The issue's bound for /health and a simple query while a replay runs. */
const LATENCY_TARGET_MS = 50;
const PROBE_QUERY = '{ status { caughtUp processedEvents } }';

type Phase = 'start-up replay' | 'idle' | 'rebuild';
type ProbeKind = 'health' | 'query' | 'mutation';

interface Sample {
  readonly phase: Phase;
  readonly kind: ProbeKind;
  readonly ms: number;
  readonly ok: boolean;
}

/** A port free right now, for the gateway: a fixed port lets the probes reach it before it reports ready. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function post(url: string, query: string, variables?: Record<string, unknown>): Promise<boolean> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...AUTH_HEADERS },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { errors?: unknown[] };
  return response.ok && !body.errors;
}

/** Sends `request` again and again, `intervalMs` apart, recording each answer under the phase it ran in. */
async function probeLoop(
  kind: ProbeKind,
  request: () => Promise<boolean>,
  intervalMs: number,
  phaseOf: () => Phase | 'paused' | null,
  stop: AbortSignal,
  samples: Sample[],
  notListeningYet: () => boolean = () => false,
) {
  while (!stop.aborted) {
    const phase = phaseOf();
    if (phase === 'paused') {
      await sleep(intervalMs);
      continue;
    }
    const started = performance.now();
    let ok: boolean;
    try {
      ok = await request();
    } catch {
      ok = false;
    }
    const ms = performance.now() - started;
    if (phase !== null && phaseOf() === phase && (ok || kind !== 'health' || !notListeningYet()))
      samples.push({ phase: phase as Phase, kind, ms, ok });
    await sleep(intervalMs);
  }
}

export interface ReplayLatencyRun {
  readonly events: number;
  readonly samples: readonly Sample[];
  /** From spawning the gateway to its first answer, and to its ready report (caught up). */
  readonly firstAnswerMs: number | null;
  readonly startupMs: number;
  readonly rebuildMs: number;
  /** A second rebuild with every probe paused: the rebuild's own throughput in the gateway. */
  readonly unprobedRebuildMs: number;
  readonly unprobedRebuiltEvents: number;
  readonly rebuiltEvents: number;
  /** Progress reads while the rebuild ran that showed it between 0 and 100 %, of all reads while running. */
  readonly progressMidway: number;
  readonly progressReads: number;
  /** Progress reads that failed (no answer). */
  readonly progressFailures: number;
  readonly maxProgressMidway: number;
}

async function runOnce(events: number, execArgv: readonly string[] = [], onGatewayPid?: (pid: number) => void): Promise<ReplayLatencyRun> {
  const scratch = scratchDir('replay-latency');
  try {
    const filename = join(scratch.path, 'events.sqlite');
    const written = await Child.run<{ events: number }>('replay: write events', 'tasks/rebuildWrite.ts', { input: { filename, events } });
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const url = `${base}/graphql`;
    const samples: Sample[] = [];
    let phase: Phase | 'paused' | null = 'start-up replay';
    const stop = new AbortController();
    const spawnedAt = performance.now();
    let firstAnswerMs: number | null = null;
    const health = async () => {
      const response = await fetch(`${base}/health`);
      await response.arrayBuffer();
      if (firstAnswerMs === null && response.ok) firstAnswerMs = performance.now() - spawnedAt;
      return response.ok;
    };
    // Until the gateway first answers, a refused probe means "not listening yet", not an error.
    const probePhase = () => (phase === 'start-up replay' && firstAnswerMs === null ? null : phase);
    const probes = [
      probeLoop(
        'health',
        health,
        PROBE_INTERVAL_MS,
        () => phase,
        stop.signal,
        samples,
        () => firstAnswerMs === null,
      ),
      probeLoop('query', () => post(url, PROBE_QUERY), PROBE_INTERVAL_MS, probePhase, stop.signal, samples),
    ];
    const gateway = await Child.start<{ url: string }>('replay: gateway', 'servers/gatewayServer.ts', {
      input: { store: 'file', dataDir: scratch.path, jwtSecret: BENCH_JWT_SECRET, port },
      readyTimeoutMs: 1_800_000,
      execArgv,
    });
    onGatewayPid?.(gateway.process.pid!);
    const startupMs = performance.now() - spawnedAt;
    phase = null;
    try {
      const created = await gql<{ createInventoryItem: { item: { id: string } } }>(
        url,
        `mutation { createInventoryItem(input: { sku: "REPLAY-PROBE", name: "Probe" }) { item { id } } }`,
      );
      const itemId = created.createInventoryItem.item.id;
      phase = 'idle';
      await sleep(IDLE_MS);
      phase = null;

      const checkIn = () => post(url, `mutation($id: ID!) { checkInItems(input: { id: $id, count: 1 }) { revision } }`, { id: itemId });
      let progressReads = 0;
      let progressMidway = 0;
      let maxProgressMidway = 0;
      let rebuiltEvents = 0;
      let progressFailures = 0;
      phase = 'rebuild';
      const mutations = probeLoop('mutation', checkIn, MUTATION_INTERVAL_MS, () => phase, stop.signal, samples);
      const rebuildStarted = performance.now();
      await gql(url, 'mutation { rebuildProjections { state } }');
      for (;;) {
        let status: { state: string; processedEvents: number; totalEvents: number; percent: number };
        try {
          ({ projectionRebuild: status } = await gql<{ projectionRebuild: typeof status }>(
            url,
            '{ projectionRebuild { state processedEvents totalEvents percent } }',
          ));
        } catch {
          // A gateway that held its event loop may drop a kept-alive connection: count it, ask again.
          progressFailures += 1;
          await sleep(PROGRESS_INTERVAL_MS);
          continue;
        }
        if (status.state !== 'RUNNING') {
          if (status.state !== 'COMPLETED') throw new Error(`the rebuild ended ${status.state}`);
          rebuiltEvents = status.processedEvents;
          break;
        }
        progressReads += 1;
        if (status.processedEvents > 0 && status.processedEvents < status.totalEvents) {
          progressMidway += 1;
          maxProgressMidway = Math.max(maxProgressMidway, status.percent);
        }
        await sleep(PROGRESS_INTERVAL_MS);
      }
      const rebuildMs = performance.now() - rebuildStarted;

      phase = 'paused';
      await sleep(1_000);
      const unprobedStarted = performance.now();
      await gql(url, 'mutation { rebuildProjections { state } }');
      let unprobedRebuiltEvents = 0;
      for (;;) {
        await sleep(PROGRESS_INTERVAL_MS);
        try {
          const { projectionRebuild: status } = await gql<{ projectionRebuild: { state: string; processedEvents: number } }>(
            url,
            '{ projectionRebuild { state processedEvents } }',
          );
          if (status.state === 'RUNNING') continue;
          if (status.state !== 'COMPLETED') throw new Error(`the rebuild ended ${status.state}`);
          unprobedRebuiltEvents = status.processedEvents;
          break;
        } catch (error) {
          if (error instanceof Error && error.message.startsWith('the rebuild ended')) throw error;
        }
      }
      const unprobedRebuildMs = performance.now() - unprobedStarted;
      phase = null;
      stop.abort();
      await Promise.all([...probes, mutations]);
      return {
        events: written.events,
        samples,
        firstAnswerMs,
        startupMs,
        rebuildMs,
        unprobedRebuildMs,
        unprobedRebuiltEvents,
        rebuiltEvents,
        progressMidway,
        progressReads,
        progressFailures,
        maxProgressMidway,
      };
    } finally {
      stop.abort();
      await gateway.stop();
    }
  } finally {
    scratch.remove();
  }
}

function latencies(run: ReplayLatencyRun, phase: Phase, kind: ProbeKind): LatencySummary & { errors: number } {
  const mine = run.samples.filter((sample) => sample.phase === phase && sample.kind === kind);
  return {
    ...summarize(mine.filter((sample) => sample.ok).map((sample) => sample.ms)),
    errors: mine.filter((sample) => !sample.ok).length,
  };
}

export const replayLatency: Scenario = {
  name: 'replay',
  title: 'Probe latency while the embedded store replays (start-up and rebuild)',
  settings: ['rebuildEvents'],

  async run() {
    const run = await runOnce(settings.rebuildEvents);
    const phases: Phase[] = ['idle', 'start-up replay', 'rebuild'];
    const cell = (summary: LatencySummary) =>
      summary.count === 0 ? 'no answer' : `${fmtMs(summary.p50)} / ${fmtMs(summary.p99)} / ${fmtMs(summary.max)}`;
    const rows = phases.map((phase) => {
      const health = latencies(run, phase, 'health');
      const query = latencies(run, phase, 'query');
      return [phase, fmtNumber(health.count), cell(health), fmtNumber(query.count), cell(query), fmtNumber(health.errors + query.errors)];
    });
    const mutations = latencies(run, 'rebuild', 'mutation');
    const during = (phase: Phase, kind: ProbeKind) => latencies(run, phase, kind).p99;
    const idle = (kind: ProbeKind) => latencies(run, 'idle', kind).p99;
    return {
      tables: [
        {
          columns: ['phase', '/health answers', '/health p50 / p99 / max', 'query answers', 'query p50 / p99 / max', 'errors'],
          rows,
        },
        {
          columns: ['replay', 'events', 'time', 'events/s', 'mutations acknowledged (p50 / p99)', 'progress reads midway'],
          rows: [
            [
              'start-up replay under probes (spawn to ready)',
              fmtNumber(run.events),
              fmtMs(run.startupMs),
              fmtNumber((run.events / run.startupMs) * 1000),
              '—',
              '—',
            ],
            [
              'rebuildProjections under probes',
              fmtNumber(run.rebuiltEvents),
              fmtMs(run.rebuildMs),
              fmtNumber((run.rebuiltEvents / run.rebuildMs) * 1000),
              `${fmtNumber(mutations.count)} of ${fmtNumber(mutations.count + mutations.errors)} (${fmtMs(mutations.p50)} / ${fmtMs(mutations.p99)})`,
              `${fmtNumber(run.progressMidway)} of ${fmtNumber(run.progressReads)} (up to ${fmtNumber(run.maxProgressMidway, 1)} %)${run.progressFailures > 0 ? `; ${fmtNumber(run.progressFailures)} failed` : ''}`,
            ],
            [
              'rebuildProjections, probes paused',
              fmtNumber(run.unprobedRebuiltEvents),
              fmtMs(run.unprobedRebuildMs),
              fmtNumber((run.unprobedRebuiltEvents / run.unprobedRebuildMs) * 1000),
              '—',
              '—',
            ],
          ],
        },
      ],
      ratios: [
        {
          label: `replay: /health p99 during rebuild ÷ ${LATENCY_TARGET_MS} ms`,
          value: during('rebuild', 'health') / LATENCY_TARGET_MS,
          direction: 'lower' as const,
          target: 1,
          profileTarget: 'gateway',
        },
        {
          label: `replay: query p99 during rebuild ÷ ${LATENCY_TARGET_MS} ms`,
          value: during('rebuild', 'query') / LATENCY_TARGET_MS,
          direction: 'lower' as const,
          target: 1,
          profileTarget: 'gateway',
        },
        {
          label: `replay: /health p99 during start-up replay ÷ ${LATENCY_TARGET_MS} ms`,
          value: during('start-up replay', 'health') / LATENCY_TARGET_MS,
          direction: 'lower' as const,
          target: 1,
          profileTarget: 'gateway',
        },
        {
          label: `replay: query p99 during start-up replay ÷ ${LATENCY_TARGET_MS} ms`,
          value: during('start-up replay', 'query') / LATENCY_TARGET_MS,
          direction: 'lower' as const,
          target: 1,
          profileTarget: 'gateway',
        },
        {
          label: 'replay: query p99 during rebuild ÷ idle query p99',
          value: during('rebuild', 'query') / idle('query'),
          direction: 'lower' as const,
          target: null,
          profileTarget: 'gateway',
        },
      ],
      notes: [
        `${fmtNumber(run.events)} events written as in the rebuild scenario (inventory item streams of 100 events). One gateway process (servers/gatewayServer.ts, production settings) opens the file; this process probes it: GET /health and \`${PROBE_QUERY}\`, each every ${PROBE_INTERVAL_MS} ms after the previous answer.`,
        `Start-up replay: from spawning the gateway to its ready report (${fmtMs(run.startupMs)}; first /health answer after ${run.firstAnswerMs === null ? 'none' : fmtMs(run.firstAnswerMs)}). A probe refused before the gateway listens is not counted. Idle: ${fmtNumber(IDLE_MS / 1000)} s once caught up.`,
        `Rebuild: \`rebuildProjections\` until it reports COMPLETED, with a checkInItems mutation every ${MUTATION_INTERVAL_MS} ms after the previous answer and \`projectionRebuild\` read every ${PROGRESS_INTERVAL_MS} ms ("midway": 0 < processedEvents < totalEvents). Then a second rebuild with the probes and mutations paused (progress read every ${PROGRESS_INTERVAL_MS} ms): the rebuild's own throughput; the start-up time includes process start and schema build.`,
      ],
    };
  },

  async profile(_target, execArgv): Promise<ProfiledRun> {
    let pid = -1;
    const run = await runOnce(settings.rebuildEvents, execArgv, (gatewayPid) => (pid = gatewayPid));
    return {
      description: `the gateway process (${fmtNumber(run.events)} events replayed at start-up and rebuilt)`,
      pid,
      window: null,
      operations: run.rebuiltEvents,
      operationName: 'event',
    };
  },
};
