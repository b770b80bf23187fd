/**
 * TEST INFRASTRUCTURE — NOT PRODUCT STORAGE.
 *
 * Starts the EventStoreDB protocol test server (main.ts) in a child process, with the project's
 * TypeScript loaded through registerTypeScript.js, and waits for its ready line. Used by tests that
 * SIGKILL the server and start it again on the same port with the same data file.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { spawnUntilReady } from '../spawnUntilReady';
import { READY_PREFIX } from './main';

export interface EsdbTestServerProcessOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** JSON-lines file holding the log; reuse it to restart with the same events. */
  readonly dataFile?: string;
  readonly advertiseBatchAppend?: boolean;
  readonly readyTimeoutMs?: number;
}

export interface EsdbTestServerProcess {
  readonly port: number;
  readonly connectionString: string;
  readonly child: ChildProcess;
  /** Sends `signal` (default SIGKILL) and resolves when the process has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnEsdbTestServerProcess(options: EsdbTestServerProcessOptions = {}): Promise<EsdbTestServerProcess> {
  const args = ['--port', String(options.port ?? 0)];
  if (options.dataFile !== undefined) args.push('--data-file', options.dataFile);
  if (options.advertiseBatchAppend === false) args.push('--no-batch-append');
  const { ready, child, kill } = await spawnUntilReady({
    name: 'the test server process',
    entry: join(__dirname, 'main.ts'),
    args,
    readyFrom: (line) => {
      if (!line.startsWith(READY_PREFIX)) return undefined;
      const port = Number(/port=(\d+)/.exec(line)?.[1]);
      return { port, connectionString: /connectionString=(\S+)/.exec(line)?.[1] ?? `esdb://127.0.0.1:${port}?tls=false` };
    },
    timeoutMs: options.readyTimeoutMs ?? 15_000,
  });
  return { ...ready, child, kill };
}
