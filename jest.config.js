/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  // Type checking runs once in `npm run typecheck`; here ts-jest only transpiles (isolatedModules).
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  testMatch: ['<rootDir>/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  testTimeout: 30000,
};
