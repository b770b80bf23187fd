/** Renders results as console tables and into BENCHMARKS.md (between markers; the rest of the file is kept). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './child';
import {
  attainment,
  type CodeState,
  type MachineFacts,
  type ProfileResult,
  type Ratio,
  type ScenarioResult,
  type StoredResults,
  type Table,
} from './results';
import { fmtBytes, fmtRatio } from './stats';

export const BENCHMARKS_FILE = join(REPO_ROOT, 'BENCHMARKS.md');
const START = '<!-- bench:generated:start (written by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:generated:end -->';

const SCENARIO_ORDER = ['queries', 'mutations', 'subscriptions', 'rebuild', 'ryw', 'replay', 'tracing'];

export function consoleTable(table: Table): string {
  const widths = table.columns.map((column, index) => Math.max(column.length, ...table.rows.map((row) => (row[index] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((cell, index) => (index === 0 ? cell.padEnd(widths[index]!) : cell.padStart(widths[index]!))).join('  ');
  return [
    ...(table.title ? [table.title] : []),
    line(table.columns),
    widths.map((width) => '─'.repeat(width)).join('  '),
    ...table.rows.map(line),
  ].join('\n');
}

function markdownTable(table: Table): string {
  const escape = (cell: string) => cell.replace(/\|/g, '\\|');
  // Right-align the columns that hold figures.
  const numeric = table.columns.map(
    (_, index) => index > 0 && table.rows.every((row) => /^[-−—0-9≥≤]/.test(row[index] ?? '') || (row[index] ?? '') === ''),
  );
  return [
    ...(table.title ? [`**${table.title}**`, ''] : []),
    `| ${table.columns.map(escape).join(' | ')} |`,
    `|${table.columns.map((_, index) => (numeric[index] ? '---:' : '---')).join('|')}|`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

export function codeLine(code: CodeState | undefined): string {
  if (!code) return '';
  return ` Code: commit \`${code.commit}\`${code.uncommitted.length === 0 ? '' : ` plus uncommitted changes to ${code.uncommitted.map((path) => `\`${path}\``).join(', ')}`}.`;
}

export function machineLine(machine: MachineFacts): string {
  return `${machine.cores} × ${machine.cpuModel}${machine.cpuMHz ? ` @ ${machine.cpuMHz} MHz` : ''}, ${fmtBytes(machine.totalMemory)} RAM, ${machine.os} (${machine.arch}), Node ${machine.node}, load average ${machine.loadAverage.join(' / ')} at start`;
}

function ratioCells(ratio: Ratio): string[] {
  const reach = attainment(ratio);
  const target = ratio.target === null ? '—' : `${ratio.direction === 'higher' ? '≥' : '≤'} ${fmtRatio(ratio.target)}`;
  const status = Number.isNaN(reach) ? '' : reach >= 1 ? 'met' : `missed (${(reach * 100).toFixed(0)}% of target)`;
  return [ratio.label, fmtRatio(ratio.value), target, status];
}

export function summaryTable(results: StoredResults): Table {
  const rows: string[][] = [];
  for (const name of SCENARIO_ORDER) {
    for (const ratio of results.scenarios[name]?.ratios ?? []) rows.push(ratioCells(ratio));
  }
  return { columns: ['comparison (ours ÷ baseline)', 'ratio', 'target', 'status'], rows };
}

/** The ratio furthest below its target among those that have one. */
export function worstRatio(results: StoredResults, scenarios?: readonly string[]): { scenario: string; ratio: Ratio } | null {
  let worst: { scenario: string; ratio: Ratio; reach: number } | null = null;
  for (const [name, result] of Object.entries(results.scenarios)) {
    if (scenarios && !scenarios.includes(name)) continue;
    for (const ratio of result.ratios) {
      const reach = attainment(ratio);
      if (Number.isNaN(reach)) continue;
      if (!worst || reach < worst.reach) worst = { scenario: name, ratio, reach };
    }
  }
  return worst && { scenario: worst.scenario, ratio: worst.ratio };
}

function scenarioSection(result: ScenarioResult): string {
  return [
    `### ${result.title}`,
    '',
    `Measured ${result.startedAt} with \`${result.command}\` on ${machineLine(result.machine)}.${codeLine(result.code)}`,
    `Settings: ${Object.entries(result.settings)
      .map(([key, value]) => `\`${key}=${value}\``)
      .join(', ')}.`,
    '',
    ...result.tables.flatMap((table) => [markdownTable(table), '']),
    ...(result.ratios.length > 0
      ? [markdownTable({ columns: ['comparison', 'ratio', 'target', 'status'], rows: result.ratios.map(ratioCells) }), '']
      : []),
    ...result.notes.map((note) => `- ${note}`),
    '',
  ].join('\n');
}

function perOperation(profile: ProfileResult): string {
  if (!profile.operations) return '';
  return ` for ${profile.operations.toLocaleString('en-US')} ${profile.operationName ?? 'operation'}s: ${((profile.totalMs * 1000) / profile.operations).toFixed(0)} µs per ${profile.operationName ?? 'operation'}`;
}

function profileSection(results: StoredResults): string {
  const profile = results.profile;
  const comparisons = Object.entries(results.comparisons ?? {});
  if (!profile && comparisons.length === 0) return '';
  const lines: string[] = [];
  if (profile) {
    lines.push(
      '### Profile of the worst ratio',
      '',
      `Worst ratio: **${profile.ratio}**. Profiled ${profile.startedAt} with \`${profile.command}\`: \`node --cpu-prof\` on ${profile.target}; its main thread was busy ${profile.totalMs.toFixed(0)} ms (idle samples excluded)${profile.windowMs === null ? '' : ` in the ${(profile.windowMs / 1000).toFixed(1)} s the load ran`}${perOperation(profile)}. ${codeLine(profile.code)} Profile file: \`${profile.file}\` (git-ignored; open it in Chrome DevTools or speedscope). Project paths point into the tsc output (same line layout as \`dist/\`).`,
      '',
      markdownTable({
        title: 'Top functions by self time',
        columns: ['function', 'where', 'self', 'share'],
        rows: profile.topFunctions.map((entry) => [
          entry.name,
          entry.location ? `\`${entry.location}\`` : '',
          `${entry.selfMs.toFixed(0)} ms`,
          `${entry.percent.toFixed(1)}%`,
        ]),
      }),
      '',
      markdownTable({
        title: 'Self time by code area',
        columns: ['area', 'self', 'share'],
        rows: profile.byArea.map((entry) => [entry.name, `${entry.selfMs.toFixed(0)} ms`, `${entry.percent.toFixed(1)}%`]),
      }),
      '',
    );
  }
  if (comparisons.length > 0) {
    const all = profile ? [['worst ratio', profile] as const, ...comparisons] : comparisons;
    lines.push(
      '### Profiles side by side',
      '',
      'Each process profiled alone under the same load (`npm run bench -- profile <scenario> <target>`); not at the same moment, so per-operation figures carry the machine’s noise.',
      '',
      markdownTable({
        columns: ['profile', 'what ran', 'main thread busy', 'per operation', 'top areas (self time share)'],
        rows: all.map(([key, p]) => [
          key,
          p.target,
          `${p.totalMs.toFixed(0)} ms`,
          p.operations ? `${((p.totalMs * 1000) / p.operations).toFixed(0)} µs / ${p.operationName}` : '—',
          p.byArea
            .slice(0, 6)
            .map((entry) => `${entry.name} ${entry.percent.toFixed(0)}%`)
            .join(', '),
        ]),
      }),
      '',
    );
  }
  return lines.join('\n');
}

export function renderGenerated(results: StoredResults): string {
  const worst = worstRatio(results);
  return [
    START,
    '',
    '## How to run',
    '',
    '```sh',
    'npm run bench                      # every scenario, then a CPU profile of the worst ratio (BENCH_PROFILE=0 skips it)',
    'npm run bench -- queries           # one scenario (or: npm run bench:queries); queries | mutations | subscriptions | rebuild | ryw | replay | tracing',
    'npm run bench -- profile queries   # only the CPU profile of one scenario (our side)',
    'npm run bench -- profile queries mercurius   # the same load on another server, for the side-by-side profile table (yoga | mercurius | yoga-tuned)',
    'npm run bench -- report           # re-render this file from bench/results/latest.json',
    'BENCH_DURATION_S=5 BENCH_SUBSCRIBERS=1000 BENCH_REBUILD_EVENTS=200000 npm run bench   # shorter',
    '```',
    '',
    'Knobs: `BENCH_DURATION_S` (10: measured seconds per server and row), `BENCH_WARMUP_S` (2), `BENCH_SLICE_S` (2: side-by-side HTTP runs alternate the servers in slices this long), `BENCH_ROUNDS` (1: rebuild replays; >1 alternates their order and reports the median), `BENCH_QUERY_CONNECTIONS` (16), `BENCH_QUERY_ITEMS` (200), `BENCH_MUTATION_ITEMS` (64), `BENCH_MUTATION_CONCURRENCY` (1,16,64), `BENCH_SUBSCRIBERS` (1000,10000), `BENCH_SUBSCRIPTION_CHANGES` (100), `BENCH_SUBSCRIPTION_MAX_DELIVERIES` (400000: caps changes × subscribers, so 10,000 subscribers get 40 changes; 1000000 gives the full 100), `BENCH_REBUILD_EVENTS` (1000000), `BENCH_RYW_CONCURRENCY` (1,16), `BENCH_PROFILE`, `BENCH_VERBOSE=1` (child output).',
    '',
    'The bench first compiles the project with its own `tsc` into `.bench-tmp/` (as `npm run build` makes `dist/`); every server under test, every load generator and every one-shot task then runs that JavaScript in its own Node process. HTTP load is autocannon in a child process. Raw figures: `bench/results/latest.json`.',
    '',
    '## Summary',
    '',
    markdownTable(summaryTable(results)),
    '',
    ...(worst ? [`Worst ratio against its target: **${worst.ratio.label}** (${fmtRatio(worst.ratio.value)}).`, ''] : []),
    '## Results',
    '',
    ...SCENARIO_ORDER.filter((name) => results.scenarios[name]).map((name) => scenarioSection(results.scenarios[name]!)),
    profileSection(results),
    END,
  ].join('\n');
}

export function writeBenchmarks(results: StoredResults): void {
  const generated = renderGenerated(results);
  if (!existsSync(BENCHMARKS_FILE)) {
    writeFileSync(
      BENCHMARKS_FILE,
      `# Benchmarks\n\nSide by side with the alternatives, in one run on one machine (issue 5). Figures below are rewritten by \`npm run bench\`; notes after them are kept.\n\n${generated}\n\n## Notes\n\n(Analysis of the figures and the profile goes here; \`npm run bench\` never rewrites this part.)\n`,
    );
    return;
  }
  const current = readFileSync(BENCHMARKS_FILE, 'utf8');
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start === -1 || end === -1) {
    writeFileSync(BENCHMARKS_FILE, `${current.trimEnd()}\n\n${generated}\n`);
    return;
  }
  writeFileSync(BENCHMARKS_FILE, `${current.slice(0, start)}${generated}${current.slice(end + END.length)}`);
}
