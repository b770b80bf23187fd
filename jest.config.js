const { TEST_TIERS } = require('./jest.tiers');

const ignored = ['/node_modules/', '/dist/', '/.bench-tmp/'];
const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** @type {import('jest').Config} */
module.exports = {
  // One Jest project per tier (jest.tiers.js): `npm run test:<tier>` is `jest --selectProjects <tier>`.
  projects: TEST_TIERS.map((tier) => ({
    displayName: tier.name,
    testEnvironment: 'node',
    // Type checking runs once in `npm run typecheck`; here ts-jest only transpiles (isolatedModules).
    transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
    testMatch: [`<rootDir>/${tier.under ?? ''}**/*${tier.suffix}`],
    testPathIgnorePatterns: [...ignored, ...(tier.except ?? []).map((folder) => `<rootDir>/${escapeRegExp(folder)}`)],
  })),
  testTimeout: 30000,
};
