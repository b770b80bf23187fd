/**
 * Runs the real gateway (server/main.ts) in a child process, so tests can SIGKILL it mid-flight
 * and start it again on the same data. TypeScript is loaded with the test server's require hook.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { TEST_JWT_SECRET } from './gatewayHarness';

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

const ROOT = join(__dirname, '..', '..');

export function spawnGatewayProcess(env: Record<string, string>, readyTimeoutMs = 30_000): Promise<GatewayProcess> {
  const child = spawn(process.execPath, ['-r', join(ROOT, 'test/support/esdbTestServer/registerTypeScript.js'), join(ROOT, 'server/main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false', JWT_SECRET: TEST_JWT_SECRET, MUTATIONS_PER_MINUTE: '100000', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the gateway did not start in time\n${output}`));
    }, readyTimeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      const url = /GraphiQL: (\S+)/.exec(line)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({
        url,
        child,
        async kill(signal: NodeJS.Signals = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the gateway exited before it was ready (${String(code ?? signal)})\n${output}`));
    });
  });
}
