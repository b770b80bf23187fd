/**
 * Compiles the project (product code and bench/) with the project's own tsc into .bench-tmp/, the
 * way `npm run build` makes dist/, and every bench process runs that JavaScript. Running the
 * servers through tsx instead would measure tsx's transform too (it forces esbuild's keepNames,
 * which wraps every function the code creates in a __name() call).
 */
import { spawnSync } from 'node:child_process';
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, BUILD_DIR, REPO_ROOT } from './child';

export function buildForBench(): void {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // --noCheck: `npm run bench:typecheck` type-checks; this only emits (the generated resolver types are type-only imports).
  const result = spawnSync(
    process.execPath,
    [
      tsc,
      '-p',
      join('bench', 'tsconfig.json'),
      '--noCheck',
      '--outDir',
      BUILD_DIR,
      '--sourceMap',
      'false',
      '--declaration',
      'false',
      '--incremental',
      'false',
    ],
    {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    },
  );
  if (result.status !== 0) throw new Error(`tsc failed to compile the project for the bench:\n${result.stdout}${result.stderr}`);
  linkBenchPackages();
}

/**
 * The baselines are installed in bench/node_modules (the bench's own package), not at the root. The
 * compiled bench/ gets a node_modules link to it, so .bench-tmp/bench/** resolves packages exactly as
 * bench/** does under tsx: the bench package first, then the root's.
 */
function linkBenchPackages(): void {
  const link = join(BUILD_DIR, 'bench', 'node_modules');
  rmSync(link, { force: true });
  symlinkSync(join(BENCH_DIR, 'node_modules'), link, 'dir');
}
