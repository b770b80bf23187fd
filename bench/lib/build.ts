/**
 * Compiles the project (product code and bench/) with the project's own tsc into .bench-tmp/, the
 * way `npm run build` makes dist/, and every bench process runs that JavaScript. Running the
 * servers through tsx instead would measure tsx's transform too (it forces esbuild's keepNames,
 * which wraps every function the code creates in a __name() call).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BUILD_DIR, REPO_ROOT } from './child';

export function buildForBench(): void {
  const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  // --noCheck: `npm run typecheck` type-checks; this only emits (the generated resolver types are type-only imports).
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noCheck', '--outDir', BUILD_DIR, '--sourceMap', 'false', '--declaration', 'false', '--incremental', 'false'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`tsc failed to compile the project for the bench:\n${result.stdout}${result.stderr}`);
}
