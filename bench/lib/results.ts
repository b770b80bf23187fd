/** What each scenario reports, kept in bench/results/latest.json and rendered into BENCHMARKS.md. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, release, totalmem, type as osType, arch } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BENCH_DIR, REPO_ROOT } from './child';

export interface MachineFacts {
  readonly cpuModel: string;
  readonly cores: number;
  readonly cpuMHz: number;
  readonly totalMemory: number;
  readonly freeMemory: number;
  readonly os: string;
  readonly arch: string;
  readonly node: string;
  readonly loadAverage: readonly number[];
}

export interface CodeState {
  readonly commit: string;
  /** Uncommitted changes outside bench/ and BENCHMARKS.md when the figures were taken. */
  readonly uncommitted: readonly string[];
}

/** Which code was measured: the commit, and any uncommitted product changes in the work tree. */
export function codeState(): CodeState {
  const git = (args: string[]) => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout ?? '';
  const commit = git(['rev-parse', '--short', 'HEAD']).trim() || 'unknown';
  const uncommitted = git(['status', '--porcelain', '--untracked-files=no'])
    .split('\n')
    .map((line) => line.slice(3).trim())
    .filter((path) => path !== '' && !path.startsWith('bench/') && path !== 'BENCHMARKS.md');
  return { commit, uncommitted };
}

export function machineFacts(): MachineFacts {
  const list = cpus();
  return {
    cpuModel: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    cpuMHz: list[0]?.speed ?? 0,
    totalMemory: totalmem(),
    freeMemory: freemem(),
    os: `${osType()} ${release()}`,
    arch: arch(),
    node: process.version,
    loadAverage: loadavg().map((value) => Math.round(value * 100) / 100),
  };
}

export interface Table {
  readonly title?: string;
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
}

/**
 * One comparison, normalised so it can be ranked: `value` is ours against the baseline, `target`
 * the aim. `direction` says whether a bigger value is better.
 */
export interface Ratio {
  readonly label: string;
  readonly value: number;
  readonly direction: 'higher' | 'lower';
  readonly target: number | null;
  /** Which profile target of the scenario shows where our side spends its time. */
  readonly profileTarget: string;
}

/** What a scenario's run measured. */
export interface ScenarioOutcome {
  readonly tables: readonly Table[];
  readonly ratios: readonly Ratio[];
  readonly notes: readonly string[];
}

/** A scenario's outcome as stored: with what ran, when, where and on which code. */
export interface ScenarioResult extends ScenarioOutcome {
  readonly scenario: string;
  readonly title: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly command: string;
  readonly machine: MachineFacts;
  readonly code?: CodeState;
  readonly settings: Record<string, string>;
}

export interface ProfileEntry {
  readonly name: string;
  readonly location: string;
  readonly selfMs: number;
  readonly percent: number;
}

export interface ProfileResult {
  readonly scenario: string;
  readonly target: string;
  readonly ratio: string;
  readonly startedAt: string;
  readonly command: string;
  readonly machine: MachineFacts;
  readonly code?: CodeState;
  readonly file: string;
  readonly totalMs: number;
  /** Length of the measured window the samples were cut to (null: the whole process). */
  readonly windowMs: number | null;
  /** That window on the profiled process's monotonic clock (µs), to re-analyse the file. */
  readonly window: readonly [number, number] | null;
  readonly topFunctions: readonly ProfileEntry[];
  readonly byArea: readonly ProfileEntry[];
  readonly operations: number | null;
  readonly operationName: string | null;
}

export interface StoredResults {
  scenarios: Record<string, ScenarioResult>;
  /** The profile of the worst ratio's side. */
  profile: ProfileResult | null;
  /** Profiles asked for by name (`npm run bench -- profile <scenario> <target>`), e.g. a baseline to compare with. */
  comparisons?: Record<string, ProfileResult>;
}

export const RESULTS_FILE = join(BENCH_DIR, 'results', 'latest.json');

export function loadResults(): StoredResults {
  if (!existsSync(RESULTS_FILE)) return { scenarios: {}, profile: null, comparisons: {} };
  return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as StoredResults;
}

export function saveResults(results: StoredResults): void {
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
}

/** How far a ratio is from its target: 1 = on target, below 1 = short of it. */
export function attainment(ratio: Ratio): number {
  if (ratio.target === null || !Number.isFinite(ratio.value) || ratio.value <= 0) return Number.NaN;
  return ratio.direction === 'higher' ? ratio.value / ratio.target : ratio.target / ratio.value;
}

/** The exact command line that produced these figures (BENCH_* overrides included). */
export function invocation(args: readonly string[]): string {
  const overrides = Object.entries(process.env)
    .filter(([key]) => key.startsWith('BENCH_') && key !== 'BENCH_INPUT')
    .map(([key, value]) => `${key}=${value}`)
    .sort();
  const script = process.env.npm_lifecycle_event;
  const base = script ? `npm run ${script}` : 'cd bench && node --import tsx run.ts';
  const tail = args.length > 0 ? (script ? ` -- ${args.join(' ')}` : ` ${args.join(' ')}`) : '';
  return [...overrides, `${base}${tail}`].join(' ');
}
