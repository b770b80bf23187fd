/**
 * Fails when a spec file belongs to no test tier or to more than one (tiers: jest.tiers.js), so a
 * test can never be left out of `npm test` by its name. Also catches `*.test.*` / `*.spec.js` files,
 * which no tier runs.
 */
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { TEST_TIERS, inTier } = createRequire(import.meta.url)(join(root, 'jest.tiers.js'));
const SKIPPED = new Set(['node_modules', 'dist', 'coverage', 'data', '.bench-tmp', '.git']);
const LOOKS_LIKE_A_TEST = /\.(spec|test)\.[cm]?[jt]sx?$/;

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED.has(entry.name)) yield* files(join(dir, entry.name));
    } else if (entry.isFile()) {
      yield relative(root, join(dir, entry.name)).split(sep).join('/');
    }
  }
}

const problems = [];
const counts = Object.fromEntries(TEST_TIERS.map((tier) => [tier.name, 0]));
for (const path of files(root)) {
  if (!LOOKS_LIKE_A_TEST.test(path)) continue;
  const tiers = TEST_TIERS.filter((tier) => inTier(tier, path));
  if (tiers.length === 1) counts[tiers[0].name] += 1;
  else if (tiers.length === 0)
    problems.push(`${path}: in no test tier (name it *${[...new Set(TEST_TIERS.map((t) => t.suffix))].join(', *')})`);
  else problems.push(`${path}: in ${tiers.length} tiers (${tiers.map((tier) => tier.name).join(', ')})`);
}

if (problems.length > 0) {
  process.stderr.write(`Spec files outside exactly one test tier (see jest.tiers.js):\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
  process.exit(1);
}
process.stdout.write(
  `test tiers: ${Object.entries(counts)
    .map(([name, n]) => `${name} ${n}`)
    .join(', ')}\n`,
);
