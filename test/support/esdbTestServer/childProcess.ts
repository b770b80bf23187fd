/**
 * TEST INFRASTRUCTURE — NOT PRODUCT STORAGE.
 *
 * Starts the EventStoreDB protocol test server (main.ts) in a child process, with the project's
 * TypeScript loaded through registerTypeScript.js, and waits for its ready line. Used by tests that
 * SIGKILL the server and start it again on the same port with the same data file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
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

export function spawnEsdbTestServerProcess(options: EsdbTestServerProcessOptions = {}): Promise<EsdbTestServerProcess> {
  const args = ['-r', join(__dirname, 'registerTypeScript.js'), join(__dirname, 'main.ts'), '--port', String(options.port ?? 0)];
  if (options.dataFile !== undefined) args.push('--data-file', options.dataFile);
  if (options.advertiseBatchAppend === false) args.push('--no-batch-append');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr += chunk;
  });

  return new Promise<EsdbTestServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the test server process did not start within ${options.readyTimeoutMs ?? 15_000} ms\n${stderr}`));
    }, options.readyTimeoutMs ?? 15_000);
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      if (!line.startsWith(READY_PREFIX)) return;
      clearTimeout(timer);
      const port = Number(/port=(\d+)/.exec(line)?.[1]);
      const connectionString = /connectionString=(\S+)/.exec(line)?.[1] ?? `esdb://127.0.0.1:${port}?tls=false`;
      resolve({
        port,
        connectionString,
        child,
        async kill(signal: NodeJS.Signals = 'SIGKILL') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          await exited;
        },
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the test server process exited before it was ready (${String(code ?? signal)})\n${stderr}`));
    });
  });
}
