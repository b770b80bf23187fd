/**
 * The test tiers: every spec file belongs to exactly one (scripts/checkTestTiers.mjs fails `npm test`
 * otherwise). The tier is the file's suffix; the e2e suites with their own runtime needs (621 hostile
 * cases, a headless browser) have their own tier by folder, so `npm run test:e2e` stays quick.
 * Adding a tier: one entry here, one `test:<name>` script, and its place in `npm test`.
 */
const TEST_TIERS = [
  { name: 'unit', suffix: '.unit.spec.ts' },
  { name: 'int', suffix: '.int.spec.ts' },
  { name: 'api', suffix: '.api.spec.ts' },
  { name: 'e2e', suffix: '.e2e.spec.ts', except: ['test/hostile/', 'test/browser/'] },
  { name: 'hostile', suffix: '.e2e.spec.ts', under: 'test/hostile/' },
  { name: 'browser', suffix: '.e2e.spec.ts', under: 'test/browser/' },
];

/** Whether `path` (relative to the repository root, `/`-separated) is a spec of `tier`. */
function inTier(tier, path) {
  return (
    path.endsWith(tier.suffix) &&
    (tier.under === undefined || path.startsWith(tier.under)) &&
    !(tier.except ?? []).some((folder) => path.startsWith(folder))
  );
}

module.exports = { TEST_TIERS, inTier };
