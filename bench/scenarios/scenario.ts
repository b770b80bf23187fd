import type { Settings } from '../lib/settings';
import type { ScenarioOutcome } from '../lib/results';

export interface Scenario {
  readonly name: string;
  readonly title: string;
  readonly settings: ReadonlyArray<keyof Settings>;
  run(): Promise<ScenarioOutcome>;
  /**
   * Re-runs our side of the comparison named `target` with `execArgv` (--cpu-prof …) on the process
   * that does the work; returns what ran, that process's pid and the measured window on its
   * monotonic clock (so start-up and seeding can be cut out of the profile).
   */
  profile(target: string, execArgv: readonly string[]): Promise<ProfiledRun>;
}

export interface ProfiledRun {
  readonly description: string;
  readonly pid: number;
  /** [from, to] in µs on the profiled process's monotonic clock, or null for the whole process. */
  readonly window: readonly [number, number] | null;
  /** Operations completed in the window (requests, events…), for CPU time per operation. */
  readonly operations?: number;
  readonly operationName?: string;
}

/** Runs `load` between two clock readings of `child`. */
export async function measuredWindow<T>(
  child: { request<R>(name: string): Promise<R> },
  load: () => Promise<T>,
): Promise<{ window: [number, number]; result: T }> {
  const from = await child.request<number>('clock');
  const result = await load();
  const to = await child.request<number>('clock');
  return { window: [from, to], result };
}
