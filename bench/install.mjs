/**
 * Installs the bench package (bench/package.json: the baselines and the load generator) when it is
 * missing or older than its lockfile, so `npm run bench` works from a fresh clone while the gateway's
 * own `npm ci` never installs or compiles the baselines. Needs the root install first: the bench
 * measures the gateway's stack from it and links `graphql` to the root's copy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const rootModules = join(benchDir, '..', 'node_modules');
const installed = join(benchDir, 'node_modules', '.package-lock.json');

if (!existsSync(join(rootModules, 'graphql'))) {
  process.stderr.write('The gateway is not installed: run `npm ci` at the repository root first.\n');
  process.exit(1);
}

const modified = (file) => statSync(file).mtimeMs;
const upToDate =
  existsSync(installed) &&
  modified(installed) >= modified(join(benchDir, 'package-lock.json')) &&
  modified(installed) >= modified(join(benchDir, 'package.json'));

if (!upToDate) {
  process.stdout.write('Installing the bench package (bench/node_modules)…\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: benchDir, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
