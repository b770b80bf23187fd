/** Runs the real gateway (server/main.ts) in a child process, so tests can SIGKILL it mid-flight and start it again on the same data. */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from './gatewayHarness';
import { spawnUntilReady } from './spawnUntilReady';

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export async function spawnGatewayProcess(env: Record<string, string>, readyTimeoutMs = 60_000): Promise<GatewayProcess> {
  const { ready, child, kill } = await spawnUntilReady({
    name: 'the gateway',
    entry: join(ROOT, 'server/main.ts'),
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SEED_DEMO_DATA: 'false',
      JWT_SECRET: TEST_JWT_SECRET,
      MUTATIONS_PER_MINUTE: '100000',
      ...env,
    },
    readyFrom: (line) => /GraphiQL: (\S+)/.exec(line)?.[1],
    timeoutMs: readyTimeoutMs,
  });
  return { url: ready, child, kill };
}
