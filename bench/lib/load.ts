/**
 * HTTP load from the autocannon process (tasks/httpLoad.ts). `interleavedLoad` measures several
 * servers side by side: after a warm-up each, it runs short slices round-robin (rotating the
 * order) until each server has had `durationS` of load, and merges the slices per server.
 */
import type { HttpSliceInput, HttpSliceResult, ResponseCounts } from '../tasks/httpLoad';
import { Child } from './child';
import { settings } from './settings';
import { summarize, type LatencySummary } from './stats';

export interface LoadTarget {
  readonly name: string;
  readonly url: string;
  readonly bodies: readonly string[];
  readonly headers?: Record<string, string>;
}

export interface HttpLoadResult extends ResponseCounts {
  readonly okPerSecond: number;
  readonly latencyMs: LatencySummary;
  /** Successful responses during the warm-up (mutations applied before the measured slices). */
  readonly warmupOk: number;
  readonly slices: number;
}

export interface LoadOptions {
  readonly connections: number;
  readonly durationS?: number;
  readonly warmupS?: number;
  readonly sliceS?: number;
}

export async function interleavedLoad(targets: readonly LoadTarget[], options: LoadOptions): Promise<Map<string, HttpLoadResult>> {
  const durationS = options.durationS ?? settings.durationS;
  const warmupS = options.warmupS ?? settings.warmupS;
  const sliceS = Math.min(options.sliceS ?? settings.sliceS, durationS);
  const slices = Math.max(1, Math.round(durationS / sliceS));
  const generator = await Child.start('autocannon', 'tasks/httpLoad.ts');
  try {
    const run = (target: LoadTarget, seconds: number, warmup: boolean) =>
      generator.request<HttpSliceResult>('run', {
        url: target.url,
        connections: options.connections,
        durationS: seconds,
        bodies: target.bodies,
        ...(target.headers ? { headers: target.headers } : {}),
        warmup,
      } satisfies HttpSliceInput);
    const warmupOk = new Map<string, number>();
    for (const target of targets) warmupOk.set(target.name, warmupS > 0 ? (await run(target, warmupS, true)).ok : 0);
    const parts = new Map<string, HttpSliceResult[]>(targets.map((target) => [target.name, []]));
    for (let index = 0; index < slices; index += 1) {
      const order = targets.map((_, i) => targets[(i + index) % targets.length]!);
      for (const target of order) parts.get(target.name)!.push(await run(target, durationS / slices, false));
    }
    return new Map(targets.map((target) => [target.name, merge(parts.get(target.name)!, warmupOk.get(target.name) ?? 0)]));
  } finally {
    await generator.stop();
  }
}

/** One server alone (profiling): the same as an interleaved run with one target. */
export async function httpLoad(target: LoadTarget, options: LoadOptions): Promise<HttpLoadResult> {
  return (await interleavedLoad([target], options)).get(target.name)!;
}

function merge(parts: readonly HttpSliceResult[], warmupOk: number): HttpLoadResult {
  const sum = (pick: (part: HttpSliceResult) => number) => parts.reduce((total, part) => total + pick(part), 0);
  const durationS = sum((part) => part.durationS);
  const ok = sum((part) => part.ok);
  return {
    durationS,
    responses: sum((part) => part.responses),
    ok,
    graphqlErrors: sum((part) => part.graphqlErrors),
    non2xx: sum((part) => part.non2xx),
    socketErrors: sum((part) => part.socketErrors),
    timeouts: sum((part) => part.timeouts),
    okPerSecond: durationS > 0 ? ok / durationS : 0,
    latencyMs: summarize(parts.flatMap((part) => part.latenciesMs)),
    sampleError: parts.find((part) => part.sampleError !== null)?.sampleError ?? null,
    warmupOk,
    slices: parts.length,
  };
}

export function errorsOf(result: HttpLoadResult): string {
  if (result.responses === 0) return 'no answer at all (hung)';
  const total = result.graphqlErrors + result.non2xx + result.socketErrors + result.timeouts;
  return total === 0
    ? '0'
    : `${total} (${[
        result.graphqlErrors ? `${result.graphqlErrors} GraphQL` : '',
        result.non2xx ? `${result.non2xx} non-2xx` : '',
        result.socketErrors ? `${result.socketErrors} socket` : '',
        result.timeouts ? `${result.timeouts} timeouts` : '',
      ]
        .filter(Boolean)
        .join(', ')})`;
}

/** The run with the median throughput (rounds alternate the order of the servers). */
export function medianRun(runs: readonly HttpLoadResult[]): HttpLoadResult {
  const sorted = [...runs].sort((a, b) => a.okPerSecond - b.okPerSecond);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}
