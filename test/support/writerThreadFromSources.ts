import { join } from 'node:path';

/**
 * TEST INFRASTRUCTURE. The embedded store's writer thread runs writerThread.ts; under Jest the
 * sources are TypeScript and the thread does not inherit Jest's transform, so it gets the same
 * require hook the spawned gateway processes use.
 */
export const writerThreadFromSources = {
  execArgv: ['--require', join(__dirname, 'esdbTestServer', 'registerTypeScript.js')],
} as const;
