/**
 * `npm run bench [-- <scenario>… | profile <scenario> [target] | report]`
 *
 * Runs the scenarios (each measures our side and its baselines in the same run), prints a table per
 * scenario and the ratios, keeps the figures in bench/results/latest.json and writes BENCHMARKS.md.
 * After a full run it profiles the worst ratio (node --cpu-prof on the process doing our side's work).
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildForBench } from './lib/build';
import { REPO_ROOT } from './lib/child';
import { analyseCpuProfile } from './lib/cpuProfile';
import { consoleTable, summaryTable, worstRatio, writeBenchmarks, machineLine } from './lib/report';
import { codeState, invocation, loadResults, machineFacts, saveResults, type ProfileResult, type StoredResults } from './lib/results';
import { describeSettings } from './lib/settings';
import { fmtRatio } from './lib/stats';
import { PROFILE_DIR } from './lib/workdir';
import { mutations } from './scenarios/mutations';
import { queries } from './scenarios/queries';
import { readYourWrites } from './scenarios/readYourWrites';
import { replayLatency } from './scenarios/replayLatency';
import { rebuild } from './scenarios/rebuild';
import type { Scenario } from './scenarios/scenario';
import { subscriptions } from './scenarios/subscriptions';
import { tracing } from './scenarios/tracing';

const SCENARIOS: readonly Scenario[] = [queries, mutations, subscriptions, rebuild, readYourWrites, replayLatency, tracing];

function usage(): never {
  process.stderr.write(
    `usage: npm run bench [-- <scenario>…]   scenarios: ${SCENARIOS.map((s) => s.name).join(', ')}\n` +
      '       npm run bench -- profile <scenario> [target]\n' +
      '       npm run bench -- report   (re-render BENCHMARKS.md from bench/results/latest.json)\n',
  );
  process.exit(2);
}

function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((candidate) => candidate.name === name);
  if (!scenario) usage();
  return scenario;
}

/** The code compiled for this invocation (read when it is built: that is what gets measured). */
let measuredCode: ReturnType<typeof codeState> | undefined;

async function runScenario(scenario: Scenario, args: readonly string[], results: StoredResults): Promise<void> {
  const startedAt = new Date().toISOString();
  const machine = machineFacts();
  const started = Date.now();
  process.stdout.write(`\n▶ ${scenario.title}\n`);
  const outcome = await scenario.run();
  results.scenarios[scenario.name] = {
    scenario: scenario.name,
    title: scenario.title,
    startedAt,
    finishedAt: new Date().toISOString(),
    command: invocation(args),
    machine,
    code: measuredCode ?? codeState(),
    settings: describeSettings(scenario.settings),
    ...outcome,
  };
  for (const table of outcome.tables) process.stdout.write(`\n${consoleTable(table)}\n`);
  for (const ratio of outcome.ratios) process.stdout.write(`  ${ratio.label}: ${fmtRatio(ratio.value)}\n`);
  process.stdout.write(`  (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  saveResults(results);
  writeBenchmarks(results);
}

/** The main thread's profile of process `pid` (tsx's loader thread writes one too). */
function profileOf(pid: number): string | null {
  const mainThread = new RegExp(`^CPU\\.\\d+\\.\\d+\\.${pid}\\.0\\.\\d+\\.cpuprofile$`);
  const files = readdirSync(PROFILE_DIR).filter((file) => mainThread.test(file));
  return files.length === 0 ? null : join(PROFILE_DIR, files.sort().at(-1)!);
}

/** Profiles `target` of `scenario`; the worst ratio's profile goes to results.profile, others to results.comparisons. */
async function profile(
  scenario: Scenario,
  target: string,
  ratioLabel: string | null,
  args: readonly string[],
  results: StoredResults,
): Promise<void> {
  mkdirSync(PROFILE_DIR, { recursive: true });
  const startedAt = new Date().toISOString();
  const machine = machineFacts();
  process.stdout.write(`\n▶ profiling ${scenario.name} (${target}) with --cpu-prof\n`);
  const run = await scenario.profile(target, ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`]);
  const file = profileOf(run.pid);
  if (!file) throw new Error(`process ${run.pid} wrote no main-thread .cpuprofile to ${PROFILE_DIR}`);
  const analysis = analyseCpuProfile(file, run.window);
  const entry: ProfileResult = {
    scenario: scenario.name,
    target: run.description,
    ratio: ratioLabel ?? `${scenario.name}: ${target}`,
    startedAt,
    command: invocation(args),
    machine,
    code: measuredCode ?? codeState(),
    file: relative(REPO_ROOT, file),
    ...analysis,
    window: run.window,
    operations: run.operations ?? null,
    operationName: run.operationName ?? null,
  };
  if (ratioLabel !== null) results.profile = entry;
  else results.comparisons = { ...results.comparisons, [`${scenario.name}: ${target}`]: entry };
  const perOp = entry.operations ? `; ${((analysis.totalMs * 1000) / entry.operations).toFixed(0)} µs CPU per ${entry.operationName}` : '';
  process.stdout.write(
    `\n${consoleTable({
      title: `Top self time (${analysis.totalMs.toFixed(0)} ms sampled${perOp}) — ${relative(REPO_ROOT, file)}`,
      columns: ['function', 'where', 'self ms', '%'],
      rows: analysis.topFunctions.map((e) => [e.name, e.location, e.selfMs.toFixed(0), e.percent.toFixed(1)]),
    })}\n\n${consoleTable({
      columns: ['area', 'self ms', '%'],
      rows: analysis.byArea.map((e) => [e.name, e.selfMs.toFixed(0), e.percent.toFixed(1)]),
    })}\n`,
  );
  saveResults(results);
  writeBenchmarks(results);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const results = loadResults();
  if (args[0] === 'report') {
    // Re-renders BENCHMARKS.md from bench/results/latest.json without measuring anything.
    writeBenchmarks(results);
    process.stdout.write(`${consoleTable({ title: 'Summary', ...summaryTable(results) })}\n`);
    return;
  }
  process.stdout.write(`Machine: ${machineLine(machineFacts())}\n`);
  measuredCode = codeState();
  buildForBench();

  if (args[0] === 'profile') {
    const scenario = scenarioNamed(args[1] ?? usage());
    const worst = worstRatio(results, [scenario.name]);
    const target = args[2] ?? worst?.ratio.profileTarget ?? 'gateway';
    // Our side of the scenario's worst ratio replaces the main profile; any other target is a comparison.
    const isWorst = worst !== null && target === worst.ratio.profileTarget && worstRatio(results)?.ratio.label === worst.ratio.label;
    await profile(scenario, target, isWorst ? worst.ratio.label : null, args, results);
    return;
  }

  const chosen = args.length === 0 ? SCENARIOS : args.map(scenarioNamed);
  const started = Date.now();
  for (const scenario of chosen) await runScenario(scenario, args, results);

  process.stdout.write(`\n${consoleTable({ title: 'Summary (latest figures of every scenario)', ...summaryTable(results) })}\n`);
  const wantProfile = process.env.BENCH_PROFILE === '1' || (process.env.BENCH_PROFILE !== '0' && args.length === 0);
  if (wantProfile) {
    const worst = worstRatio(
      results,
      chosen.map((scenario) => scenario.name),
    );
    if (worst) {
      process.stdout.write(`\nWorst ratio: ${worst.ratio.label} = ${fmtRatio(worst.ratio.value)}\n`);
      await profile(scenarioNamed(worst.scenario), worst.ratio.profileTarget, worst.ratio.label, args, results);
    }
  }
  process.stdout.write(`\nWrote BENCHMARKS.md and bench/results/latest.json (${((Date.now() - started) / 1000).toFixed(0)} s in all)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
